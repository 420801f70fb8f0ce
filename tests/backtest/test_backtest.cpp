// liqmap backtest: statistics against known values, outcomes on hand-made bars, no look-ahead,
// and the effect found on a market built with magnets and not on one built without.
#include <gtest/gtest.h>

#include <cmath>

#include "backtest/backtest.hpp"
#include "backtest/backtest_outputs.hpp"
#include "backtest/statistics.hpp"
#include "liqmap/error.hpp"
#include "magnet_market.hpp"

namespace {

using namespace liqmap;
using namespace liqmap::backtest;
using liqmap::testing::magnet_market;

constexpr std::int64_t kHour = 3600000;

Options day_options() {
  Options o;
  o.horizons_ms = {24 * kHour};
  return o;
}

TEST(BacktestStatistics, WilsonMatchesPublishedValues) {
  // Wilson 95% for 81/263 (Newcombe 1998, table I): 0.2553 .. 0.3662.
  const Rate r = wilson(81, 263);
  EXPECT_NEAR(r.low, 0.2553, 5e-4);
  EXPECT_NEAR(r.high, 0.3662, 5e-4);
  const Rate none = wilson(0, 10);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_NEAR(none.high, 0.2775, 5e-4);
}

TEST(BacktestStatistics, ExactBinomialAndMcNemar) {
  // 2 P(X <= 7) and 2 P(X >= 15) for X ~ Bin(20, 0.5): 0.26317596 and 0.04138947
  EXPECT_NEAR(binomial_two_sided(7, 20, 0.5), 0.263176, 1e-6);
  EXPECT_NEAR(binomial_two_sided(15, 20, 0.5), 0.041389, 1e-6);
  // Asymmetric: the outcomes no likelier than P(3) = 0.201327 of Bin(10, 0.2) are 0 and 3..10,
  // so p = 1 - P(1) - P(2) = 1 - 0.268435 - 0.301990 = 0.429575.
  EXPECT_NEAR(binomial_two_sided(3, 10, 0.2), 0.429575, 1e-6);
  EXPECT_NEAR(mcnemar(10, 10), 1.0, 1e-12);
  EXPECT_NEAR(mcnemar(2, 12), binomial_two_sided(2, 14, 0.5), 1e-15);
  EXPECT_NEAR(two_proportions(50, 100, 50, 100), 1.0, 1e-12);
  EXPECT_LT(two_proportions(70, 100, 40, 100), 0.001);
}

Market bars(const std::vector<std::array<double, 4>>& ohlc) {
  Market m;
  for (std::size_t i = 0; i < ohlc.size(); ++i) {
    m.ts.push_back(1767225600000 + std::int64_t(i) * kHour);
    m.open.push_back(ohlc[i][0]);
    m.high.push_back(ohlc[i][1]);
    m.low.push_back(ohlc[i][2]);
    m.close.push_back(ohlc[i][3]);
  }
  return m;
}

TEST(BacktestOutcome, FirstTouchSweepAndHorizon) {
  // From 100: a bar to 101.5 closing back at 100.5 (sweeps 101, reverses), then one down to 98.5.
  const Market m = bars({{100, 100, 100, 100}, {100, 101.5, 99.8, 100.5}, {100.5, 100.6, 98.5, 99}, {99, 99, 99, 99}});
  const Outcome up = outcome(m, 0, 3 * kHour, 101, 99, 1);
  EXPECT_TRUE(up.touched);
  EXPECT_TRUE(up.decided);
  EXPECT_TRUE(up.first);
  EXPECT_TRUE(up.swept_reversed);
  EXPECT_DOUBLE_EQ(up.hours_to_touch, 1.0);
  const Outcome down = outcome(m, 0, 3 * kHour, 99, 101, 1);
  EXPECT_TRUE(down.touched);
  EXPECT_FALSE(down.first);
  EXPECT_DOUBLE_EQ(down.hours_to_touch, 2.0);
  EXPECT_FALSE(down.swept_reversed);  // closes at 99 and stays: a break, not a sweep
  const Outcome short_horizon = outcome(m, 0, 1 * kHour, 99, 101, 1);
  EXPECT_FALSE(short_horizon.touched);  // the bar at 2 h is past the horizon
  EXPECT_TRUE(short_horizon.decided);
}

TEST(BacktestOutcome, BothLevelsInOneBarFollowTheOhlcPath) {
  // Open 100 nearer the low (99.5) than the high (101.5): the low comes first.
  const Market m = bars({{100, 100, 100, 100}, {100, 101.5, 98.9, 100}});
  EXPECT_FALSE(outcome(m, 0, kHour, 101, 99, 1).first);
  EXPECT_TRUE(outcome(m, 0, kHour, 99, 101, 1).first);
}

TEST(Backtest, RefusesBadOptions) {
  Options o = day_options();
  o.min_distance_pct = 5;
  o.max_distance_pct = 1;
  EXPECT_THROW(validate(o), Error);
  o = day_options();
  o.horizons_ms = {0};
  EXPECT_THROW(validate(o), Error);
}

// The decision at t reads the map column and candles up to t only: altering everything after t
// (later columns, later bars) leaves every decision up to t unchanged, while altering the column
// at t changes it (so the comparison can fail).
TEST(Backtest, NoLookAhead) {
  auto m = magnet_market(7, 0.0, 1200, 400);
  Options o = day_options();
  o.every_ms = 6 * kHour;  // overlapping windows: many decisions
  const Report before = run_backtest(m.result, m.market, o);
  const std::size_t cut = 600;
  auto changed = m;
  std::mt19937_64 rng(3);
  for (std::size_t c = cut + 1; c < changed.result.axes.column_ts.size(); ++c)
    for (std::size_t b = 0; b < changed.result.smooth_long.rows; ++b) {
      changed.result.smooth_long.at(b, c) = double(rng() % 1000) * 1e4;
      changed.result.smooth_short.at(b, c) = double(rng() % 1000) * 1e4;
    }
  for (std::size_t t = cut + 1; t < changed.market.size(); ++t) {
    const double f = 0.8 + 0.4 * double(rng() % 1000) / 1000.0;
    for (auto* v : {&changed.market.open, &changed.market.high, &changed.market.low, &changed.market.close}) (*v)[t] *= f;
  }
  const Report after = run_backtest(changed.result, changed.market, o);
  std::size_t compared = 0, differing_later = 0;
  const auto& a = before.horizons[0].events;
  const auto& b = after.horizons[0].events;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i].decision.step <= cut) {
      ASSERT_TRUE(a[i].decision == b[i].decision) << "decision at step " << a[i].decision.step << " changed";
      ++compared;
    } else {
      differing_later += !(a[i].decision == b[i].decision);
    }
  }
  EXPECT_GT(compared, 50u);
  EXPECT_GT(differing_later, 0u);  // the later decisions did see the new data

  // And the direct call: the column at t itself matters.
  const std::size_t column = before.horizons[0].events[10].decision.column;
  const auto d0 = decide(m.result, m.market, column, o, 24 * kHour, {}, 10);
  auto at_t = m;
  for (std::size_t r = 0; r < at_t.result.smooth_long.rows; ++r) at_t.result.smooth_long.at(r, column) *= double(r % 7 + 1);
  for (std::size_t r = 0; r < at_t.result.smooth_short.rows; ++r) at_t.result.smooth_short.at(r, column) *= double(r % 5 + 1);
  const auto d1 = decide(at_t.result, at_t.market, column, o, 24 * kHour, {}, 10);
  ASSERT_TRUE(d0 && d1);
  EXPECT_FALSE(*d0 == *d1);
}

