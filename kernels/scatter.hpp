// One sample of MODEL.md section 3 expanded into its side x tier x exchange positions, each
// scattered into the delta grid: +w at (bin, t0), -w*S_end/S_t0 at (bin, t_end), and its
// liquidated notional into R. Shared by the CPU backend and the device pipeline.
#pragma once

#include <cstdint>

#include "model_math.hpp"

namespace liqmap::model {

// Everything the scatter reads and writes, as plain pointers (host or device memory).
struct ScatterInputs {
  std::int64_t steps;
  std::uint32_t samples_per_step;
  std::uint64_t seed;
  int entry_mode;
  double size_median, size_sigma;
  const double* open;
  const double* low;
  const double* high;
  const double* close;
  const double* opened_usd;  // N_t
  const double* long_share;  // per step
  const double* survival_mantissa;
  const std::int64_t* survival_exponent;
  const std::int64_t* survival_wipes;
  const double* min_low;   // sparse table, levels x steps
  const double* max_high;  // sparse table, levels x steps
  int levels;
  int same_bar;  // 1: a position can be liquidated inside the bar it opens in
  int tier_count;
  const double* tier_leverage;
  const double* tier_weight;  // normalised
  int exchange_count;
  const ExchangeParams* exchanges;
  const BracketRow* brackets;
  int bins;
  const double* edges;  // bins + 1
  double fixed_scale;   // USD -> integer units (a power of two)
  // The delta grid: one plane per side of bin_count x steps cells, cell (bin, t) at
  // (bin - bin_first) * bin_stride + t * step_stride. The CPU keeps a bin's steps together
  // (bin_stride = steps, step_stride = 1); the device keeps a step's bins together, so that the
  // time recurrence, one thread per bin, reads coalesced. Only bins in [bin_first, bin_first +
  // bin_count) are written: a device grid larger than memory is filled one slice at a time.
  std::int64_t* delta;  // integer units
  std::int64_t bin_stride, step_stride;
  int bin_first, bin_count;
  std::int64_t* liquidated;  // [side][step], integer units
};

// Per-run counts and notionals (integer units), summed exactly whatever the order.
struct ScatterTotals {
  std::int64_t positions = 0, in_range = 0, out_of_range = 0, unliquidatable = 0, liquidated = 0;
  std::int64_t in_range_fixed = 0, out_of_range_fixed = 0, unliquidatable_fixed = 0;

