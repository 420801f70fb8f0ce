// Google Benchmark: `liqmap cascade` on a demo-sized column (2,048 bins) and a 32x finer one.
// The target: a cascade well under a second.
#include <benchmark/benchmark.h>

#include <cmath>

#include "cascade/cascade.hpp"

namespace {

// A profile of 2,048 bins around 60,000 with clusters every ~1% (the demo's shape, roughly).
liqmap::cascade::Inputs demo_sized(std::size_t bins) {
  liqmap::cascade::Inputs in;
  for (std::size_t b = 0; b < bins; ++b) {
    const double price = 40000 + 40000.0 * double(b) / double(bins);
    const double wave = 1 + std::cos(double(b) * 0.37) * std::cos(double(b) * 0.051);
    in.profile.price.push_back(price);
    in.profile.long_usd.push_back(price < 60000 ? 2e6 * wave : 0);
    in.profile.short_usd.push_back(price >= 60000 ? 2e6 * wave : 0);
  }
  in.start_price = 60000;
  in.shocked_price = 57600;  // -4%
  in.sigma_daily = 0.03;
  in.volume_daily_usd = 2e9;
  return in;
}

void BM_Cascade(benchmark::State& state) {
  const auto in = demo_sized(std::size_t(state.range(0)));
  std::size_t rounds = 0;
  for (auto _ : state) {
    const auto out = liqmap::cascade::simulate(in);
    rounds = out.path.size();
    benchmark::DoNotOptimize(out.final_price);
  }
  state.counters["rounds"] = double(rounds);
}
BENCHMARK(BM_Cascade)->Arg(2048)->Arg(65536)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