TEST(Backtest, FindsPlantedMagnets) {
  for (const std::uint64_t seed : {1, 2, 3}) {
    const auto m = magnet_market(seed, 0.15);
    const Report r = run_backtest(m.result, m.market, day_options());
    const Group& g = r.horizons[0].all;
    const RuleStats& cluster = g.rules[std::size_t(Rule::cluster)];
    EXPECT_GT(cluster.first.n, 80u) << "seed " << seed;
    EXPECT_GT(cluster.first.value, 0.6) << "seed " << seed;
    EXPECT_LT(g.p_first_vs_half, 0.05) << "seed " << seed;
    EXPECT_LT(g.rules[std::size_t(Rule::mirror)].p_first, 0.05) << "seed " << seed;
    EXPECT_LT(g.rules[std::size_t(Rule::always_down)].p_first, 0.05) << "seed " << seed;
    EXPECT_GT(cluster.touched.value, g.rules[std::size_t(Rule::mirror)].touched.value) << "seed " << seed;
  }
}

TEST(Backtest, OverlappingWindowsUseTheBlockBootstrap) {
  const auto m = magnet_market(4, 0.15, 2000, 400);
  Options o = day_options();
  o.every_ms = 4 * kHour;
  const Report r = run_backtest(m.result, m.market, o);
  EXPECT_EQ(r.horizons[0].interval_method, "block bootstrap (block 12)");
  const Rate& first = r.horizons[0].all.rules[0].first;
  EXPECT_LT(first.low, first.value);
  EXPECT_GT(first.high, first.value);
  // Overlapping windows are not independent: the interval is wider than Wilson's on the same count.
  const Rate naive = wilson(first.hits, first.n);
  EXPECT_GT(first.high - first.low, naive.high - naive.low);
}

