// The rules every configuration obeys, however it was built (JSON file or C++/C API).
#pragma once

#include "liqmap/config.hpp"

namespace liqmap::detail {

// Throws Error(ErrorCode::config) naming the key and what is allowed.
void check_config(const Config& config);

}  // namespace liqmap::detail
