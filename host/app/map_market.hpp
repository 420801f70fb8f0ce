// A map's market read from files as `liqmap compute` reads it, with the defaults the CLI applies
// to the configuration afterwards: shared by the batch command and the C API.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/io.hpp"
#include "liqmap/market.hpp"

namespace liqmap::app {

// Hours of the volume flow's half-life when neither open interest nor the config gives one
// (README: "Candles alone"): volume says when positions open, never when they close.
constexpr double kVolumeFlowHalfLifeHours = 168;

// Applies what the data says to `config`: the unit of open interest the files state (the files
// win, as in the CLI), and the default half-life for candles without open interest unless the
// config sets one. Returns a notice for each default applied, and leverage_cap_notices.
std::vector<std::string> apply_market_defaults(Config& config, const Market& market, std::optional<OiUnit> oi_unit);

// Expands globs, checks the files' coin against the config's schedules, reads and joins them
// (read.warmup_days defaults to the config's), and applies apply_market_defaults. The notices
// of the read and of the defaults are in the result.
io::MarketData read_map_market(const std::vector<std::string>& market_patterns,
                               const std::vector<std::string>& oi_patterns, io::ReadOptions read, Config& config);

}  // namespace liqmap::app
