// Append cost per candle against history length (issue 26): a random-walk 1-minute market
// with open interest on every candle; the state is computed on all but the last candles, then
// those are appended one at a time. Default settings (2048 bins, 64 samples, 5 tiers).
//   bench_live_append [days...]     (default: 1 7 30)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "live/live_model.hpp"
#include "liqmap/config.hpp"

namespace {

liqmap::Market minute_market(std::size_t steps, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  liqmap::Market m;
  double price = 60000, oi = 80000;
  for (std::size_t t = 0; t < steps; ++t) {
    const double open = price, close = open * std::exp(0.0008 * z(rng));
    m.ts.push_back(1735689600000 + std::int64_t(t) * 60000);
    m.open.push_back(open);
    m.close.push_back(close);
    m.high.push_back(std::max(open, close) * (1 + 0.0004 * std::fabs(z(rng))));
    m.low.push_back(std::min(open, close) * (1 - 0.0004 * std::fabs(z(rng))));
    m.volume.push_back(20 + 10 * std::fabs(z(rng)));
    oi = std::max(1000.0, oi * (1 + 0.001 * z(rng)));
    m.oi.push_back(oi);
    price = close;
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<double> days;
  for (int i = 1; i < argc; ++i) days.push_back(std::atof(argv[i]));
  if (days.empty()) days = {1, 7, 30};
  const std::size_t appended = 300;
  std::printf("history_days,history_candles,alive_positions,append_ms_per_candle,append_ms_max\n");
  for (const double d : days) {
    const std::size_t history = std::size_t(d * 1440);
    const liqmap::Market all = minute_market(history + appended, 7);
    liqmap::Market head = all;
    for (auto* v : {&head.open, &head.high, &head.low, &head.close, &head.volume, &head.oi}) v->resize(history);
    head.ts.resize(history);
    liqmap::Config config = liqmap::live::live_config(all, liqmap::default_config());
    liqmap::live::LiveModel model = liqmap::live::LiveModel::compute(head, config, {liqmap::Backend::cpu, 0, {}});
    const std::vector<liqmap::live::StepInput> rows = liqmap::live::step_inputs(all, model.config());
    double total = 0, worst = 0;
    for (std::size_t t = history; t < all.size(); ++t) {
      const auto start = std::chrono::steady_clock::now();
      model.append(rows[t]);
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      total += ms, worst = std::max(worst, ms);
    }
    std::printf("%g,%zu,%zu,%.4f,%.4f\n", d, history, model.alive_positions(), total / appended, worst);
    std::fflush(stdout);
  }
}
