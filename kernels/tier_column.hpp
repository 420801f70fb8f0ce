// The liquidation map's per-tier column (README "The liquidation map"): one sample's positions
// that are alive at one step, added per side, tier and price bin with the weight they carry in
// the grid there (w * S_t / S_t0). The grid's scatter and recurrence give the same column summed
// over tiers; this pass keeps the tiers apart for one column only, so no grid per tier is stored.
// The CPU scatter adds the same column as it draws (cpu_backend.cpp, StepSink::drawn) when the
// step is known before the run; this pass serves the other backends and the venues.
#pragma once

#include <cstdint>

#include "scatter.hpp"

namespace liqmap::model {

// A position opened at t0 and liquidated at `end` is in the column at `step` when it is alive
// there; it adds its integer weight carried by the survival S_step / S_t0, as the grid does.
LIQMAP_HD bool alive_at(std::int64_t t0, std::int64_t end, std::int64_t step) { return t0 <= step && step < end; }
LIQMAP_HD std::int64_t carried_units(std::int64_t weight_fixed, double survival) {
  return to_fixed(double(weight_fixed) * survival, 1.0);
}

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
      const BracketRow& entry = entry_row(in.brackets, ex, sample.entry, sample.notional);
      for (int tier = 0; tier < in.tier_count; ++tier) {
        const double weight = position_weight(in, t0, side, ex, tier);
        const PositionFate fate = position_fate(in, t0, sample, side, ex, entry, in.tier_leverage[tier], passage);
        if (!(fate.price > 0) || !alive_at(t0, fate.end, step)) continue;  // never drawn, or gone by `step`
        const int bin = price_bin(in.edges, in.bins, fate.price);
        if (bin < 0) continue;
        column[(std::int64_t(side) * in.tier_count + tier) * in.bins + bin] +=
            carried_units(to_fixed(weight, in.fixed_scale), survival);
      }
    }
  }
}

}  // namespace liqmap::model
