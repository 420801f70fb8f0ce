// The liquidation map (README "The liquidation map"): at one time, the notional that would be
// liquidated per price level, split by leverage tier, with cumulative curves away from the
// price. Computed on demand for the chosen column from the run's plan (no grid per tier).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/backend.hpp"
#include "model/plan.hpp"

namespace liqmap::map {

struct LiquidationMap {
  std::size_t column = 0;
  std::int64_t ts = 0;     // the column's time
  double close = 0;        // the close at that time (the first venue's, for an aggregate)
  std::vector<double> tier_leverage;
  std::vector<double> edges, centres;  // the price axis
  // [tier][bin], USD, smoothed over price like the heatmap: summed over tiers they are the
  // heatmap's column (long.npy, short.npy).
  std::vector<double> long_usd, short_usd;

  std::size_t tiers() const { return tier_leverage.size(); }
  std::size_t bins() const { return centres.size(); }
  double long_at(std::size_t tier, std::size_t bin) const { return long_usd[tier * bins() + bin]; }
  double short_at(std::size_t tier, std::size_t bin) const { return short_usd[tier * bins() + bin]; }
};

// The map of `plan` at `column`, walked over every position opened up to that column's step
// (`threads`, 0 = all; the integer sums do not depend on them). `scattered` is the column the
// CPU scatter added (detail::RunExtras): the same integers, so when it holds this column's step
// the walk is skipped.
LiquidationMap liquidation_map(const detail::Plan& plan, std::size_t column, int threads = 0,
                               const detail::TierColumn* scattered = nullptr);

// The venues' maps summed (same axis and tiers), with the given close.
LiquidationMap sum_maps(const std::vector<LiquidationMap>& maps, double close);

// liquidation_map.csv: price,tier,long_usd,short_usd, one row per bin and tier where either is > 0.
std::string liquidation_map_csv(const LiquidationMap& map);

}  // namespace liqmap::map
