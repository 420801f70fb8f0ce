#include "live/live_model.hpp"

#include <algorithm>
#include <cmath>
#include <omp.h>

#include "engine/plan_run.hpp"
#include "engine/smoothing.hpp"
#include "gaussian.hpp"
#include "liqmap/error.hpp"
#include "model/config_rules.hpp"
#include "recurrence.hpp"
#include "scatter.hpp"

namespace liqmap::live {
namespace {

// Heap orders: the front is the position the next candle reaches first.
struct HighestFirst {
  bool operator()(const AlivePosition& a, const AlivePosition& b) const { return a.price < b.price; }
};
struct LowestFirst {
  bool operator()(const AlivePosition& a, const AlivePosition& b) const { return a.price > b.price; }
};

// No later candle is known yet: a position not liquidated in its opening bar is alive, and the
// heaps find the candle that reaches it.
struct UnknownFuture {
  std::int64_t steps;
  std::int64_t operator()(std::int64_t, int, double) const { return steps; }
};

// A state's fixed-point units leave room for this many times the notional of its first compute.
constexpr double kGrowth = 0x1.0p12;

template <class T>
void truncate(std::vector<T>& v, std::size_t n) {
  if (v.size() > n) v.resize(n);
}

}  // namespace

struct LiveModel::Checkpoint {
  std::size_t steps = 0, columns = 0, columns_h = 0;
  std::vector<double> h;
  ColumnStore columns_copy, columns_h_copy;  // only while survival is constant
  std::vector<std::int64_t> running;
  model::ScatterTotals totals;
  double opened_total = 0;
  bool survival_constant = true;
  std::int64_t active_steps = 0;
};

LiveModel LiveModel::compute(const Market& market, const Config& config, const RunOptions& options) {
  if (config.smoothing.sigma_time_steps > 0)
    throw Error(ErrorCode::config, "a live state smooths over price only: smoothing.sigma_time_steps must be 0 "
                                   "(a time Gaussian would change the last columns with every candle)");
  if (!config.venues.empty())
    throw Error(ErrorCode::config, "a live state follows one market: several venues are not supported yet");
  validate_market(market);
  detail::check_config(config);
  detail::check_threads(options.threads);
  const int threads = detail::resolve_threads(options.threads);
  RunOptions cpu = options;
  cpu.backend = Backend::cpu;
  cpu.threads = threads;
  detail::Plan plan = detail::build_plan(market, config, threads, detail::run_control(options));
  LiveModel m;
  m.config_ = config;
  if (!config.grid.fixed_point_exponent) {  // room for the history to grow kGrowth times
    m.config_.grid.fixed_point_exponent = detail::fixed_point_exponent(plan.opened_total_usd * kGrowth);
    plan.fixed_scale = std::ldexp(1.0, *m.config_.grid.fixed_point_exponent);
  }
  detail::PlanRun run = detail::run_plan(plan, cpu, /*keep_delta=*/true);

  m.oi_flow_ = plan.flow_source == "oi";
  m.has_volume_ = market.has_volume();
  m.ts_ = market.ts;
  const std::int64_t steps = plan.steps, bins = plan.bins, rows = 2 * bins;
  if (m.oi_flow_) {
    m.flow_in_ = detail::flow_inputs(market, config, plan);
  } else {
    m.flow_in_.steps = steps;
    m.flow_in_.oi_usd.assign(steps, 0.0);
    m.flow_in_.traded_usd.assign(steps, 0.0);
    m.flow_in_.decay = detail::step_decay(market, config);
    m.flow_in_.long_share = plan.long_share;
    m.flow_in_.tier_weight = plan.tier_weight;
  }
  m.flow_.opened = plan.opened_usd;
  m.flow_.step_factor = plan.step_factor;
  m.flow_.alive = plan.alive_usd;
  m.flow_.liquidated[0] = plan.solved_liquidated[0];
  m.flow_.liquidated[1] = plan.solved_liquidated[1];
  m.flow_.warmup_scale = plan.warmup_scale;
  m.survival_.mantissa = plan.survival_mantissa;
  m.survival_.exponent = plan.survival_exponent;
  m.survival_.wipes = plan.survival_wipes;
  for (int side = 0; side < 2; ++side)
    m.liquidated_fixed_[side].assign(run.liquidated_fixed.begin() + side * steps,
                                     run.liquidated_fixed.begin() + (side + 1) * steps);
  m.totals_ = run.totals;
  m.opened_total_ = plan.opened_total_usd;
  m.survival_constant_ = plan.survival_is_constant;

  // The positions alive after the last step: every opened position whose first passage lies
  // past the data (the sparse tables' answer, as every backend's).
  const detail::PassageTables tables = detail::build_passage_tables(plan, threads);
  const model::ScatterInputs in = detail::position_inputs(plan, tables);
  std::vector<AliveHeaps> per_thread(threads);
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
  for (std::int64_t t0 = 0; t0 < steps; ++t0) {
    if (!(plan.opened_usd[t0] > 0)) continue;
    AliveHeaps& own = per_thread[omp_get_thread_num()];
    for (std::uint32_t k = 0; k < plan.samples_per_step; ++k) {
      const model::Sample sample = model::draw_step_sample(in, t0, k);
      for (int side = model::kLong; side <= model::kShort; ++side)
        for (int e = 0; e < in.exchange_count; ++e) {
          const model::ExchangeParams& ex = in.exchanges[e];
          const model::BracketRow& entry = model::entry_row(in.brackets, ex, sample.entry, sample.notional);
          for (int tier = 0; tier < in.tier_count; ++tier) {
            const model::PositionFate fate =
                model::position_fate(in, t0, sample, side, ex, entry, in.tier_leverage[tier], model::TablePassage{&in});
            if (!(fate.price > 0) || fate.end < steps) continue;
            own.side[side].push_back({fate.price, std::int32_t(t0), model::price_bin(plan.edges.data(), plan.bins, fate.price),
                                      std::int16_t(tier), std::int16_t(e)});
          }
        }
    }
  }
  for (const AliveHeaps& part : per_thread)
    for (int side = 0; side < 2; ++side)
      m.heaps_.side[side].insert(m.heaps_.side[side].end(), part.side[side].begin(), part.side[side].end());
  std::make_heap(m.heaps_.side[0].begin(), m.heaps_.side[0].end(), HighestFirst{});
  std::make_heap(m.heaps_.side[1].begin(), m.heaps_.side[1].end(), LowestFirst{});
  for (auto& heap : m.heaps_.side) heap.reserve(heap.size() + heap.size() / 4 + (1u << 16));

  // Each row's recurrence state after the last step, and the finished columns.
  const model::RecurrenceInputs recurrence = detail::recurrence_inputs(plan);
  model::RecurrenceInputs float_path = recurrence;
  float_path.survival_is_constant = false;
  const std::int64_t finished = steps / plan.time_group;
  m.h_.assign(rows, 0.0);
  m.running_.assign(rows, 0);
  std::vector<double> columns(std::size_t(finished * rows)), columns_h(m.survival_constant_ ? columns.size() : 0);
#pragma omp parallel num_threads(threads)
  {
    std::vector<double> shown(m.survival_constant_ ? plan.columns : 0);
#pragma omp for schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::int64_t* delta = run.delta.data() + r * steps;
      std::int64_t running = 0;
      for (std::int64_t t = 0; t < steps; ++t) running += delta[t];
      m.running_[r] = running;
      m.h_[r] = model::survival_recurrence_steps(float_path, delta, 1, shown.empty() ? nullptr : shown.data(), 1, 0,
                                                 steps, {0, 0.0})
                    .h;
      const Grid& raw = r < bins ? run.result.raw_long : run.result.raw_short;
      for (std::int64_t c = 0; c < finished; ++c) {
        columns[c * rows + r] = raw.at(r % bins, c);
        if (!shown.empty()) columns_h[c * rows + r] = shown[c];
      }
    }
  }
  for (auto* v : {&plan.opened_usd, &plan.step_factor, &plan.alive_usd, &plan.oi_usd, &plan.solved_liquidated[0],
                  &plan.solved_liquidated[1], &plan.survival_mantissa})
    std::vector<double>().swap(*v);
  m.columns_.assign(rows, columns);
  m.columns_h_.assign(rows, columns_h);
  m.plan_ = std::move(plan);
  m.delta_.assign(rows, 0);
  m.column_.assign(rows, 0.0);
  return m;
}

