#include "model/plan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <omp.h>
#include <sstream>

#include "liqmap/error.hpp"
#include "model/config_rules.hpp"
#include "model/flow.hpp"
#include "model/work_limits.hpp"

namespace liqmap::detail {
namespace {

FlowSource resolve_source(const Market& market, const Config& config) {
  FlowSource source = config.flow.source;
  if (source == FlowSource::automatic) {
    if (market.has_oi()) source = FlowSource::oi;
    else if (market.has_volume()) source = FlowSource::volume;
    else
      throw Error(ErrorCode::input,
                  "the market has neither an 'oi' nor a 'volume' column: the opened notional "
                  "(docs/model.md, \"Flow\") needs one of them");
  }
  if (source == FlowSource::oi && !market.has_oi())
    throw Error(ErrorCode::config, "flow.source is \"oi\" but the market has no 'oi' column");
  if (source == FlowSource::volume && !market.has_volume())
    throw Error(ErrorCode::config, "flow.source is \"volume\" but the market has no 'volume' column");
  return source;
}

// The open-interest flow: the positions walked once (liquidation table), then the balance of
// opening, liquidation and voluntary close solved step by step (model/flow.hpp).
void solve_oi_flow(const Market& market, const Config& config, int threads, const RunControl& control,
                   Plan& plan) {
  OiFlowParts parts = oi_flow_parts(market, config, plan, threads, control);
  const FlowInputs& in = parts.inputs;
  FlowSolution solution = solve_flow(in, parts.table);

  plan.opened_usd = std::move(solution.opened);
  plan.step_factor = std::move(solution.step_factor);
  plan.alive_usd = std::move(solution.alive);
  plan.solved_liquidated[0] = std::move(solution.liquidated[0]);
  plan.solved_liquidated[1] = std::move(solution.liquidated[1]);
  plan.oi_usd = std::move(parts.inputs.oi_usd);
  plan.warmup_steps = in.warmup_steps;
  plan.warmup_scale = solution.warmup_scale;
  if (in.warmup_steps == 0)
    plan.notes.push_back("no candles before the first open-interest value: the opening open interest is seeded "
                         "at the first step (no warm-up)");
  else if (!(solution.warmup_scale > 0))
    plan.notes.push_back("the warm-up candles have no volume: the opening open interest is seeded at the first "
                         "open-interest step");
  else
    plan.notes.push_back("warm-up: " + std::to_string(in.warmup_steps) +
                         " candle(s) before the first open-interest value seed the opening open interest");
}

void plan_flow(const Market& market, const Config& config, int threads, const RunControl& control, Plan& plan) {
  const std::size_t steps = market.size();
  const FlowSource source = resolve_source(market, config);
  plan.flow_source = source == FlowSource::oi ? "oi" : "volume";
  if (source == FlowSource::oi) {
    solve_oi_flow(market, config, threads, control, plan);
  } else {
    plan.opened_usd.assign(steps, 0.0);
    for (std::size_t t = 0; t < steps; ++t)
      plan.opened_usd[t] = market.volume[t] * market.close[t] * config.flow.volume_open_fraction;
    plan.step_factor = step_decay(market, config);
    plan.step_factor[0] = 1.0;
  }
  plan.opened_total_usd = std::accumulate(plan.opened_usd.begin(), plan.opened_usd.end(), 0.0);
  plan.survival_is_constant =
      std::all_of(plan.step_factor.begin(), plan.step_factor.end(), [](double g) { return g == 1.0; });
  // S_t kept as mantissa * 2^exponent, renormalised every step so no length of series under-
  // or overflows; a step with g_t = 0 closes everything and starts a new segment.
  plan.survival_mantissa.assign(steps, 1.0);
  plan.survival_exponent.assign(steps, 0);
  plan.survival_wipes.assign(steps, 0);
  double mantissa = 1.0;
  std::int64_t exponent = 0, wipes = 0;
  for (std::size_t t = 1; t < steps; ++t) {
    const double g = plan.step_factor[t];
    if (g == 0.0) {
      ++wipes;
      mantissa = 1.0;
      exponent = 0;
    } else {
      int shift = 0;
      mantissa = std::frexp(mantissa * g, &shift);
      exponent += shift;
    }
    plan.survival_mantissa[t] = mantissa;
    plan.survival_exponent[t] = exponent;
    plan.survival_wipes[t] = wipes;
  }
}

// Finite inputs can still multiply to infinity (close and volume of 1e200): refuse the run
// rather than scatter NaN and infinity, naming the first step where it happens.
void require_finite_notional(const Market& market, const Plan& plan) {
  double total = 0;
  for (std::size_t t = 0; t < plan.opened_usd.size(); ++t) {
    total += plan.opened_usd[t];
    if (std::isfinite(plan.opened_usd[t]) && std::isfinite(total)) continue;
    std::ostringstream msg;
    msg << "row " << t + 1 << " (ts " << market.ts[t] << "): the notional opened up to this bar is not a finite number"
        << " (close " << market.close[t] << "): the values are too large to compute with";
    throw Error(ErrorCode::input, msg.str());
  }
}

void plan_positions(const Market& market, const Config& config, Plan& plan) {
  plan.samples_per_step = static_cast<std::uint32_t>(config.positions.samples_per_step);
  plan.seed = config.positions.seed;
  plan.entry_mode = config.positions.entry == EntryMode::uniform      ? model::kEntryUniform
                    : config.positions.entry == EntryMode::triangular ? model::kEntryTriangular
                    : config.positions.entry == EntryMode::path       ? model::kEntryPath
                                                                      : model::kEntryClose;
  plan.size_median = config.positions.size_median_usd;
  plan.size_sigma = config.positions.size_sigma;

  plan.long_share = market.has_long_share()
                        ? market.long_share
                        : std::vector<double>(market.size(), config.long_share);

  double tier_total = 0;
  for (const auto& tier : config.leverage) tier_total += tier.w;
  for (const auto& tier : config.leverage) {
    plan.tier_leverage.push_back(tier.x);
    plan.tier_weight.push_back(tier.w / tier_total);
  }
  double share_total = 0;
  for (const auto& ex : config.exchanges) share_total += ex.share;
  for (const auto& ex : config.exchanges) {
    model::ExchangeParams p{};
    p.first_bracket = static_cast<int>(plan.brackets.size());
    p.bracket_count = static_cast<int>(ex.schedule.brackets.size());
    p.inverse = ex.schedule.contract == ContractType::inverse;
    p.entry_basis = ex.schedule.basis == MarginBasis::entry;
    p.unit_base = ex.schedule.unit == NotionalUnit::base;
    p.fee_rate = ex.schedule.fee_rate;
    p.share = ex.share / share_total;
    plan.exchanges.push_back(p);
    for (const auto& b : ex.schedule.brackets)
      plan.brackets.push_back({b.floor, b.cap, b.max_leverage, b.mmr, b.cum});
  }
}

void plan_axes(const Market& market, const Config& config, Plan& plan) {
  const double lowest = *std::min_element(market.low.begin(), market.low.end());
  const double highest = *std::max_element(market.high.begin(), market.high.end());
  const double margin = config.grid.range_margin;
  const double price_min = config.grid.price_min.value_or(lowest * (1.0 - margin));
  const double price_max = config.grid.price_max.value_or(highest * (1.0 + margin));
  if (!(price_min < price_max))
    throw Error(ErrorCode::config, "grid: price_min (" + std::to_string(price_min) +
                                       ") must be below price_max (" + std::to_string(price_max) + ")");
  check_price_range(price_min, price_max, config.grid.price_bins);
  if (config.grid.price_scale == PriceScale::log && !(price_min > 0))
    throw Error(ErrorCode::config, "grid.price_scale \"log\" needs price_min > 0, got " +
                                       std::to_string(price_min) +
                                       " (set grid.price_min or lower grid.range_margin below 1)");

  plan.bins = config.grid.price_bins;
  Axes& axes = plan.axes;
  axes.scale = config.grid.price_scale;
  axes.price_min = price_min;
  axes.price_max = price_max;
  axes.steps = market.size();
  axes.price_edges.resize(plan.bins + 1);
  axes.price_centres.resize(plan.bins);
  for (int b = 0; b <= plan.bins; ++b) {
    const double f = double(b) / plan.bins;
    axes.price_edges[b] = axes.scale == PriceScale::linear
                              ? price_min + f * (price_max - price_min)
                              : price_min * std::exp(f * std::log(price_max / price_min));
  }
  axes.price_edges.front() = price_min;
  axes.price_edges.back() = price_max;
  for (int b = 0; b < plan.bins; ++b) {
    axes.price_centres[b] = axes.scale == PriceScale::linear
                                ? 0.5 * (axes.price_edges[b] + axes.price_edges[b + 1])
                                : std::sqrt(axes.price_edges[b] * axes.price_edges[b + 1]);
  }
  plan.edges = axes.price_edges;

  plan.time_group = config.grid.time_group;
  plan.columns = (market.size() + plan.time_group - 1) / plan.time_group;
  for (std::size_t c = 0; c < plan.columns; ++c) {
    const std::size_t step = std::min((c + 1) * plan.time_group, market.size()) - 1;
    axes.column_step.push_back(step);
    axes.column_ts.push_back(market.ts[step]);
  }
}

}  // namespace

Plan build_plan(const Market& market, const Config& config, int threads, const RunControl& control) {
  if (market.size() == 0) throw Error(ErrorCode::input, "the market has no rows");
  check_threads(threads);
  check_run_work(config, market.size());  // before the flow, which walks the positions once already
  control.checkpoint("plan", 0.0);
  Plan plan;
  plan.steps = static_cast<std::int64_t>(market.size());
  plan.open = market.open;
  plan.low = market.low;
  plan.high = market.high;
  plan.close = market.close;
  plan.same_bar = config.positions.same_bar;
  plan_positions(market, config, plan);
  plan_flow(market, config, threads > 0 ? threads : omp_get_max_threads(), control, plan);
  require_finite_notional(market, plan);
  plan.active_steps = std::count_if(plan.opened_usd.begin(), plan.opened_usd.end(),
                                    [](double n) { return n > 0; });
  plan_axes(market, config, plan);
  plan.sigma_price_bins = config.smoothing.sigma_price_bins;
  plan.sigma_time_steps = config.smoothing.sigma_time_steps;

  // Integer units per USD: the largest power of two with which the sum of every delta's
  // magnitude (at most twice the opened notional) stays below 2^61.
  plan.fixed_scale = std::ldexp(1.0, config.grid.fixed_point_exponent.value_or(fixed_point_exponent(plan.opened_total_usd)));
  if (config.grid.fixed_point_exponent && !(plan.opened_total_usd * plan.fixed_scale < 0x1.0p60))
    throw Error(ErrorCode::config, "grid.fixed_point_exponent " + std::to_string(*config.grid.fixed_point_exponent) +
                                       " leaves no room for the " + std::to_string(plan.opened_total_usd) +
                                       " USD this run opens (the sums must stay below 2^60 units): lower it or leave it out");
  return plan;
}

model::ScatterInputs position_inputs(const Plan& plan, const PassageTables& tables) {
  model::ScatterInputs in{};
  in.steps = plan.steps;
  in.samples_per_step = plan.samples_per_step;
  in.seed = plan.seed;
  in.entry_mode = plan.entry_mode;
  in.size_median = plan.size_median;
  in.size_sigma = plan.size_sigma;
  in.open = plan.open.data();
  in.low = plan.low.data();
  in.high = plan.high.data();
  in.close = plan.close.data();
  in.min_low = tables.min_low.data();
  in.max_high = tables.max_high.data();
  in.levels = tables.levels;
  in.same_bar = plan.same_bar ? 1 : 0;
  in.tier_count = static_cast<int>(plan.tier_leverage.size());
  in.tier_leverage = plan.tier_leverage.data();
  in.tier_weight = plan.tier_weight.data();
  in.exchange_count = static_cast<int>(plan.exchanges.size());
  in.exchanges = plan.exchanges.data();
  in.brackets = plan.brackets.data();
  return in;
}

FlowInputs flow_inputs(const Market& market, const Config& config, const Plan& plan) {
  const std::size_t steps = market.size();
  FlowInputs in;
  in.steps = plan.steps;
  in.warmup_steps = std::int64_t(std::min(market.warmup_rows, steps - 1));
  const std::vector<double> oi =
      config.flow.spread_oi ? spread_oi_changes(market.oi, market.volume, std::size_t(in.warmup_steps),
                                                config.flow.oi_interval_steps.value_or(0))
                            : market.oi;
  in.oi_usd.resize(steps);
  in.traded_usd.assign(steps, 0.0);
  for (std::size_t t = 0; t < steps; ++t) {
    const std::size_t known = std::max<std::size_t>(t, std::size_t(in.warmup_steps));
    in.oi_usd[t] = oi[known] * (config.flow.oi_unit == OiUnit::base ? market.close[known] : 1.0);
    if (market.has_volume()) in.traded_usd[t] = market.volume[t] * market.close[t];
  }
  in.decay = step_decay(market, config);
  in.long_share = plan.long_share;
  in.tier_weight = plan.tier_weight;
  in.turnover = config.flow.turnover;
  return in;
}

OiFlowParts oi_flow_parts(const Market& market, const Config& config, const Plan& plan, int threads,
                          const RunControl& control) {
  OiFlowParts parts;
  parts.inputs = flow_inputs(market, config, plan);
  const PassageTables tables = build_passage_tables(plan, threads);
  parts.table = build_liquidation_table(position_inputs(plan, tables), threads, control);
  return parts;
}

std::vector<double> step_decay(const Market& market, const Config& config) {
  std::vector<double> decay(market.size(), 1.0);
  if (!config.flow.half_life_hours) return decay;
  for (std::size_t t = 1; t < market.size(); ++t) {
    const double hours = double(market.ts[t] - market.ts[t - 1]) / 3.6e6;
    decay[t] = std::exp2(-hours / *config.flow.half_life_hours);
  }
  return decay;
}

int fixed_point_exponent(double opened_total_usd) {
  const double total = std::max(opened_total_usd, 1.0);
  return std::min(40, int(std::floor(std::log2(0x1.0p60 / total))));
}

std::size_t oi_change_interval(const std::vector<double>& oi, std::size_t first) {
  std::vector<std::size_t> changes;  // candles where a new value appears
  for (std::size_t j = first + 1; j < oi.size(); ++j)
    if (oi[j] != oi[j - 1]) changes.push_back(j);
  // An interval is at most the typical (median) spacing of the changes long, so a value that
  // repeats does not stretch the next change over many intervals.
  std::vector<std::size_t> gaps;
  for (std::size_t i = 1; i < changes.size(); ++i) gaps.push_back(changes[i] - changes[i - 1]);
  if (gaps.empty()) return oi.size();
  std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
  return gaps[gaps.size() / 2];
}

std::vector<double> spread_oi_changes(const std::vector<double>& oi, const std::vector<double>& volume,
                                      std::size_t first, std::size_t longest) {
  std::vector<std::size_t> changes;  // candles where a new value appears
  for (std::size_t j = first + 1; j < oi.size(); ++j)
    if (oi[j] != oi[j - 1]) changes.push_back(j);
  if (longest == 0) longest = oi_change_interval(oi, first);
  std::vector<double> spread = oi;
  std::size_t start = first + 1;  // first candle of the current interval
  for (const std::size_t j : changes) {
    start = std::max(start, j + 1 - std::min(longest, j + 1));
    double total = 0;
    for (std::size_t i = start; i <= j; ++i) total += volume.empty() ? 1.0 : volume[i];
    double running = 0;
    for (std::size_t i = start; i <= j; ++i) {
      running += volume.empty() ? 1.0 : volume[i];
      const double share = total > 0 ? running / total : double(i - start + 1) / double(j - start + 1);
      spread[i] = oi[j - 1] + (oi[j] - oi[j - 1]) * share;
    }
    spread[j] = oi[j];  // exact at the candle where the value is known
    start = j + 1;
  }
  return spread;
}

PassageTables build_passage_tables(const Plan& plan, int threads) {
  PassageTables tables;
  const std::int64_t steps = plan.steps;
  tables.levels = 1;
  while ((std::int64_t(1) << tables.levels) <= steps) ++tables.levels;
  tables.min_low.resize(std::size_t(tables.levels) * steps);
  tables.max_high.resize(std::size_t(tables.levels) * steps);
  std::copy(plan.low.begin(), plan.low.end(), tables.min_low.begin());
  std::copy(plan.high.begin(), plan.high.end(), tables.max_high.begin());
  for (int level = 1; level < tables.levels; ++level) {
    const std::int64_t half = std::int64_t(1) << (level - 1);
    const double* lo_prev = tables.min_low.data() + (level - 1) * steps;
    const double* hi_prev = tables.max_high.data() + (level - 1) * steps;
    double* lo = tables.min_low.data() + level * steps;
    double* hi = tables.max_high.data() + level * steps;
#pragma omp parallel for num_threads(threads) schedule(static)
    for (std::int64_t i = 0; i < steps; ++i) {
      const std::int64_t j = std::min(i + half, steps - 1);  // cells past the end are never read
      lo[i] = std::min(lo_prev[i], lo_prev[j]);
      hi[i] = std::max(hi_prev[i], hi_prev[j]);
    }
  }
  return tables;
}

}  // namespace liqmap::detail
