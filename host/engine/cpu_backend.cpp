// The CPU backend: OpenMP threads over samples (scatter, integer atomics, so the result does
// not depend on thread count or order), over price rows (recurrence) and over rows again
// (smoothing). The stages are the device pipeline's, in the host's [side][bin][step] layout.
#include <atomic>
#include <memory>
#include <omp.h>

#include "engine/backend.hpp"
#include "engine/smoothing.hpp"
#include "gaussian.hpp"
#include "sample_index.hpp"

namespace liqmap::detail {
namespace {

// Samples in chunks handed out dynamically; thread 0 reports progress between its chunks and
// the others stop taking chunks once it is cancelled.
std::vector<std::int64_t> scatter_deltas(const Plan& plan, const PassageTables& tables, int threads,
                                         const RunControl& control, BackendOutput& out) {
  const std::size_t plane = std::size_t(plan.bins) * plan.steps;
  std::vector<std::int64_t> delta(2 * plane, 0);
  out.liquidated_fixed.assign(2 * plan.steps, 0);
  const model::ScatterInputs in = scatter_inputs(plan, tables, delta.data(), out.liquidated_fixed.data());
  const std::vector<std::int64_t> active = active_steps(plan);
  const std::int64_t samples = std::int64_t(active.size()) * plan.samples_per_step;
  const std::int64_t chunk = 256;
  std::atomic<bool> cancelled{false};
  std::atomic<std::int64_t> done{0};
  std::vector<model::ScatterTotals> per_thread(threads);
  const double span = progress_at::survival_recurrence - progress_at::scatter_deltas;

#pragma omp parallel num_threads(threads)
  {
    model::ScatterTotals& totals = per_thread[omp_get_thread_num()];
#pragma omp for schedule(dynamic, 1)
    for (std::int64_t first = 0; first < samples; first += chunk) {
      if (cancelled.load(std::memory_order_relaxed)) continue;
      const std::int64_t last = std::min(first + chunk, samples);
      for (std::int64_t i = first; i < last; ++i) model::scatter_numbered_sample(in, active.data(), i, totals);
      const std::int64_t finished = done.fetch_add(last - first) + (last - first);
      if (omp_get_thread_num() == 0 &&
          !control.keep_going("scatter_deltas", progress_at::scatter_deltas +
                                                    span * double(finished) / double(samples)))
        cancelled = true;
    }
  }
  if (cancelled) RunControl::throw_cancelled("scatter_deltas");
  for (const auto& t : per_thread) out.totals.add(t);
  return delta;
}

void survival_recurrence(const Plan& plan, const std::vector<std::int64_t>& delta, int threads,
                         BackendOutput& out) {
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
}

}  // namespace

BackendOutput run_cpu_backend(const Plan& plan, const BackendSettings& settings, const RunControl& control) {
  BackendOutput out;
  const int threads = resolve_threads(settings.threads);
  out.threads = threads;
  StageClock clock(out.stages);

  control.checkpoint("passage_tables", progress_at::passage_tables);
  const PassageTables tables = build_passage_tables(plan, threads);
  clock.lap("passage_tables");

  control.checkpoint("scatter_deltas", progress_at::scatter_deltas);
  std::vector<std::int64_t> delta = scatter_deltas(plan, tables, threads, control, out);
  clock.lap("scatter_deltas");

  control.checkpoint("survival_recurrence", progress_at::survival_recurrence);
  survival_recurrence(plan, delta, threads, out);
  if (settings.keep_delta) out.delta = std::move(delta);
  else std::vector<std::int64_t>().swap(delta);  // free it before the smoothing's grids
  clock.lap("survival_recurrence");

  control.checkpoint("smooth_price", progress_at::smooth_price);
  out.smooth_long = Grid(plan.bins, plan.columns);
  out.smooth_short = Grid(plan.bins, plan.columns);
  if (plan.sigma_price_bins > 0) {
    const std::vector<double> kernel = model::gaussian_kernel(plan.sigma_price_bins);
    smooth_price_axis(out.raw_long, out.smooth_long, kernel, threads);
    smooth_price_axis(out.raw_short, out.smooth_short, kernel, threads);
  } else {
    out.smooth_long.data = out.raw_long.data;
    out.smooth_short.data = out.raw_short.data;
  }
  clock.lap("smooth_price");

  if (plan.sigma_time_steps > 0) {
    control.checkpoint("smooth_time", progress_at::smooth_time);
    const std::vector<double> kernel = model::gaussian_kernel(plan.sigma_time_steps);
    Grid by_price(plan.bins, plan.columns);
    for (Grid* side : {&out.smooth_long, &out.smooth_short}) {
      std::swap(by_price.data, side->data);
      smooth_time_axis(by_price, *side, kernel, threads);
    }
    clock.lap("smooth_time");
  }
  control.checkpoint("done", progress_at::done);
  return out;
}

}  // namespace liqmap::detail