std::optional<std::size_t> LiveModel::first_difference(const std::vector<StepInput>& rows) const {
  for (std::size_t t = 0; t < ts_.size(); ++t) {
    if (t >= rows.size()) return t;
    const StepInput& r = rows[t];
    const double traded = has_volume_ ? r.volume * r.close : 0.0;
    if (r.ts != ts_[t] || r.open != plan_.open[t] || r.high != plan_.high[t] || r.low != plan_.low[t] ||
        r.close != plan_.close[t] || r.long_share != plan_.long_share[t] || traded != flow_in_.traded_usd[t] ||
        (oi_flow_ && r.oi_usd != flow_in_.oi_usd[t]))
      return t;
  }
  return std::nullopt;
}

void LiveModel::append(const StepInput& input) {
  if (!(input.ts > ts_.back()))
    throw Error(ErrorCode::input, "a live state takes candles after its last one (" + std::to_string(ts_.back()) +
                                      "), got ts " + std::to_string(input.ts));
  if (!(opened_total_ * plan_.fixed_scale < 0x1.0p59))  // the units keep 2^59 of room for the steps to come
    throw Error(ErrorCode::config, "the live state's fixed-point units are nearly full (the history opened " +
                                       std::to_string(opened_total_) + " USD): compute the state again");
  step(input, heaps_);
}

