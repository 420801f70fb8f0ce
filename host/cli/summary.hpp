// The one-screen run summary printed on stdout.
#pragma once

#include <ostream>

#include "liqmap/engine.hpp"

namespace liqmap::cli {

void print_run_summary(std::ostream& out, const Result& result, double output_seconds);

}  // namespace liqmap::cli
