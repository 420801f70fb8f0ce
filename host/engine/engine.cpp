// compute(): validate -> plan -> backend (scatter, recurrence) -> smoothing -> statistics.
#include <chrono>
#include <new>
#include <sstream>

#include "engine/backend.hpp"
#include "model/config_rules.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "engine/smoothing.hpp"

namespace liqmap {
namespace {

using Clock = std::chrono::steady_clock;

std::string gib(double bytes) {
  std::ostringstream s;
  s.precision(3);
  s << bytes / double(1ull << 30) << " GiB";
  return s.str();
}

detail::BackendOutput run_backend(const detail::Plan& plan, const RunOptions& options,
                                  RunStats& stats) {
  std::string cuda_reason;
  const bool cuda_ok = detail::cuda_backend_usable(cuda_reason);
  if (options.backend == Backend::cuda) {
    if (!cuda_ok) throw Error(ErrorCode::device, "backend \"cuda\" was asked for but " + cuda_reason);
    stats.backend = "cuda";
    stats.backend_note = "asked for";
    return detail::run_cuda_backend(plan, options);
  }
  if (options.backend == Backend::automatic && cuda_ok) {
    try {
      stats.backend = "cuda";
      stats.backend_note = "auto: " + cuda_reason;
      return detail::run_cuda_backend(plan, options);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::out_of_memory && e.code() != ErrorCode::device) throw;
      cuda_reason = std::string("the CUDA backend failed (") + e.what() + ")";
    }
  }
  stats.backend = "cpu";
  stats.backend_note = options.backend == Backend::cpu ? "asked for" : "auto: " + cuda_reason;
  return detail::run_cpu_backend(plan, options);
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

std::vector<double> Grid::column(std::size_t col) const {
  std::vector<double> out(rows);
  for (std::size_t r = 0; r < rows; ++r) out[r] = at(r, col);
  return out;
}

double Grid::column_sum(std::size_t col) const {
  double sum = 0;
  for (std::size_t r = 0; r < rows; ++r) sum += at(r, col);
  return sum;
}

namespace {
Grid add_grids(const Grid& a, const Grid& b) {
  Grid sum(a.rows, a.cols);
  for (std::size_t i = 0; i < sum.data.size(); ++i) sum.data[i] = a.data[i] + b.data[i];
  return sum;
}
}  // namespace

Grid Result::smooth_total() const { return add_grids(smooth_long, smooth_short); }
Grid Result::raw_total() const { return add_grids(raw_long, raw_short); }

Result compute(const Market& market, const Config& config, const RunOptions& options) {
  const auto run_start = Clock::now();
  validate_market(market);
  detail::check_config(config);

  Result result;
  RunStats& stats = result.stats;
  auto start = Clock::now();
  detail::Plan plan = detail::build_plan(market, config, options.threads);
  stats.stages.push_back({"plan", std::chrono::duration<double>(Clock::now() - start).count()});

  try {
    detail::BackendOutput out = run_backend(plan, options, stats);
    stats.threads = out.threads;
    stats.stages.insert(stats.stages.end(), out.stages.begin(), out.stages.end());

    start = Clock::now();
    if (out.smooth_long.data.empty()) {
      out.smooth_long = detail::smooth_grid(out.raw_long, plan.sigma_price_bins, plan.sigma_time_steps, out.threads);
      out.smooth_short = detail::smooth_grid(out.raw_short, plan.sigma_price_bins, plan.sigma_time_steps, out.threads);
      stats.stages.push_back({"smoothing", std::chrono::duration<double>(Clock::now() - start).count()});
    }
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
  if (!plan.oi_usd.empty())
    for (std::size_t step : plan.axes.column_step) {
      plan.axes.column_oi_usd.push_back(plan.oi_usd[step]);
      plan.axes.column_book_usd.push_back(plan.alive_usd[step]);
    }
  result.axes = std::move(plan.axes);
  stats.total_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  return result;
}

BackendInfo backend_info() {
  BackendInfo info;
  info.cuda_compiled = detail::cuda_backend_compiled();
  info.cuda_usable = detail::cuda_backend_usable(info.cuda_reason);
  info.devices = detail::cuda_devices();
  return info;
}

}  // namespace liqmap