void LiveModel::step(const StepInput& input, AliveHeaps& heaps) {
  const std::int64_t t = steps();
  const int bins = plan_.bins;
  ts_.push_back(input.ts);
  plan_.open.push_back(input.open);
  plan_.high.push_back(input.high);
  plan_.low.push_back(input.low);
  plan_.close.push_back(input.close);
  plan_.long_share.push_back(input.long_share);
  plan_.steps = t + 1;
  flow_in_.steps = t + 1;
  flow_in_.oi_usd.push_back(input.oi_usd);
  flow_in_.traded_usd.push_back(has_volume_ ? input.volume * input.close : 0.0);
  const double hours = double(input.ts - ts_[t - 1]) / 3.6e6;
  flow_in_.decay.push_back(config_.flow.half_life_hours ? std::exp2(-hours / *config_.flow.half_life_hours) : 1.0);
  flow_in_.long_share.push_back(input.long_share);

  model::ScatterInputs in = detail::position_inputs(plan_, detail::PassageTables{});
  in.edges = plan_.edges.data();
  in.bins = bins;
  in.fixed_scale = plan_.fixed_scale;
  in.long_share = plan_.long_share.data();

  // The candle reaches the alive positions nearest its low (longs) and high (shorts).
  std::vector<Gone>& gone = gone_;  // the scratch vectors: a candle allocates nothing
  gone.clear();
  auto& longs = heaps.side[0];
  while (!longs.empty() && longs.front().price >= input.low) {
    std::pop_heap(longs.begin(), longs.end(), HighestFirst{});
    gone.push_back({longs.back(), 0});
    longs.pop_back();
  }
  auto& shorts = heaps.side[1];
  while (!shorts.empty() && shorts.front().price <= input.high) {
    std::pop_heap(shorts.begin(), shorts.end(), LowestFirst{});
    gone.push_back({shorts.back(), 1});
    shorts.pop_back();
  }

  // The candle's own positions (their fates do not depend on the flow).
  std::vector<Fresh>& fresh = fresh_;
  fresh.clear();
  for (std::uint32_t k = 0; k < plan_.samples_per_step; ++k) {
    const model::Sample sample = model::draw_step_sample(in, t, k);
    for (int side = model::kLong; side <= model::kShort; ++side)
      for (int e = 0; e < in.exchange_count; ++e) {
        const model::ExchangeParams& ex = in.exchanges[e];
        const model::BracketRow& entry = model::entry_row(in.brackets, ex, sample.entry, sample.notional);
        for (int tier = 0; tier < in.tier_count; ++tier) {
          const model::PositionFate fate =
              model::position_fate(in, t, sample, side, ex, entry, in.tier_leverage[tier], UnknownFuture{t + 1});
          const int bin = fate.price > 0 ? model::price_bin(in.edges, bins, fate.price) : -1;
          fresh.push_back({{fate.price, std::int32_t(t), bin, std::int16_t(tier), std::int16_t(e)}, side, fate.end == t});
        }
      }
  }

  // The liquidation table's entries ending here, as build_liquidation_table orders and merges them.
  const double samples = double(plan_.samples_per_step);
  std::vector<detail::LiquidationTable::Entry>& entries = entries_;
  entries.clear();
  const auto unit_of = [&](int exchange) {
    return model::to_fixed(plan_.exchanges[exchange].share / samples, detail::LiquidationTable::kUnitScale);
  };
  for (const Gone& g : gone) entries.push_back({unit_of(g.p.exchange), g.p.t0, std::int16_t(g.side), g.p.tier});
  for (const Fresh& f : fresh)
    if (f.same_bar) entries.push_back({unit_of(f.p.exchange), std::int32_t(t), std::int16_t(f.side), f.p.tier});
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return a.t0 != b.t0 ? a.t0 < b.t0 : a.side != b.side ? a.side < b.side : a.tier < b.tier;
  });
  std::size_t merged = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (merged > 0 && entries[merged - 1].t0 == entries[i].t0 && entries[merged - 1].side == entries[i].side &&
        entries[merged - 1].tier == entries[i].tier)
      entries[merged - 1].unit += entries[i].unit;
    else
      entries[merged++] = entries[i];
  }
  entries.resize(merged);

  // The flow's step: N_t and g_t.
  if (oi_flow_) {
    detail::forward_step(flow_in_, entries.data(), entries.data() + entries.size(), flow_, survival_);
  } else {
    flow_.opened.push_back(input.volume * input.close * config_.flow.volume_open_fraction);
    flow_.step_factor.push_back(flow_in_.decay[t]);
    survival_.push(flow_.step_factor.back());
  }
  const double g = flow_.step_factor[t];
  const bool was_constant = survival_constant_;
  survival_constant_ = survival_constant_ && g == 1.0;
  opened_total_ += flow_.opened[t];
  if (flow_.opened[t] > 0) ++plan_.active_steps;
  in.opened_usd = flow_.opened.data();
  in.survival_mantissa = survival_.mantissa.data();
  in.survival_exponent = survival_.exponent.data();
  in.survival_wipes = survival_.wipes.data();

  // The grid's deltas and R at t, as scatter_sample adds them.
  const double scale = plan_.fixed_scale;
  std::fill(delta_.begin(), delta_.end(), 0);
  std::int64_t liquidated[2] = {0, 0};
  for (const Gone& gp : gone) {
    const AlivePosition& p = gp.p;
    const model::ExchangeParams& ex = plan_.exchanges[p.exchange];
    const double weight = model::position_weight(in, p.t0, gp.side, ex, p.tier);
    liquidated[gp.side] += model::to_fixed(weight * survival_.ratio(p.t0, t - 1), scale);
    ++totals_.liquidated;
    if (p.bin >= 0) delta_[std::size_t(gp.side) * bins + p.bin] -= model::to_fixed(weight * survival_.ratio(p.t0, t), scale);
  }
  if (flow_.opened[t] > 0) {
    for (const Fresh& f : fresh) {
      const model::ExchangeParams& ex = plan_.exchanges[f.p.exchange];
      const double weight = model::position_weight(in, t, f.side, ex, f.p.tier);
      const std::int64_t weight_fixed = model::to_fixed(weight, scale);
      ++totals_.positions;
      if (!(f.p.price > 0)) {
        ++totals_.unliquidatable;
        totals_.unliquidatable_fixed += weight_fixed;
        continue;
      }
      if (f.same_bar) {
        liquidated[f.side] += model::to_fixed(weight * 1.0, scale);
        ++totals_.liquidated;
      } else {
        heaps.side[f.side].push_back(f.p);
        if (f.side == 0) std::push_heap(longs.begin(), longs.end(), HighestFirst{});
        else std::push_heap(shorts.begin(), shorts.end(), LowestFirst{});
      }
      if (f.p.bin < 0) {
        ++totals_.out_of_range;
        totals_.out_of_range_fixed += weight_fixed;
        continue;
      }
      ++totals_.in_range;
      totals_.in_range_fixed += weight_fixed;
      if (!f.same_bar) delta_[std::size_t(f.side) * bins + f.p.bin] += weight_fixed;
    }
  }
  for (int side = 0; side < 2; ++side) liquidated_fixed_[side].push_back(liquidated[side]);

  // Every row's recurrence, and the column when its group is complete.
  const double unit = 1.0 / scale;
  for (std::size_t r = 0; r < h_.size(); ++r) {
    running_[r] += delta_[r];
    h_[r] = model::recurrence_step(h_[r], g, delta_[r], unit);
  }
  if (was_constant && !survival_constant_) {  // the float recurrence's columns from here on
    std::swap(columns_, columns_h_);
    columns_h_.reset(h_.size());
  }
  if ((t + 1) % plan_.time_group == 0) {
    for (std::size_t r = 0; r < h_.size(); ++r)
      column_[r] = survival_constant_ ? model::shown_sum(running_[r], unit) : model::shown_value(h_[r]);
    columns_.push(column_.data());
    if (survival_constant_) {
      for (std::size_t r = 0; r < h_.size(); ++r) column_[r] = model::shown_value(h_[r]);
      columns_h_.push(column_.data());
    }
  }
}

