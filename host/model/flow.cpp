#include "model/flow.hpp"

#include "first_passage_records.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <omp.h>
#include <utility>

namespace liqmap::detail {
namespace {

// One forward pass over steps [0, stop); `warmup_scale` is the USD opened per USD traded in
// the warm-up steps.
FlowSolution forward_pass(const FlowInputs& in, const LiquidationTable& table, double warmup_scale,
                          std::int64_t stop) {
  FlowSolution s;
  s.warmup_scale = warmup_scale;
  SurvivalTrack survival;
  for (std::int64_t t = 0; t < stop; ++t)
    forward_step(in, table.entries.data() + table.first_at_end[t], table.entries.data() + table.first_at_end[t + 1], s,
                 survival);
  return s;
}

}  // namespace

namespace {

// One t0's liquidated positions merged by (end, side, tier); `key` orders them as the table does.
struct KeyedUnit {
  std::uint64_t key;  // (end * 2 + side) * tiers + tier
  std::int64_t unit;
};

// Least significant digit first, 11 bits a pass, as many passes as the largest key needs: a few
// thousand keys of under 32 bits sort in two or three counting passes (std::sort was 7% of a run).
void sort_by_key(std::vector<KeyedUnit>& keys, std::vector<KeyedUnit>& spare) {
  std::uint64_t largest = 0;
  for (const KeyedUnit& u : keys) largest = std::max(largest, u.key);
  constexpr int kBits = 11;
  constexpr std::size_t kBuckets = std::size_t(1) << kBits;
  std::size_t count[kBuckets];
  spare.resize(keys.size());
  for (int shift = 0; shift < 64 && (largest >> shift) != 0; shift += kBits) {
    std::fill_n(count, kBuckets, 0);
    for (const KeyedUnit& u : keys) ++count[(u.key >> shift) & (kBuckets - 1)];
    std::size_t at = 0;
    for (std::size_t& c : count) at += std::exchange(c, at);
    for (const KeyedUnit& u : keys) spare[count[(u.key >> shift) & (kBuckets - 1)]++] = u;
    keys.swap(spare);
  }
}

void step_entries(const model::ScatterInputs& in, std::int64_t t0, const model::FirstPassageCursor& cursor,
                  std::vector<KeyedUnit>& scratch, std::vector<KeyedUnit>& sorted, std::vector<KeyedUnit>& merged) {
  scratch.clear();
  const std::uint64_t tiers = std::uint64_t(in.tier_count);
  for (std::uint32_t k = 0; k < in.samples_per_step; ++k) {
    const model::Sample sample = model::draw_step_sample(in, t0, k);
    for (int side = model::kLong; side <= model::kShort; ++side)
      for (int e = 0; e < in.exchange_count; ++e) {
        const model::ExchangeParams& ex = in.exchanges[e];
        const std::int64_t unit = model::to_fixed(ex.share / double(in.samples_per_step), LiquidationTable::kUnitScale);
        const model::BracketRow& entry = model::entry_row(in.brackets, ex, sample.entry, sample.notional);
        for (int tier = 0; tier < in.tier_count; ++tier) {
          const model::PositionFate fate = model::position_fate(in, t0, sample, side, ex, entry, in.tier_leverage[tier],
                                                                model::CursorPassage{&cursor});
          if (fate.end < in.steps)
            scratch.push_back({(std::uint64_t(fate.end) * 2 + std::uint64_t(side)) * tiers + std::uint64_t(tier), unit});
        }
      }
  }
  sort_by_key(scratch, sorted);
  merged.clear();
  for (const KeyedUnit& u : scratch) {
    if (!merged.empty() && merged.back().key == u.key) merged.back().unit += u.unit;
    else merged.push_back(u);
  }
}

}  // namespace

LiquidationTable build_liquidation_table(const model::ScatterInputs& in, int threads, const RunControl& control) {
  const std::int64_t steps = in.steps;
  const std::uint64_t tiers = std::uint64_t(in.tier_count);
  std::vector<std::vector<KeyedUnit>> per_step(steps);  // each sorted by key
  const model::RecordLinks links(in.low, in.high, steps);
  // The longest part of a plan: the poll (one thread's, between blocks) lets a cancel stop it.
  std::atomic<bool> cancelled{false};
#pragma omp parallel num_threads(threads)
  {
    std::vector<KeyedUnit> scratch, sorted, merged;
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t first = 0; first < steps; first += model::kCursorBlockSteps) {
      if (cancelled.load(std::memory_order_relaxed)) continue;
      if (omp_get_thread_num() == 0 && !control.keep_going("plan", 0.0)) {
        cancelled = true;
        continue;
      }
      const std::int64_t last = std::min(first + model::kCursorBlockSteps, steps);
      model::walk_down(links, first, last, [](std::int64_t t0) { return t0; },
                       [&](std::int64_t t0, const model::FirstPassageCursor& cursor) {
                         step_entries(in, t0, cursor, scratch, sorted, merged);
                         per_step[t0].assign(merged.begin(), merged.end());
                       });
    }
  }
  if (cancelled) RunControl::throw_cancelled("plan");