  LIQMAP_HD void add(const ScatterTotals& o) {
    positions += o.positions; in_range += o.in_range; out_of_range += o.out_of_range;
    unliquidatable += o.unliquidatable; liquidated += o.liquidated;
    in_range_fixed += o.in_range_fixed; out_of_range_fixed += o.out_of_range_fixed;
    unliquidatable_fixed += o.unliquidatable_fixed;
  }
};

// Where one position ends: its liquidation price (<= 0: never liquidatable) and step
// (t0 .. steps; steps = alive to the end). The scatter and the host's flow solve both use it.
struct PositionFate {
  double price;
  std::int64_t end;
};

// The first later step that reaches a price, from the sparse tables (every backend). The CPU
// passes its own exact equivalent (first_passage_records.hpp) to position_fate/scatter_sample.
struct TablePassage {
  const ScatterInputs* in;
  LIQMAP_HD std::int64_t operator()(std::int64_t t0, int side, double price) const {
    return first_passage_step(in->min_low, in->max_high, in->levels, in->steps, t0, side, price);
  }
};

// `entry` is the exchange's bracket holding the sample's entry notional (entry_row).
template <class Passage>
LIQMAP_HD PositionFate position_fate(const ScatterInputs& in, std::int64_t t0, const Sample& sample,
                                     int side, const ExchangeParams& ex, const BracketRow& entry,
                                     double tier_leverage, const Passage& passage) {
  const double leverage = capped_leverage(entry, tier_leverage);
  PositionFate fate;
  fate.price = liquidation_price(in.brackets, ex, side, sample.entry, leverage, sample.notional, entry);
  fate.end = fate.price > 0 ? liquidation_step(t0, side, fate.price, in.same_bar, sample.entry, in.open[t0],
                                               in.high[t0], in.low[t0], in.close[t0], passage, sample.leg)
                            : in.steps;
  return fate;
}

// The USD weight of one drawn position: its step's opened notional per sample, split by side,
// leverage tier and exchange. One product in one order, so every user gets the same bits.
LIQMAP_HD double position_weight(const ScatterInputs& in, std::int64_t t0, int side, const ExchangeParams& ex,
                                 int tier) {
  const double per_sample = in.opened_usd[t0] / double(in.samples_per_step);
  const double side_share = side == kLong ? in.long_share[t0] : 1.0 - in.long_share[t0];
  return per_sample * side_share * in.tier_weight[tier] * ex.share;
}

LIQMAP_HD Sample draw_step_sample(const ScatterInputs& in, std::int64_t t0, std::uint32_t k) {
  return draw_sample(in.seed, t0, k, in.samples_per_step, in.low[t0], in.high[t0], in.close[t0],
                     in.entry_mode, in.size_median, in.size_sigma, in.open[t0]);
}

// Where the scatter's integer adds go. Every backend can add them straight into memory with
// atomics; the CPU gathers a step's +w per cell and R per thread first (cpu_backend.cpp). Integer
// sums: the grids are the same either way.
struct AtomicSink {
  LIQMAP_HD void opened(int /*side*/, int /*bin in slice*/, std::int64_t* cell, std::int64_t value) const {
    atomic_add(cell, value);
  }
  LIQMAP_HD void closed(std::int64_t* cell, std::int64_t value) const { atomic_add(cell, value); }
  LIQMAP_HD void liquidated(std::int64_t* cell, std::int64_t value) const { atomic_add(cell, value); }
  // A position drawn into the grid at `bin` (all bins), alive from t0 to `end`: the CPU's sink
  // also adds it to the liquidation map's column (tier_column.hpp); nothing to do here.
  LIQMAP_HD void drawn(int /*side*/, int /*tier*/, int /*bin*/, std::int64_t /*t0*/, std::int64_t /*end*/,
                       std::int64_t /*weight_fixed*/) const {}
};

template <class Passage, class Sink>
LIQMAP_HD void scatter_sample(const ScatterInputs& in, std::int64_t t0, std::uint32_t k,
                              ScatterTotals& totals, const Passage& passage, const Sink& sink) {
  const double opened = in.opened_usd[t0];
  if (!(opened > 0)) return;
  const Sample sample = draw_step_sample(in, t0, k);
  const std::int64_t plane = std::int64_t(in.bin_count) * in.steps;

  for (int side = kLong; side <= kShort; ++side) {
    for (int e = 0; e < in.exchange_count; ++e) {
      const ExchangeParams& ex = in.exchanges[e];
      const BracketRow& entry = entry_row(in.brackets, ex, sample.entry, sample.notional);
      for (int tier = 0; tier < in.tier_count; ++tier) {
        const double weight = position_weight(in, t0, side, ex, tier);
        const std::int64_t weight_fixed = to_fixed(weight, in.fixed_scale);
        ++totals.positions;
        const PositionFate fate = position_fate(in, t0, sample, side, ex, entry, in.tier_leverage[tier], passage);
        const double price = fate.price;
        if (!(price > 0)) {
          ++totals.unliquidatable;
          totals.unliquidatable_fixed += weight_fixed;
          continue;
        }
        const std::int64_t end = fate.end;
        if (end < in.steps) {
          // liquidated in its opening bar: its whole weight, before any close
          const double before = end == t0 ? 1.0
                                          : survival_ratio(in.survival_mantissa, in.survival_exponent,
                                                           in.survival_wipes, t0, end - 1);
          sink.liquidated(in.liquidated + side * in.steps + end, to_fixed(weight * before, in.fixed_scale));
          ++totals.liquidated;
        }
        const int bin = price_bin(in.edges, in.bins, price);
        if (bin < 0) {
          ++totals.out_of_range;
          totals.out_of_range_fixed += weight_fixed;
          continue;
        }
        ++totals.in_range;
        totals.in_range_fixed += weight_fixed;
        if (end == t0) continue;  // never alive at a step's end: nothing to draw
        sink.drawn(side, tier, bin, t0, end, weight_fixed);
        if (bin < in.bin_first || bin >= in.bin_first + in.bin_count) continue;  // another slice's
        std::int64_t* row = in.delta + side * plane + std::int64_t(bin - in.bin_first) * in.bin_stride;
        sink.opened(side, bin - in.bin_first, row + t0 * in.step_stride, weight_fixed);
        if (end < in.steps) {
          const double at_end = survival_ratio(in.survival_mantissa, in.survival_exponent,
                                               in.survival_wipes, t0, end);
          sink.closed(row + end * in.step_stride, -to_fixed(weight * at_end, in.fixed_scale));
        }
      }
    }
  }
}

LIQMAP_HD void scatter_sample(const ScatterInputs& in, std::int64_t t0, std::uint32_t k,
                              ScatterTotals& totals) {
  scatter_sample(in, t0, k, totals, TablePassage{&in}, AtomicSink{});
}

}  // namespace liqmap::model
