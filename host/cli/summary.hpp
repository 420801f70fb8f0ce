// The run summary: one screen of text, or JSON for scripts (--json).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "liqmap/engine.hpp"

namespace liqmap::cli {

void print_run_summary(std::ostream& out, const Result& result, double output_seconds);

nlohmann::json run_summary_json(const Result& result, const Market& market, const std::string& out_dir,
                                double output_seconds, const std::vector<std::string>& notices);
nlohmann::json error_json(const std::string& code, const std::string& message);

}  // namespace liqmap::cli
