// compute(): validate -> plan -> backend (scatter, recurrence, smoothing) -> statistics.
#include <chrono>
#include <new>
#include <sstream>

#include "engine/backend.hpp"
#include "engine/plan_run.hpp"
#include "model/config_rules.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "resources/memory_budget.hpp"

namespace liqmap {
namespace {

using Clock = std::chrono::steady_clock;

std::string gib(double bytes) {
  std::ostringstream s;
  s.precision(3);
  s << bytes / double(1ull << 30) << " GiB";
  return s.str();
}

// `auto` takes cuda when it is usable and falls back to the CPU, with the reason, when it is
// not or when it fails for want of memory or a device error.
detail::BackendOutput run_backend(const detail::Plan& plan, const RunOptions& options, bool keep_delta,
                                  std::int64_t tier_column_step, RunStats& stats) {
  detail::BackendSettings settings;
  settings.threads = options.threads;
  settings.keep_delta = keep_delta;
  settings.tier_column_step = tier_column_step;
  settings.device_memory_limit = options.device_memory_limit;
  const detail::RunControl control = detail::run_control(options);
  const detail::BackendEntry& cuda = detail::find_backend("cuda");
  std::string cuda_reason;
  const bool cuda_ok = options.backend != Backend::cpu && cuda.usable(cuda_reason);
  if (options.backend == Backend::cuda) {
    if (!cuda_ok) throw Error(ErrorCode::device, "backend \"cuda\" was asked for but " + cuda_reason);
    stats.backend = "cuda";
    stats.backend_note = "asked for";
    return cuda.run(plan, settings, control);
  }
  if (options.backend == Backend::automatic && cuda_ok) {
    try {
      stats.backend = "cuda";
      stats.backend_note = "auto: " + cuda_reason;
      return cuda.run(plan, settings, control);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::out_of_memory && e.code() != ErrorCode::device) throw;
      cuda_reason = std::string("the CUDA backend failed (") + e.what() + ")";
    }
  }
  stats.backend = "cpu";
  stats.backend_note = options.backend == Backend::cpu ? "asked for" : "auto: " + cuda_reason;
  return detail::find_backend("cpu").run(plan, settings, control);
}

}  // namespace

const char* to_string(Backend b) {
  switch (b) {
    case Backend::automatic: return "auto";
    case Backend::cpu: return "cpu";
    case Backend::cuda: return "cuda";
  }
  return "?";
}

Backend parse_backend(const std::string& name) {
  if (name == "auto") return Backend::automatic;
  if (name == "cpu") return Backend::cpu;
  if (name == "cuda") return Backend::cuda;
  throw Error(ErrorCode::invalid_argument,
              "unknown backend \"" + name + "\": allowed are auto, cpu, cuda");
}

Result compute(const Market& market, const Config& config, const RunOptions& options) {
  return detail::compute(market, config, options, nullptr);
}

namespace detail {

Result compute(const Market& market, const Config& config, const RunOptions& options, RunExtras* extras) {
  const auto run_start = Clock::now();
  validate_market(market);
  detail::check_config(config);
  if (!config.venues.empty())  // each venue has its own market: not one market's run
    throw Error(ErrorCode::config, "the config names venues: several venues run through `liqmap compute` (host/venues/), "
                                   "not through compute() of one market");
  // Before the plan and the grids are allocated: a job that cannot fit is refused with its size.
  detail::require_job_memory(config, market.size(), options.backend != Backend::cuda,
                             extras ? extras->extra_memory_bytes : 0);

  auto start = Clock::now();
  detail::Plan plan = detail::build_plan(market, config, options.threads, detail::run_control(options));
  const double plan_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const std::int64_t tier_column_step = extras && extras->map_step ? extras->map_step(plan.axes) : -1;
  PlanRun run = detail::run_plan(plan, options, false, tier_column_step);
  Result& result = run.result;
  result.stats.stages.insert(result.stats.stages.begin(), {"plan", plan_seconds});
  result.stats.total_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  if (extras) {
    extras->plan = std::move(plan);
    extras->tier_column = std::move(run.tier_column);
  }
  return std::move(result);
}

RunControl run_control(const RunOptions& options) {
  return RunControl([progress = options.progress](const char*, double fraction) { return !progress || progress(fraction); });
}

PlanRun run_plan(const Plan& plan, const RunOptions& options, bool keep_delta, std::int64_t tier_column_step) {
  const auto run_start = Clock::now();
  detail::check_threads(options.threads);
  PlanRun run;
  Result& result = run.result;
  RunStats& stats = result.stats;
  try {
    detail::BackendOutput out = run_backend(plan, options, keep_delta, tier_column_step, stats);
    stats.threads = out.threads;
    stats.stages.insert(stats.stages.end(), out.stages.begin(), out.stages.end());

    result.raw_long = std::move(out.raw_long);
    result.raw_short = std::move(out.raw_short);
    result.smooth_long = std::move(out.smooth_long);
    result.smooth_short = std::move(out.smooth_short);

    const double unit = 1.0 / plan.fixed_scale;
    result.liq_long.resize(plan.steps);
    result.liq_short.resize(plan.steps);
    for (std::int64_t t = 0; t < plan.steps; ++t) {
      result.liq_long[t] = double(out.liquidated_fixed[t]) * unit;
      result.liq_short[t] = double(out.liquidated_fixed[plan.steps + t]) * unit;
      stats.liquidated_usd += result.liq_long[t] + result.liq_short[t];
    }
    const model::ScatterTotals& totals = out.totals;
    stats.positions_drawn = totals.positions;
    stats.positions_in_range = totals.in_range;
    stats.positions_out_of_range = totals.out_of_range;
    stats.positions_unliquidatable = totals.unliquidatable;
    stats.positions_liquidated = totals.liquidated;
    stats.in_range_usd = double(totals.in_range_fixed) * unit;
    stats.out_of_range_usd = double(totals.out_of_range_fixed) * unit;
    stats.unliquidatable_usd = double(totals.unliquidatable_fixed) * unit;
    run.liquidated_fixed = std::move(out.liquidated_fixed);
    run.delta = std::move(out.delta);
    run.tier_column = std::move(out.tier_column);
    run.totals = out.totals;
  } catch (const std::bad_alloc&) {
    const double cells = double(plan.bins) * double(plan.steps);
    throw Error(ErrorCode::out_of_memory,
                "out of host memory: " + std::to_string(plan.bins) + " bins x " +
                    std::to_string(plan.steps) + " steps need about " + gib(cells * 16.0) +
                    " for the delta grids plus " + gib(double(plan.bins) * plan.columns * 32.0) +
                    " for the output grids; use fewer bins, fewer steps or grid.time_group");
  }
  stats.opened_usd = plan.opened_total_usd;
  stats.flow_source = plan.flow_source;
  stats.flow_notes = plan.notes;
  result.axes = plan.axes;
  if (!plan.oi_usd.empty())
    for (std::size_t step : plan.axes.column_step) {
      result.axes.column_oi_usd.push_back(plan.oi_usd[step]);
      result.axes.column_book_usd.push_back(plan.alive_usd[step]);
    }
  stats.total_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  return run;
}

}  // namespace detail

BackendInfo backend_info() {
  BackendInfo info;
  info.cuda_compiled = detail::cuda_backend_compiled();
  info.cuda_usable = detail::find_backend("cuda").usable(info.cuda_reason);
  info.devices = detail::cuda_devices();
  return info;
}

}  // namespace liqmap
