// liqmap cascade on hand-made profiles whose answer is known in closed form.
#include <gtest/gtest.h>

#include <cmath>

#include "cascade/cascade.hpp"
#include "cascade/cascade_outputs.hpp"
#include "liqmap/error.hpp"

namespace {

using namespace liqmap;
using namespace liqmap::cascade;

// Bins 0.1 wide over [80, 120): centres 80.05, 80.15, ...; no notional yet.
Inputs flat_inputs(double sigma = 0.02, double volume = 1e10) {
  Inputs in;
  for (int b = 0; b < 400; ++b) {
    in.profile.price.push_back(80.05 + 0.1 * b);
    in.profile.long_usd.push_back(0);
    in.profile.short_usd.push_back(0);
  }
  in.start_price = 100;
  in.sigma_daily = sigma;
  in.volume_daily_usd = volume;
  return in;
}

void put(Inputs& in, double centre, double usd, bool longs = true) {
  const auto b = static_cast<std::size_t>(std::lround((centre - 80.05) / 0.1));
  ASSERT_NEAR(in.profile.price[b], centre, 1e-9);
  (longs ? in.profile.long_usd : in.profile.short_usd)[b] += usd;
}

TEST(Cascade, NothingWithinReachLeavesTheShock) {
  Inputs in = flat_inputs();
  put(in, 97.05, 1e9);
  in.shocked_price = 98;
  const Outcome out = simulate(in);
  EXPECT_DOUBLE_EQ(out.final_price, 98);
  EXPECT_EQ(out.long_usd, 0);
  EXPECT_EQ(out.path.size(), 1u);
  EXPECT_TRUE(out.converged);
}

TEST(Cascade, OneClusterWithinReach) {
  Inputs in = flat_inputs();
  put(in, 97.05, 1e9);
  put(in, 90.05, 5e9);  // far beyond what 1e9 of selling reaches
  in.shocked_price = 96;
  const Outcome out = simulate(in);
  EXPECT_DOUBLE_EQ(out.long_usd, 1e9);
  EXPECT_EQ(out.short_usd, 0);
  EXPECT_NEAR(out.final_price, 96 * std::exp(-0.02 * std::sqrt(0.1)), 1e-12);
  ASSERT_EQ(out.path.size(), 2u);  // the shock's round, then the forced flow's (nothing new reached)
  EXPECT_DOUBLE_EQ(out.path[0].flow_usd, 1e9);
  EXPECT_DOUBLE_EQ(out.path[1].flow_usd, 0);
  EXPECT_NEAR(out.extra_move_pct, (std::exp(-0.02 * std::sqrt(0.1)) - 1) * 100, 1e-9);
}

TEST(Cascade, StackedClustersChain) {
  Inputs in = flat_inputs(0.08);
  put(in, 97.05, 1e9);
  put(in, 95.05, 3e9);  // reached by the first: 97 e^{-0.08 sqrt(0.1)} = 94.58
  put(in, 92.45, 5e9);  // reached by both: 97 e^{-0.08 sqrt(0.4)} = 92.22
  in.shocked_price = 97;
  const Outcome out = simulate(in);
  EXPECT_DOUBLE_EQ(out.long_usd, 9e9);
  EXPECT_NEAR(out.final_price, 97 * std::exp(-0.08 * std::sqrt(0.9)), 1e-12);
  ASSERT_EQ(out.path.size(), 4u);
  EXPECT_DOUBLE_EQ(out.path[1].flow_usd, 3e9);
  EXPECT_DOUBLE_EQ(out.path[2].flow_usd, 5e9);
  EXPECT_DOUBLE_EQ(out.path[3].flow_usd, 0);
  for (std::size_t i = 1; i < out.path.size(); ++i) EXPECT_LT(out.path[i].price, out.path[i - 1].price);
}

TEST(Cascade, AGapStopsIt) {
  Inputs in = flat_inputs(0.08);
  put(in, 97.05, 1e9);
  put(in, 95.05, 3e9);
  put(in, 88.05, 5e9);  // beyond 92.22: the cascade stops in the gap
  in.shocked_price = 97;
  const Outcome out = simulate(in);
  EXPECT_DOUBLE_EQ(out.long_usd, 4e9);
  EXPECT_NEAR(out.final_price, 97 * std::exp(-0.08 * std::sqrt(0.4)), 1e-12);
  EXPECT_GT(out.final_price, 88.05);
}

TEST(Cascade, UpwardShockLiquidatesShortsOnly) {
  Inputs in = flat_inputs(0.08);
  put(in, 103.05, 2e9, false);
  put(in, 99.05, 7e9, true);  // longs below: an up move does not touch them
  in.shocked_price = 104;
  const Outcome out = simulate(in);
  EXPECT_DOUBLE_EQ(out.short_usd, 2e9);
  EXPECT_EQ(out.long_usd, 0);
  EXPECT_NEAR(out.final_price, 104 * std::exp(0.08 * std::sqrt(0.2)), 1e-12);
}

TEST(Cascade, ZeroImpactStopsAtTheShock) {
  Inputs in = flat_inputs();
  put(in, 97.05, 1e9);
  put(in, 96.95, 1e9);
  in.impact_y = 0;
  in.shocked_price = 97;
  const Outcome out = simulate(in);
  EXPECT_DOUBLE_EQ(out.long_usd, 1e9);  // 96.95 lies below the shock and nothing pushes further
  EXPECT_DOUBLE_EQ(out.final_price, 97);
}

TEST(Cascade, RefusesBadInputs) {
  Inputs in = flat_inputs();
  in.shocked_price = 97;
  Inputs bad = in;
  bad.volume_daily_usd = 0;
  EXPECT_THROW(simulate(bad), Error);
  bad = in;
  bad.profile.long_usd.pop_back();
  EXPECT_THROW(simulate(bad), Error);
  bad = in;
  bad.profile.short_usd[3] = -1;
  EXPECT_THROW(simulate(bad), Error);
  bad = in;
  std::swap(bad.profile.price[3], bad.profile.price[4]);
  EXPECT_THROW(simulate(bad), Error);
}

TEST(Cascade, DepthFromCandles) {
  // Hourly closes alternating x1.01 and /1.01; volume 10 coins at ~100.
  Market m;
  double close = 100;
  for (int t = 0; t < 24 * 10 + 1; ++t) {
    m.ts.push_back(1767225600000 + std::int64_t(t) * 3600000);
    close = t == 0 ? 100 : (t % 2 ? close * 1.01 : close / 1.01);
    m.open.push_back(close);
    m.high.push_back(close);
    m.low.push_back(close);
    m.close.push_back(close);
    m.volume.push_back(10);
  }
  const Depth d = estimate_depth(m, m.size() - 1, 5);
  EXPECT_EQ(d.bars, 24u * 5 + 1);
  // Returns +-log(1.01), mean 0: sd = log(1.01) * sqrt(n / (n - 1)), n = 120; a day has 24 bars.
  EXPECT_NEAR(d.sigma_daily, std::log(1.01) * std::sqrt(120.0 / 119.0) * std::sqrt(24.0), 1e-12);
  EXPECT_NEAR(d.volume_daily_usd, 10 * 24 * 100.5, 10 * 24 * 0.6);
}

TEST(Cascade, JsonCarriesThePath) {
  Inputs in = flat_inputs(0.08);
  put(in, 97.05, 1e9);
  in.shocked_price = 97;
  const Outcome out = simulate(in);
  const auto json = cascade_json(in, out, {{"run", "x"}});
  EXPECT_EQ(json["path"].size(), out.path.size());
  EXPECT_DOUBLE_EQ(json["final_price"].get<double>(), out.final_price);
  EXPECT_DOUBLE_EQ(json["liquidated_long_usd"].get<double>(), 1e9);
}

}  // namespace
