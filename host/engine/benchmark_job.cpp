#include "engine/benchmark_job.hpp"

#include <cmath>

#include "engine/backend.hpp"
#include "liqmap/error.hpp"
#include "liqmap/synthetic.hpp"

namespace liqmap::detail {
namespace {

// The least traffic of each stage, from the grid's shape and the run's counts: the scatter's
// atomics are +w for every in-range position, -w when it is also liquidated (at most that
// many), and R for every liquidated one, plus zeroing the deltas; the recurrence reads the
// deltas and writes the grid; a smoothing pass reads and writes the grid.
void add_costs(const Plan& plan, const model::ScatterTotals& totals, BenchmarkRun& run) {
  const double cells = 2.0 * plan.bins * double(plan.steps), grid = 2.0 * plan.bins * double(plan.columns);
  for (StageCost& stage : run.stages) {
    if (stage.stage == "scatter_deltas") {
      stage.atomics = 2.0 * double(totals.in_range) + double(totals.liquidated);
      stage.bytes = 8 * stage.atomics + 8 * cells;
    } else if (stage.stage == "survival_recurrence") {
      stage.bytes = 8 * cells + 8 * grid;
    } else if (stage.stage == "smooth_price" || stage.stage == "smooth_time") {
      stage.bytes = 2 * 8 * grid;
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
  const BackendEntry& entry = find_backend(backend);
  std::string reason;
  if (!entry.usable(reason)) throw Error(ErrorCode::device, backend + ": " + reason);
  BackendSettings settings;
  settings.threads = threads;
  BenchmarkRun run;
  run.backend = backend;
  const BackendOutput out = entry.run(plan, settings, RunControl{});
  run.positions = std::uint64_t(out.totals.positions);
  for (const StageTime& stage : out.stages) {
    run.stages.push_back({stage.stage, stage.seconds, 0, 0});
    run.seconds += stage.seconds;
  }
  add_costs(plan, out.totals, run);
  return run;
}

}  // namespace liqmap::detail