LiveModel::Checkpoint LiveModel::checkpoint() const {
  Checkpoint point;
  point.steps = ts_.size();
  point.columns = columns_.columns();
  point.columns_h = columns_h_.columns();
  if (survival_constant_) point.columns_copy = columns_, point.columns_h_copy = columns_h_;
  point.h = h_;
  point.running = running_;
  point.totals = totals_;
  point.opened_total = opened_total_;
  point.survival_constant = survival_constant_;
  point.active_steps = plan_.active_steps;
  return point;
}

void LiveModel::rollback(const Checkpoint& point) {
  const std::size_t n = point.steps;
  truncate(ts_, n);
  for (auto* v : {&plan_.open, &plan_.high, &plan_.low, &plan_.close, &plan_.long_share, &flow_in_.oi_usd,
                  &flow_in_.traded_usd, &flow_in_.decay, &flow_in_.long_share, &flow_.opened, &flow_.step_factor,
                  &flow_.alive, &flow_.liquidated[0], &flow_.liquidated[1], &survival_.mantissa})
    truncate(*v, n);
  truncate(survival_.exponent, n);
  truncate(survival_.wipes, n);
  truncate(liquidated_fixed_[0], n);
  truncate(liquidated_fixed_[1], n);
  plan_.steps = flow_in_.steps = std::int64_t(n);
  if (point.survival_constant) {
    columns_ = point.columns_copy;
    columns_h_ = point.columns_h_copy;
  } else {
    columns_.truncate(point.columns);
    columns_h_.truncate(point.columns_h);
  }
  h_ = point.h;
  running_ = point.running;
  totals_ = point.totals;
  opened_total_ = point.opened_total;
  survival_constant_ = point.survival_constant;
  plan_.active_steps = point.active_steps;
}