// Without magnets the test rejects at about its level: over 40 markets, at most 6 rejections at
// p < 0.05 (expected 2; 7 or more has probability 0.3% if the test holds its level).
TEST(Backtest, NoFalsePositiveWithoutMagnets) {
  int rejections = 0;
  for (std::uint64_t seed = 100; seed < 140; ++seed) {
    const auto m = magnet_market(seed, 0.0, 2400, 400);
    const Report r = run_backtest(m.result, m.market, day_options());
    rejections += r.horizons[0].all.p_first_vs_half < 0.05;
  }
  EXPECT_LE(rejections, 6);
}

TEST(BacktestOutputs, TablesJsonAndReviewSection) {
  const auto m = magnet_market(5, 0.15, 1500, 400);
  Options o = day_options();
  o.horizons_ms = {12 * kHour, 24 * kHour};
  const Report r = run_backtest(m.result, m.market, o);
  const std::string md = backtest_markdown(r);
  EXPECT_NE(md.find("## Horizon 12h"), std::string::npos);
  EXPECT_NE(md.find("| momentum |"), std::string::npos);
  const auto json = backtest_json(r);
  ASSERT_EQ(json["horizons"].size(), 2u);
  EXPECT_EQ(json["horizons"][1]["all"]["rules"]["cluster"]["first"]["n"].get<std::size_t>(),
            r.horizons[1].all.rules[0].first.n);
  const std::string review = "# Review\n\n## Clusters\ntext\n";
  const std::string once = with_review_section(review, review_section(r));
  const std::string twice = with_review_section(once, review_section(r));
  EXPECT_EQ(once, twice);  // a rerun replaces its section
  EXPECT_NE(once.find("## Clusters\ntext"), std::string::npos);
}

}  // namespace

// The block bootstrap holds its level too on overlapping windows (every 4 h, horizon 24 h): over
// 40 markets without magnets, at most 6 rejections at p < 0.05 (expected 2; measured 4).
TEST(Backtest, NoFalsePositiveWithOverlappingWindows) {
  int rejections = 0;
  for (std::uint64_t seed = 200; seed < 240; ++seed) {
    const auto m = magnet_market(seed, 0.0, 2400, 400);
    Options o = day_options();
    o.every_ms = 4 * kHour;
    o.bootstrap_draws = 400;
    const Report r = run_backtest(m.result, m.market, o);
    rejections += r.horizons[0].all.p_first_vs_half < 0.05;
  }
  EXPECT_LE(rejections, 6);
}
