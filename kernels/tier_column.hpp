// The liquidation map's per-tier column (README "The liquidation map"): one sample's positions
// that are alive at one step, added per side, tier and price bin with the weight they carry in
// the grid there (w * S_t / S_t0). The grid's scatter and recurrence give the same column summed
// over tiers; this pass keeps the tiers apart for one column only, so no grid per tier is stored.
#pragma once

#include <cstdint>

#include "scatter.hpp"

namespace liqmap::model {

// `column` holds [side][tier][bin] integer units (in.fixed_scale). Positions opened after
// `step`, liquidated at or before it, unliquidatable or outside the axis add nothing. The first
// passages come from `passage` (TablePassage, or the CPU's exact cursor) as in scatter_sample.
template <class Passage>
LIQMAP_HD void add_sample_to_tier_column(const ScatterInputs& in, std::int64_t t0, std::uint32_t k,
                                         std::int64_t step, std::int64_t* column, const Passage& passage) {
  const double opened = in.opened_usd[t0];
  if (!(opened > 0) || t0 > step) return;
  const Sample sample = draw_step_sample(in, t0, k);
  const double survival = survival_ratio(in.survival_mantissa, in.survival_exponent, in.survival_wipes, t0, step);
  for (int side = kLong; side <= kShort; ++side) {
    for (int e = 0; e < in.exchange_count; ++e) {
      const ExchangeParams& ex = in.exchanges[e];
      for (int tier = 0; tier < in.tier_count; ++tier) {
        const double weight = position_weight(in, t0, side, ex, tier);
        const PositionFate fate = position_fate(in, t0, sample, side, ex, in.tier_leverage[tier], passage);
        if (!(fate.price > 0) || fate.end <= step) continue;  // never drawn, or gone by `step`
        const int bin = price_bin(in.edges, in.bins, fate.price);
        if (bin < 0) continue;
        // The grid adds the weight in integer units and then carries it by survival.
        const double carried = double(to_fixed(weight, in.fixed_scale)) * survival;
        column[(std::int64_t(side) * in.tier_count + tier) * in.bins + bin] += to_fixed(carried, 1.0);
      }
    }
  }
}

}  // namespace liqmap::model
