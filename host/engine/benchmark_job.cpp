#include "engine/benchmark_job.hpp"

#include <chrono>
#include <cmath>

#include "engine/backend.hpp"
#include "engine/device_backend.hpp"
#include "liqmap/error.hpp"
#include "liqmap/synthetic.hpp"
#include "engine/smoothing.hpp"

namespace liqmap::detail {
namespace {

// The least traffic of each stage, from the grid's shape and the run's counts: the scatter's
// atomics are +w for every in-range position, -w when it is also liquidated (at most that
// many), and R for every liquidated one; the recurrence reads the deltas and writes the grid;
// each smoothing pass reads and writes the grid.
void add_costs(const Plan& plan, const model::ScatterTotals& totals, BenchmarkRun& run) {
  const double cells = 2.0 * plan.bins * double(plan.steps), grid = 2.0 * plan.bins * double(plan.columns);
  const double passes = (plan.sigma_price_bins > 0 ? 1 : 0) + (plan.sigma_time_steps > 0 ? 1 : 0);
  for (StageCost& stage : run.stages) {
    if (stage.stage == "scatter") {
      stage.atomics = 2.0 * double(totals.in_range) + double(totals.liquidated);
      stage.bytes = 8 * stage.atomics + 8 * cells;  // + zeroing the deltas
    } else if (stage.stage == "recurrence") {
      stage.bytes = 8 * cells + 8 * grid;
    } else if (stage.stage == "smoothing") {
      stage.bytes = 2 * 8 * grid * std::max(1.0, passes);
    }
  }
}

}  // namespace

double BenchmarkRun::positions_per_second() const { return seconds > 0 ? double(positions) / seconds : 0; }

Plan benchmark_plan(const BenchmarkJob& job) {
  SyntheticOptions synth;
  synth.steps = job.steps;
  Config config = default_config();
  config.grid.price_bins = job.bins;
  const double per_sample = 2.0 * double(config.leverage.size()) * double(config.exchanges.size());
  const Market market = synthetic_market(synth);
  // Positions are drawn at the steps that open notional only: count those first.
  const double active = double(std::max<std::int64_t>(1, build_plan(market, config).active_steps));
  config.positions.samples_per_step =
      std::max(1, static_cast<int>(std::ceil(job.positions / (per_sample * active))));
  return build_plan(market, config);
}

BenchmarkRun run_benchmark(const Plan& plan, const std::string& backend, int threads) {
  RunOptions options;
  options.threads = threads;
  BenchmarkRun run;
  run.backend = backend;
  BackendOutput out;
  if (backend == "cpu") {
    out = run_cpu_backend(plan, options);
    const auto start = std::chrono::steady_clock::now();
    smooth_grid(out.raw_long, plan.sigma_price_bins, plan.sigma_time_steps, out.threads);
    smooth_grid(out.raw_short, plan.sigma_price_bins, plan.sigma_time_steps, out.threads);
    out.stages.push_back({"smoothing", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  } else if (backend == "omp-device") {
#if defined(LIQMAP_HAVE_OMP_DEVICE)
    out = run_omp_device_pipeline(plan, options);
#else
    throw Error(ErrorCode::device, "this build has no OpenMP device pipeline (LIQMAP_OMP_DEVICE=OFF)");
#endif
  } else if (backend == "cuda") {
    std::string reason;
    if (!cuda_backend_usable(reason)) throw Error(ErrorCode::device, "cuda: " + reason);
    out = run_cuda_backend(plan, options);
  } else {
    throw Error(ErrorCode::invalid_argument,
                "unknown benchmark backend \"" + backend + "\": allowed are cpu, omp-device, cuda");
  }
  run.positions = std::uint64_t(out.totals.positions);
  for (const StageTime& stage : out.stages) {
    run.stages.push_back({stage.stage, stage.seconds, 0, 0});
    run.seconds += stage.seconds;
  }
  add_costs(plan, out.totals, run);
  return run;
}

}  // namespace liqmap::detail