Result LiveModel::provisional_result(const std::vector<StepInput>& steps, int threads, detail::Plan* plan) {
  if (steps.empty()) return result(threads, plan);
  const Checkpoint point = checkpoint();
  // Only the alive positions these candles can reach take part: a heap's subtree below a
  // position out of reach is out of reach too.
  double lowest = steps.front().low, highest = steps.front().high;
  for (const StepInput& s : steps) lowest = std::min(lowest, s.low), highest = std::max(highest, s.high);
  AliveHeaps reachable;
  for (int side = 0; side < 2; ++side) {
    const std::vector<AlivePosition>& heap = heaps_.side[side];
    std::vector<std::size_t> stack;
    if (!heap.empty()) stack.push_back(0);
    while (!stack.empty()) {
      const std::size_t i = stack.back();
      stack.pop_back();
      if (side == 0 ? !(heap[i].price >= lowest) : !(heap[i].price <= highest)) continue;
      reachable.side[side].push_back(heap[i]);
      for (std::size_t child : {2 * i + 1, 2 * i + 2})
        if (child < heap.size()) stack.push_back(child);
    }
  }
  std::make_heap(reachable.side[0].begin(), reachable.side[0].end(), HighestFirst{});
  std::make_heap(reachable.side[1].begin(), reachable.side[1].end(), LowestFirst{});
  try {
    for (const StepInput& s : steps) {
      if (!(s.ts > ts_.back())) throw Error(ErrorCode::input, "provisional candles must follow the state's last one");
      step(s, reachable);
    }
    Result shown = result(threads, plan);
    rollback(point);
    return shown;
  } catch (...) {
    rollback(point);
    throw;
  }
}

