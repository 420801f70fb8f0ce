// Invariants of the whole run: conservation without closing or liquidation, exact accounting
// of out-of-range and unliquidatable notional, determinism whatever the thread count.
#include <gtest/gtest.h>

#include <random>

#include "liqmap/engine.hpp"
#include "liqmap/synthetic.hpp"
#include "random_market.hpp"

namespace {

using namespace liqmap;

// Prices wander by under 1%: 2x positions (liquidated ~50% away) never are.
Market quiet_market(std::size_t steps, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Market m;
  for (std::size_t t = 0; t < steps; ++t) {
    const double open = 100 + u(rng);
    const double close = 100 + u(rng);
    m.ts.push_back(1700000000000 + std::int64_t(t) * 60000);
    m.open.push_back(open);
    m.close.push_back(close);
    m.high.push_back(std::max(open, close) + 0.1);
    m.low.push_back(std::min(open, close) - 0.1);
    m.volume.push_back(10 * u(rng));
  }
  return m;
}

TEST(Invariants, WithoutClosingDecayOrLiquidationColumnSumsEqualCumulativeOpenedNotional) {
  const Market m = quiet_market(300, 1);
  Config c = default_config();
  c.leverage = {{2, 1}, {3, 1}};
  c.grid.price_bins = 64;
  c.grid.time_group = 7;
  c.grid.price_min = 10;  // 2x longs liquidate near 50, 2x shorts near 150
  c.grid.price_max = 400;
  const Result r = compute(m, c, {Backend::cpu, 2, {}});
  ASSERT_EQ(r.stats.positions_liquidated, 0u);
  ASSERT_EQ(r.stats.out_of_range_usd, 0.0);
  double cumulative = 0;
  std::size_t column = 0;
  for (std::size_t t = 0; t < m.size(); ++t) {
    cumulative += m.volume[t] * m.close[t] * c.flow.volume_open_fraction;
    if (t != r.axes.column_step[column]) continue;
    const double total = r.raw_long.column_sum(column) + r.raw_short.column_sum(column);
    EXPECT_NEAR(total, cumulative, 1e-9 * cumulative) << "column " << column;
    // Smoothing inside the range moves notional between bins but keeps it.
    const double smooth = r.smooth_long.column_sum(column) + r.smooth_short.column_sum(column);
    EXPECT_NEAR(smooth, cumulative, 1e-9 * cumulative) << "column " << column;
    ++column;
  }
  EXPECT_EQ(column, r.axes.column_ts.size());
}

TEST(Invariants, OpenedNotionalIsExactlyInRangeOutOfRangeOrUnliquidatable) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const Market m = test_support::random_market(rng, 80);
    Config c = test_support::random_config(rng);
    c.grid.price_min = m.close[40] * 0.95;  // narrow: many positions fall outside
    c.grid.price_max = m.close[40] * 1.05;
    c.leverage.push_back({1.0, 0.5});        // 1x shorts of inverse contracts can't be liquidated
    const Result r = compute(m, c, {Backend::cpu, 2, {}});
    const RunStats& s = r.stats;
    EXPECT_NEAR(s.in_range_usd + s.out_of_range_usd + s.unliquidatable_usd, s.opened_usd, 1e-9 * s.opened_usd);
    EXPECT_EQ(s.positions_in_range + s.positions_out_of_range + s.positions_unliquidatable, s.positions_drawn);
  }
}

TEST(Invariants, EveryLiquidationIsCountedWhetherInRangeOrNot) {
  std::mt19937_64 rng(5);
  const Market m = test_support::random_market(rng, 120);
  Config c = default_config();
  c.grid.price_min = m.close[0] * 10;  // the whole axis above every price: nothing drawn
  c.grid.price_max = m.close[0] * 20;
  const Result r = compute(m, c, {Backend::cpu, 2, {}});
  EXPECT_EQ(r.stats.positions_in_range, 0u);
  EXPECT_GT(r.stats.positions_liquidated, 0u);
  EXPECT_GT(r.stats.liquidated_usd, 0.0);
}

TEST(Determinism, SameBitsWhateverTheThreadCount) {
  SyntheticOptions synth;
  synth.steps = 3000;
  const Market m = synthetic_market(synth);
  Config c = demo_config();
  c.grid.price_bins = 256;
  c.flow.half_life_hours = 6;  // exercise the floating-point recurrence too
  const Result one = compute(m, c, {Backend::cpu, 1, {}});
  for (int threads : {2, 8}) {
    const Result many = compute(m, c, {Backend::cpu, threads, {}});
    EXPECT_EQ(many.raw_long.data, one.raw_long.data) << threads << " threads";
    EXPECT_EQ(many.raw_short.data, one.raw_short.data) << threads << " threads";
    EXPECT_EQ(many.smooth_long.data, one.smooth_long.data) << threads << " threads";
    EXPECT_EQ(many.liq_long, one.liq_long) << threads << " threads";
    EXPECT_EQ(many.liq_short, one.liq_short) << threads << " threads";
    EXPECT_EQ(many.stats.in_range_usd, one.stats.in_range_usd);
  }
  Config other_seed = c;
  other_seed.positions.seed = 2;
  EXPECT_NE(compute(m, other_seed, {Backend::cpu, 2, {}}).raw_long.data, one.raw_long.data);
}

TEST(Determinism, ProgressCallbackCanCancel) {
  const Market m = synthetic_market({});
  int calls = 0;
  RunOptions options{Backend::cpu, 2, [&](double) { return ++calls < 2; }};
  try {
    compute(m, demo_config(), options);
    FAIL() << "expected cancellation";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
  }
  EXPECT_GE(calls, 2);
}

TEST(Backends, CudaWithoutAUsableDeviceIsAClearErrorAndAutoFallsBack) {
  const BackendInfo info = backend_info();
  if (info.cuda_usable) GTEST_SKIP() << "a CUDA device is present: " << info.cuda_reason;
  SyntheticOptions synth;
  synth.steps = 200;
  const Market m = synthetic_market(synth);
  try {
    compute(m, demo_config(), {Backend::cuda, 1, {}});
    FAIL() << "expected a device error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::device);
    EXPECT_NE(std::string(e.what()).find("cuda"), std::string::npos) << e.what();
  }
  const Result r = compute(m, demo_config(), {Backend::automatic, 1, {}});
  EXPECT_EQ(r.stats.backend, "cpu");
  EXPECT_NE(r.stats.backend_note.find("auto"), std::string::npos) << r.stats.backend_note;
  EXPECT_FALSE(info.cuda_reason.empty());
}

}  // namespace