  // Grouped by end, t0 ascending within an end. Each thread fills the ends of its own range,
  // reading only that range of every step's list.
  LiquidationTable table;
  table.steps = steps;
  table.tiers = in.tier_count;
  table.first_at_end.assign(steps + 1, 0);
  const auto in_range = [tiers](const std::vector<KeyedUnit>& list, std::int64_t lo, std::int64_t hi) {
    const auto by_key = [](const KeyedUnit& u, std::uint64_t key) { return u.key < key; };
    return std::make_pair(std::lower_bound(list.begin(), list.end(), std::uint64_t(lo) * 2 * tiers, by_key),
                          std::lower_bound(list.begin(), list.end(), std::uint64_t(hi) * 2 * tiers, by_key));
  };
#pragma omp parallel num_threads(threads)
  {
    const std::int64_t part = (steps + omp_get_num_threads() - 1) / omp_get_num_threads();
    const std::int64_t lo = std::min(steps, std::int64_t(omp_get_thread_num()) * part), hi = std::min(steps, lo + part);
    if (lo < hi)
      for (const auto& list : per_step) {
        const auto [from, to] = in_range(list, lo, hi);
        for (auto u = from; u != to; ++u) ++table.first_at_end[u->key / tiers / 2 + 1];
      }
#pragma omp barrier
#pragma omp single
    {
      for (std::int64_t t = 0; t < steps; ++t) table.first_at_end[t + 1] += table.first_at_end[t];
      table.entries.resize(table.first_at_end[steps]);
    }
    if (lo < hi) {
      std::vector<std::size_t> next(table.first_at_end.begin() + lo, table.first_at_end.begin() + hi);
      for (std::int64_t t0 = 0; t0 < steps; ++t0) {  // t0 ascending
        const auto [from, to] = in_range(per_step[t0], lo, hi);
        for (auto u = from; u != to; ++u)
          table.entries[next[u->key / tiers / 2 - lo]++] = {u->unit, std::int32_t(t0), std::int16_t(u->key / tiers % 2),
                                                           std::int16_t(u->key % tiers)};
      }
    }
  }
  return table;
}

void SurvivalTrack::push(double g) {
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

void forward_step(const FlowInputs& in, const LiquidationTable::Entry* first, const LiquidationTable::Entry* last,
                  FlowSolution& s, SurvivalTrack& survival) {
  const std::int64_t t = std::int64_t(s.opened.size());
  const std::int64_t warmup = in.warmup_steps;
  const double seed_oi = warmup < in.steps ? in.oi_usd[warmup] : 0.0;
  double old_liquidated[2] = {0, 0}, same_bar_share[2] = {0, 0};
  for (const LiquidationTable::Entry* e = first; e != last; ++e) {
    const double side_share = e->side == 0 ? in.long_share[e->t0] : 1.0 - in.long_share[e->t0];
    const double share = double(e->unit) / LiquidationTable::kUnitScale * side_share * in.tier_weight[e->tier];
    if (e->t0 == t) same_bar_share[e->side] += share;
    else old_liquidated[e->side] += s.opened[e->t0] * share * survival.ratio(e->t0, t - 1);
  }
  const double kept = 1.0 - same_bar_share[0] - same_bar_share[1];  // of what opens at t
  double survivors = t > 0 ? std::max(0.0, s.alive[t - 1] - old_liquidated[0] - old_liquidated[1]) : 0.0;
  survivors *= in.decay[t];

  double opened = 0, closed_fraction = 0;
  if (t < warmup) {
    // Volume-weighted opening; the turnover closes its share of a book the size of the
    // first OI, so the closing fraction does not depend on the scale fitted afterwards.
    opened = s.warmup_scale * in.traded_usd[t];
    closed_fraction = seed_oi > 0 ? std::min(1.0, in.turnover * in.traded_usd[t] / seed_oi) : 0.0;
  } else {
    const double target = in.oi_usd[t];
    opened = t == 0 ? 0.0 : std::max(0.0, target - in.oi_usd[t - 1]) + in.turnover * in.traded_usd[t];
    if (kept > 1e-12) {
      // the book never falls below the OI (a shortfall opens here) nor holds more than it; a
      // shortfall within kBookTolerance of the OI is round-off (the warm-up's book is scaled to
      // equal OI_W, and at W it comes back a few ulps short or over), not notional to open
      if (survivors + opened * kept < target * (1.0 - kBookTolerance)) opened = (target - survivors) / kept;
      if (opened * kept > target) opened = target / kept;
    }
    const double closes = survivors + opened * kept - target;  // OI fall + turnover - liquidated
    closed_fraction = survivors > 0 ? std::clamp(closes / survivors, 0.0, 1.0) : 0.0;
  }
  s.opened.push_back(opened);
  s.step_factor.push_back(t == 0 ? 1.0 : in.decay[t] * (1.0 - closed_fraction));
  s.alive.push_back(survivors * (1.0 - closed_fraction) + opened * std::max(kept, 0.0));
  for (int side = 0; side < 2; ++side) s.liquidated[side].push_back(old_liquidated[side] + opened * same_bar_share[side]);
  survival.push(s.step_factor.back());
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
