// The liquidation map's per-tier column pass (host/liquidation_map/) beside the full run it
// replaces a per-tier grid for: one column re-walks every position opened up to it.
#include <benchmark/benchmark.h>

#include "liqmap/synthetic.hpp"
#include "liquidation_map/liquidation_map.hpp"

namespace {

using namespace liqmap;

Config bench_config() {
  Config config = demo_config();
  config.grid.price_bins = 2048;
  return config;
}

void BM_LiquidationMapColumn(benchmark::State& state) {
  SyntheticOptions synth;
  synth.steps = static_cast<std::size_t>(state.range(0));
  const Market market = synthetic_market(synth);
  const detail::Plan plan = detail::build_plan(market, bench_config(), 0);
  for (auto _ : state) benchmark::DoNotOptimize(map::liquidation_map(plan, plan.columns - 1, 0));
  state.counters["positions"] = double(plan.active_steps) * double(plan.positions_per_active_step());
}
BENCHMARK(BM_LiquidationMapColumn)->Arg(2000)->Arg(10080)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FullRun(benchmark::State& state) {
  SyntheticOptions synth;
  synth.steps = static_cast<std::size_t>(state.range(0));
  const Market market = synthetic_market(synth);
  RunOptions options;
  options.backend = Backend::cpu;
  for (auto _ : state) benchmark::DoNotOptimize(compute(market, bench_config(), options));
}
BENCHMARK(BM_FullRun)->Arg(2000)->Arg(10080)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