detail::Plan LiveModel::plan_now() const {
  detail::Plan plan = plan_;
  const std::size_t steps = ts_.size();
  plan.steps = std::int64_t(steps);
  plan.opened_usd = flow_.opened;
  plan.step_factor = flow_.step_factor;
  plan.survival_mantissa = survival_.mantissa;
  plan.survival_exponent = survival_.exponent;
  plan.survival_wipes = survival_.wipes;
  plan.survival_is_constant = survival_constant_;
  plan.opened_total_usd = opened_total_;
  if (oi_flow_) {
    plan.oi_usd = flow_in_.oi_usd;
    plan.alive_usd = flow_.alive;
    plan.solved_liquidated[0] = flow_.liquidated[0];
    plan.solved_liquidated[1] = flow_.liquidated[1];
  }
  Axes& axes = plan.axes;
  axes.steps = steps;
  plan.columns = (steps + plan.time_group - 1) / plan.time_group;
  axes.column_step.clear();
  axes.column_ts.clear();
  for (std::size_t c = 0; c < plan.columns; ++c) {
    const std::size_t step = std::min((c + 1) * std::size_t(plan.time_group), steps) - 1;
    axes.column_step.push_back(step);
    axes.column_ts.push_back(ts_[step]);
  }
  return plan;
}

Result LiveModel::result(int threads, detail::Plan* plan_out) const {
  threads = detail::resolve_threads(threads);
  detail::Plan plan = plan_now();
  const std::size_t bins = std::size_t(plan.bins), columns = plan.columns;
  const std::size_t finished = columns_.columns();
  const double unit = 1.0 / plan.fixed_scale;
  Result result;
  result.raw_long = Grid::uninitialized(bins, columns);
  result.raw_short = Grid::uninitialized(bins, columns);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::size_t b = 0; b < bins; ++b) {
    for (std::size_t c = 0; c < finished; ++c) {
      result.raw_long.at(b, c) = columns_.at(c, b);
      result.raw_short.at(b, c) = columns_.at(c, bins + b);
    }
    if (finished < columns) {  // the last group is still open: its column shows the last step
      const auto shown = [&](std::size_t r) {
        return survival_constant_ ? model::shown_sum(running_[r], unit) : model::shown_value(h_[r]);
      };
      result.raw_long.at(b, columns - 1) = shown(b);
      result.raw_short.at(b, columns - 1) = shown(bins + b);
    }
  }
  if (plan.sigma_price_bins > 0) {
    const std::vector<double> kernel = model::gaussian_kernel(plan.sigma_price_bins);
    result.smooth_long = Grid::uninitialized(bins, columns);
    result.smooth_short = Grid::uninitialized(bins, columns);
    detail::smooth_price_axis(result.raw_long, result.smooth_long, kernel, threads);
    detail::smooth_price_axis(result.raw_short, result.smooth_short, kernel, threads);
  } else {
    result.smooth_long = result.raw_long;
    result.smooth_short = result.raw_short;
  }

  RunStats& stats = result.stats;
  const std::size_t steps = ts_.size();
  result.liq_long.resize(steps);
  result.liq_short.resize(steps);
  for (std::size_t t = 0; t < steps; ++t) {
    result.liq_long[t] = double(liquidated_fixed_[0][t]) * unit;
    result.liq_short[t] = double(liquidated_fixed_[1][t]) * unit;
    stats.liquidated_usd += result.liq_long[t] + result.liq_short[t];
  }
  stats.positions_drawn = totals_.positions;
  stats.positions_in_range = totals_.in_range;
  stats.positions_out_of_range = totals_.out_of_range;
  stats.positions_unliquidatable = totals_.unliquidatable;
  stats.positions_liquidated = totals_.liquidated;
  stats.in_range_usd = double(totals_.in_range_fixed) * unit;
  stats.out_of_range_usd = double(totals_.out_of_range_fixed) * unit;
  stats.unliquidatable_usd = double(totals_.unliquidatable_fixed) * unit;
  stats.opened_usd = plan.opened_total_usd;
  stats.flow_source = plan.flow_source;
  stats.flow_notes = plan.notes;
  stats.backend = "cpu";
  stats.backend_note = "live state";
  stats.threads = threads;
  result.axes = plan.axes;
  if (!plan.oi_usd.empty())
    for (std::size_t step : plan.axes.column_step) {
      result.axes.column_oi_usd.push_back(plan.oi_usd[step]);
      result.axes.column_book_usd.push_back(plan.alive_usd[step]);
    }
  if (plan_out) *plan_out = std::move(plan);
  return result;
}

}  // namespace liqmap::live
