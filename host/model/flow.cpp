#include "model/flow.hpp"

#include <algorithm>
#include <cmath>
#include <omp.h>

namespace liqmap::detail {
namespace {

// S_t kept as mantissa * 2^exponent, restarted after a step that closes everything; the same
// bookkeeping as the plan's, so that survival_ratio reads it.
struct SurvivalTrack {
  std::vector<double> mantissa;
  std::vector<std::int64_t> exponent, wipes;

  void push(double g) {
    if (mantissa.empty()) {
      mantissa.push_back(1.0), exponent.push_back(0), wipes.push_back(0);
      return;
    }
    double m = mantissa.back();
    std::int64_t e = exponent.back(), w = wipes.back();
    if (g == 0.0) {
      ++w, m = 1.0, e = 0;
    } else {
      int shift = 0;
      m = std::frexp(m * g, &shift);
      e += shift;
    }
    mantissa.push_back(m), exponent.push_back(e), wipes.push_back(w);
  }
  double ratio(std::int64_t t0, std::int64_t t) const {
    return model::survival_ratio(mantissa.data(), exponent.data(), wipes.data(), t0, t);
  }
};

// One forward pass over steps [0, stop); `warmup_scale` is the USD opened per USD traded in
// the warm-up steps.
FlowSolution forward_pass(const FlowInputs& in, const LiquidationTable& table, double warmup_scale,
                          std::int64_t stop) {
  FlowSolution s;
  s.opened.assign(stop, 0.0);
  s.step_factor.assign(stop, 1.0);
  s.alive.assign(stop, 0.0);
  s.liquidated[0].assign(stop, 0.0);
  s.liquidated[1].assign(stop, 0.0);
  s.warmup_scale = warmup_scale;
  SurvivalTrack survival;
  const std::int64_t warmup = in.warmup_steps;
  const double seed_oi = warmup < in.steps ? in.oi_usd[warmup] : 0.0;

  for (std::int64_t t = 0; t < stop; ++t) {
    double old_liquidated[2] = {0, 0}, same_bar_share[2] = {0, 0};
    for (std::size_t i = table.first_at_end[t]; i < table.first_at_end[t + 1]; ++i) {
      const LiquidationTable::Entry& e = table.entries[i];
      const double side_share = e.side == 0 ? in.long_share[e.t0] : 1.0 - in.long_share[e.t0];
      const double share = double(e.unit) / LiquidationTable::kUnitScale * side_share * in.tier_weight[e.tier];
      if (e.t0 == t) same_bar_share[e.side] += share;
      else old_liquidated[e.side] += s.opened[e.t0] * share * survival.ratio(e.t0, t - 1);
    }
    const double kept = 1.0 - same_bar_share[0] - same_bar_share[1];  // of what opens at t
    double survivors = t > 0 ? std::max(0.0, s.alive[t - 1] - old_liquidated[0] - old_liquidated[1]) : 0.0;
    survivors *= in.decay[t];

    double opened = 0, closed_fraction = 0;
    if (t < warmup) {
      // Volume-weighted opening; the turnover closes its share of a book the size of the
      // first OI, so the closing fraction does not depend on the scale fitted afterwards.
      opened = warmup_scale * in.traded_usd[t];
      closed_fraction = seed_oi > 0 ? std::min(1.0, in.turnover * in.traded_usd[t] / seed_oi) : 0.0;
    } else {
      const double target = in.oi_usd[t];
      opened = t == 0 ? 0.0 : std::max(0.0, target - in.oi_usd[t - 1]) + in.turnover * in.traded_usd[t];
      if (kept > 1e-12) {
        // the book never falls below the OI (a shortfall opens here) nor holds more than it
        if (survivors + opened * kept < target) opened = (target - survivors) / kept;
        if (opened * kept > target) opened = target / kept;
      }
      const double closes = survivors + opened * kept - target;  // OI fall + turnover - liquidated
      closed_fraction = survivors > 0 ? std::clamp(closes / survivors, 0.0, 1.0) : 0.0;
    }
    s.opened[t] = opened;
    s.step_factor[t] = t == 0 ? 1.0 : in.decay[t] * (1.0 - closed_fraction);
    s.alive[t] = survivors * (1.0 - closed_fraction) + opened * std::max(kept, 0.0);
    for (int side = 0; side < 2; ++side)
      s.liquidated[side][t] = old_liquidated[side] + opened * same_bar_share[side];
    survival.push(s.step_factor[t]);
  }
  return s;
}

}  // namespace

LiquidationTable build_liquidation_table(const model::ScatterInputs& in, int threads) {
  using Entry = LiquidationTable::Entry;
  const std::int64_t steps = in.steps;
  std::vector<std::vector<Entry>> per_step(steps);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 8)
  for (std::int64_t t0 = 0; t0 < steps; ++t0) {
    std::vector<Entry> local;
    for (std::uint32_t k = 0; k < in.samples_per_step; ++k) {
      const model::Sample sample = model::draw_step_sample(in, t0, k);
      for (int side = model::kLong; side <= model::kShort; ++side)
        for (int e = 0; e < in.exchange_count; ++e) {
          const model::ExchangeParams& ex = in.exchanges[e];
          const std::int64_t unit = model::to_fixed(ex.share / double(in.samples_per_step), LiquidationTable::kUnitScale);
          for (int tier = 0; tier < in.tier_count; ++tier) {
            const model::PositionFate fate = model::position_fate(in, t0, sample, side, ex, in.tier_leverage[tier]);
            if (fate.end < steps) local.push_back({t0, fate.end, side, tier, unit});
          }
        }
    }
    std::sort(local.begin(), local.end(), [](const Entry& a, const Entry& b) {
      return a.end != b.end ? a.end < b.end : a.side != b.side ? a.side < b.side : a.tier < b.tier;
    });
    std::vector<Entry> merged;
    for (const Entry& e : local) {
      if (!merged.empty() && merged.back().end == e.end && merged.back().side == e.side && merged.back().tier == e.tier)
        merged.back().unit += e.unit;
      else
        merged.push_back(e);
    }
    per_step[t0] = std::move(merged);
  }

  LiquidationTable table;
  table.steps = steps;
  table.tiers = in.tier_count;
  table.first_at_end.assign(steps + 1, 0);
  for (const auto& list : per_step)
    for (const Entry& e : list) ++table.first_at_end[e.end + 1];
  for (std::int64_t t = 0; t < steps; ++t) table.first_at_end[t + 1] += table.first_at_end[t];
  table.entries.resize(table.first_at_end[steps]);
  std::vector<std::size_t> next(table.first_at_end.begin(), table.first_at_end.end() - 1);
  for (const auto& list : per_step)  // t0 ascending: each end's entries in t0 order
    for (const Entry& e : list) table.entries[next[e.end]++] = e;
  return table;
}

FlowSolution solve_flow(const FlowInputs& in, const LiquidationTable& table) {
  double scale = 0;
  if (in.warmup_steps > 0 && in.warmup_steps < in.steps) {
    // The warm-up is linear in its scale: run it at one USD per USD traded, then scale so
    // that the book at its end equals the first open interest.
    const FlowSolution trial = forward_pass(in, table, 1.0, in.warmup_steps);
    const double book = trial.alive.back();
    scale = book > 0 ? in.oi_usd[in.warmup_steps] / book : 0.0;
  }
  return forward_pass(in, table, scale, in.steps);
}

}  // namespace liqmap::detail
