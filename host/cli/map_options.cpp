#include "map_options.hpp"

#include <charconv>
#include <iostream>

#include "liqmap/engine.hpp"

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::cli {

CLI::Validator thread_count() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        int value = -1;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
        if (r.ec == std::errc() && r.ptr == text.data() + text.size() && value >= 0 && value <= kMaxThreads) return "";
        return "'" + text.substr(0, 32) + "': use 0 (all) to " + std::to_string(kMaxThreads) + " CPU threads";
      },
      "0.." + std::to_string(kMaxThreads));
}

CLI::Validator seed_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const auto r = std::from_chars(text.data(), text.data() + text.size(), value);
        if (r.ec == std::errc() && r.ptr == text.data() + text.size()) return "";
        return "'" + text.substr(0, 32) + "': a seed is a whole number from 0 to 18446744073709551615";
      },
      "0..2^64-1");
}

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
