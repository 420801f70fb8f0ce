#include "map_options.hpp"

#include <iostream>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::cli {

std::optional<std::int64_t> parse_time_option(const std::string& text, const char* option, bool quiet) {
  if (text.empty()) return std::nullopt;
  if (auto time = io::parse_timestamp(text)) {
    if (!quiet && time->scale != io::TimeScale::iso)
      std::cerr << "liqmap: note: " << option << " " << text << " read as " << io::to_string(time->scale) << ": "
                << io::format_timestamp(time->ms) << "\n";
    return time->ms;
  }
  throw Error(ErrorCode::invalid_argument, std::string(option) + " '" + text.substr(0, 64) +
                                               "': expected a time from 1990 to 2200, ISO-8601 UTC (2025-10-06T12:00:00) "
                                               "or epoch s, ms, µs or ns");
}

}  // namespace liqmap::cli
