// `liqmap cascade`: how far a shock carries once the positions it reaches are liquidated
// (docs/backtest.md, "Cascade"). The forced flow moves price by a square-root impact law,
//   log(p / p_shocked) = -+ Y * sigma * sqrt(Q / V),
// with Q the notional liquidated so far, sigma the daily volatility and V the daily traded notional;
// the price reached liquidates more, until no new price bin is reached.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "liqmap/market.hpp"
#include "liqmap/result.hpp"

namespace liqmap::cascade {

// Y of the square-root law: order one in the market-impact literature (Toth et al. 2011,
// "Anomalous price impact and the critical nature of liquidity"; Bouchaud et al., "Trades,
// Quotes and Prices", ch. 12). Not fitted here: a documented default.
constexpr double kDefaultImpactY = 1.0;

struct Profile {
  std::vector<double> price;      // bin centres, increasing
  std::vector<double> long_usd;   // longs that liquidate in the bin (below the start price)
  std::vector<double> short_usd;  // shorts that liquidate in the bin (above it)
};

struct Inputs {
  Profile profile;
  double start_price = 0;       // the close at t
  double shocked_price = 0;     // where the shock takes price
  double sigma_daily = 0;       // daily volatility (standard deviation of daily log returns)
  double volume_daily_usd = 0;  // daily traded notional
  double impact_y = kDefaultImpactY;
  std::size_t max_iterations = 10000;
};

struct Step {
  std::size_t iteration = 0;
  double price = 0;              // price after this round of forced flow
  double flow_usd = 0;           // notional newly liquidated in this round
  double liquidated_usd = 0;     // cumulative
};

struct Outcome {
  std::vector<Step> path;        // [0]: the shock itself; then one step per round of forced flow
  double final_price = 0;
  double long_usd = 0, short_usd = 0;  // liquidated per side
  double extra_move_pct = 0;     // final vs shocked price, in %
  bool converged = true;         // false when max_iterations ran out
};

// Checks the inputs (Error(invalid_argument) naming what is wrong) and runs the iteration.
// Deterministic; O(bins) per round.
Outcome simulate(const Inputs& inputs);

// sigma_daily and volume_daily_usd from candles of the `days` before `step` (inclusive): the
// standard deviation of bar log returns scaled to a day, and the mean daily traded notional
// (volume x close). Volume must be present for V; returns 0 for what cannot be estimated.
struct Depth {
  double sigma_daily = 0, volume_daily_usd = 0;
  std::size_t bars = 0;
};
Depth estimate_depth(const Market& market, std::size_t step, double days = 30);

// cascade.json's content; `context`: what the caller knows (run folder, time, where sigma and V came from).
nlohmann::json cascade_json(const Inputs& inputs, const Outcome& outcome, const nlohmann::json& context);

// The profile of `column` of a run's smoothed grids.
Profile column_profile(const Result& result, std::size_t column);

}  // namespace liqmap::cascade
