// The CPU backend: OpenMP threads over samples (scatter, integer atomics, so the result does
// not depend on thread count or order) and over price rows (recurrence).
#include <atomic>
#include <chrono>
#include <omp.h>

#include "engine/backend.hpp"
#include "liqmap/error.hpp"

namespace liqmap::detail {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

model::ScatterInputs scatter_inputs(const Plan& plan, const PassageTables& tables,
                                    std::int64_t* delta, std::int64_t* liquidated) {
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
  in.opened_usd = plan.opened_usd.data();
  in.long_share = plan.long_share.data();
  in.survival_mantissa = plan.survival_mantissa.data();
  in.survival_exponent = plan.survival_exponent.data();
  in.survival_wipes = plan.survival_wipes.data();
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
  in.bins = plan.bins;
  in.edges = plan.edges.data();
  in.fixed_scale = plan.fixed_scale;
  in.delta = delta;
  in.bin_stride = plan.steps;
  in.step_stride = 1;
  in.bin_first = 0;
  in.bin_count = plan.bins;
  in.liquidated = liquidated;
  return in;
}

model::RecurrenceInputs recurrence_inputs(const Plan& plan) {
  model::RecurrenceInputs in{};
  in.steps = plan.steps;
  in.columns = static_cast<std::int64_t>(plan.columns);
  in.column_step = plan.axes.column_step.data();
  in.step_factor = plan.step_factor.data();
  in.survival_is_constant = plan.survival_is_constant;
  in.unit = 1.0 / plan.fixed_scale;  // a power of two: exact
  return in;
}

BackendOutput run_cpu_backend(const Plan& plan, const RunOptions& options) {
  BackendOutput out;
  const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
  out.threads = threads;

  auto start = Clock::now();
  const PassageTables tables = build_passage_tables(plan, threads);
  out.stages.push_back({"passage_tables", seconds_since(start)});

  start = Clock::now();
  const std::size_t plane = std::size_t(plan.bins) * plan.steps;
  std::vector<std::int64_t> delta(2 * plane, 0);
  out.liquidated_fixed.assign(2 * plan.steps, 0);
  const model::ScatterInputs in = scatter_inputs(plan, tables, delta.data(), out.liquidated_fixed.data());

  std::vector<std::int64_t> active;
  for (std::int64_t t = 0; t < plan.steps; ++t)
    if (plan.opened_usd[t] > 0) active.push_back(t);
  const std::int64_t samples = std::int64_t(active.size()) * plan.samples_per_step;
  const std::int64_t chunk = 256;
  std::atomic<bool> cancelled{false};
  std::atomic<std::int64_t> done{0};
  std::vector<model::ScatterTotals> per_thread(threads);

#pragma omp parallel num_threads(threads)
  {
    model::ScatterTotals& totals = per_thread[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t first = 0; first < samples; first += chunk) {
      if (cancelled.load(std::memory_order_relaxed)) continue;
      const std::int64_t last = std::min(first + chunk, samples);
      for (std::int64_t i = first; i < last; ++i)
        model::scatter_sample(in, active[i / plan.samples_per_step],
                              static_cast<std::uint32_t>(i % plan.samples_per_step), totals);
      const std::int64_t finished = done.fetch_add(last - first) + (last - first);
      if (options.progress && omp_get_thread_num() == 0 &&
          !options.progress(0.9 * double(finished) / double(samples)))
        cancelled = true;
    }
  }
  if (cancelled) throw Error(ErrorCode::cancelled, "the run was cancelled by the progress callback");
  for (const auto& t : per_thread) out.totals.add(t);
  out.stages.push_back({"scatter", seconds_since(start)});

  start = Clock::now();
  out.raw_long = Grid(plan.bins, plan.columns);
  out.raw_short = Grid(plan.bins, plan.columns);
  const long rows = 2L * plan.bins;
  const model::RecurrenceInputs recurrence = recurrence_inputs(plan);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (long r = 0; r < rows; ++r) {
    Grid& grid = r < plan.bins ? out.raw_long : out.raw_short;
    const long bin = r % plan.bins;
    model::survival_recurrence(recurrence, delta.data() + std::size_t(r) * plan.steps, 1,
                               grid.data.data() + std::size_t(bin) * plan.columns, 1);
  }
  out.stages.push_back({"recurrence", seconds_since(start)});
  return out;
}

}  // namespace liqmap::detail
