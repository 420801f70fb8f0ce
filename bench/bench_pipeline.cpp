// CPU vs GPU on the same job (issue 7): positions per second and time per stage, with the
// bytes and atomics each stage must move as counters, to set against the device's bandwidth.
// Jobs: 1e6..1e9 positions, 2,048..16,384 bins, 10,080..1,000,000 steps. The large ones run only
// when a CUDA device is usable or LIQMAP_BENCH_LARGE=1; a backend that is not usable here is
// reported as skipped with the reason.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <tuple>

#include "engine/backend.hpp"
#include "engine/benchmark_job.hpp"
#include "liqmap/error.hpp"

namespace {

using liqmap::detail::BenchmarkJob;
using liqmap::detail::Plan;

// Plans are built once per job and shared by the backends.
const Plan& plan_for(const BenchmarkJob& job) {
  static std::map<std::tuple<double, int, std::size_t>, std::unique_ptr<Plan>> plans;
  auto& slot = plans[{job.positions, job.bins, job.steps}];
  if (!slot) slot = std::make_unique<Plan>(liqmap::detail::benchmark_plan(job));
  return *slot;
}

void run_job(benchmark::State& state, const std::string& backend) {
  const BenchmarkJob job{double(state.range(0)), int(state.range(1)), std::size_t(state.range(2))};
  const Plan& plan = plan_for(job);
  liqmap::detail::BenchmarkRun run;
  for (auto _ : state) {
    try {
      run = liqmap::detail::run_benchmark(plan, backend, 0);
    } catch (const liqmap::Error& e) {
      state.SkipWithError(e.what());
      return;
    }
    state.SetIterationTime(run.seconds);
  }
  state.counters["positions"] = double(run.positions);
  state.counters["positions_per_s"] = run.positions_per_second();
  for (const auto& stage : run.stages) {
    state.counters[stage.stage + "_s"] = stage.seconds;
    if (stage.bytes > 0) state.counters[stage.stage + "_GBps"] = stage.bytes / stage.seconds / 1e9;
    if (stage.bytes > 0) state.counters[stage.stage + "_bytes"] = stage.bytes;
    if (stage.atomics > 0) state.counters[stage.stage + "_atomics"] = stage.atomics;
  }
}

bool large_jobs() {
  const char* flag = std::getenv("LIQMAP_BENCH_LARGE");
  std::string reason;
  return (flag && std::string(flag) == "1") || liqmap::detail::find_backend("cuda").usable(reason);
}

void register_jobs() {
  struct Job { std::int64_t positions, bins, steps; bool large; };
  const Job jobs[] = {
      {1000000, 2048, 10080, false},       {10000000, 2048, 10080, true},
      {100000000, 2048, 10080, true},      {1000000000, 2048, 10080, true},
      {10000000, 16384, 10080, true},      {10000000, 2048, 1000000, true},
      {50000000, 2048, 10080, true},
  };
  const bool large = large_jobs();
  for (const char* backend : {"cpu", "omp", "cuda"}) {
    for (const Job& job : jobs) {
      if (job.large && !large) continue;
      // The CPU at 1e9 positions takes many minutes: only with LIQMAP_BENCH_LARGE=1.
      if (std::string(backend) != "cuda" && job.positions >= 1000000000 && !std::getenv("LIQMAP_BENCH_LARGE")) continue;
      benchmark::RegisterBenchmark((std::string("pipeline/") + backend).c_str(),
                                   [backend](benchmark::State& s) { run_job(s, backend); })
          ->Args({job.positions, job.bins, job.steps})
          ->ArgNames({"positions", "bins", "steps"})
          ->UseManualTime()
          ->Unit(benchmark::kMillisecond)
          ->Iterations(1);
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_jobs();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
