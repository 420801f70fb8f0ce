// The rules every configuration obeys, however it was built (JSON file or C++/C API).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "liqmap/config.hpp"

namespace liqmap::detail {

// The integer limits of a configuration, in one place: the JSON reader, check_config (C++ and
// the C API) and the CLI's options all check these.
struct IntegerLimit {
  const char* key;
  long long least, most;
  std::string rule() const { return "must be an integer in [" + std::to_string(least) + ", " + std::to_string(most) + "]"; }
  bool holds(long long value) const { return value >= least && value <= most; }
};
inline constexpr IntegerLimit kPriceBins{"grid.price_bins", 1, 1 << 24};
inline constexpr IntegerLimit kTimeGroup{"grid.time_group", 1, 1 << 30};
inline constexpr IntegerLimit kSamplesPerStep{"positions.samples_per_step", 1, 1 << 20};
// Every tier and exchange multiplies the positions drawn per sample: thousands of them are a
// mistake that would run for hours, not a model.
inline constexpr IntegerLimit kTiers{"leverage", 1, 64};
inline constexpr IntegerLimit kExchanges{"exchanges", 1, 64};

// Throws Error(ErrorCode::config) naming the key and what is allowed.
void check_config(const Config& config);

// A price axis the grid can resolve: price_min < price_max and bins at least 1e-12 of the price
// wide. Throws Error(ErrorCode::config) naming grid.price_max.
void check_price_range(double price_min, double price_max, int bins);

// load_config_file with `patch` (when not null) merged over the file's JSON key by key (RFC 7386)
// before it is read; `where` names the result in messages.
Config load_config_file(const std::string& path, const nlohmann::json* patch, const std::string& where);

// 0 (all hardware threads) to kMaxThreads. Throws Error(ErrorCode::invalid_argument) saying so.
void check_threads(long long threads, const char* what = "threads");

}  // namespace liqmap::detail
