// The open-interest flow's rules one by one: the book equals the OI (coverage invariant), OI
// changes spread over finer candles, the warm-up seeds the opening OI, the same-bar path. The
// brute-force reference (test_reference.cpp) checks the whole run against a plain simulation.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "liqmap/engine.hpp"
#include "model/plan.hpp"
#include "model_math.hpp"
#include "random_market.hpp"

namespace liqmap {
namespace {

TEST(OiFlow, TheBookEqualsTheOpenInterestAtEveryStepAfterTheWarmUp) {
  std::mt19937_64 rng(12);
  for (int trial = 0; trial < 40; ++trial) {
    Market market = test_support::random_market(rng, 30 + rng() % 200, true, false);
    market.warmup_rows = trial % 2 ? rng() % 20 : 0;
    Config config = test_support::random_config(rng);
    config.flow.source = FlowSource::oi;
    const Result r = compute(market, config, {Backend::cpu, 2, {}});
    ASSERT_EQ(r.axes.column_oi_usd.size(), r.axes.column_ts.size());
    for (std::size_t c = 0; c < r.axes.column_ts.size(); ++c) {
      if (r.axes.column_step[c] < market.warmup_rows) continue;
      const double oi = r.axes.column_oi_usd[c];
      EXPECT_NEAR(r.axes.column_book_usd[c], oi, 1e-9 * oi) << "trial " << trial << " column " << c;
      const auto cov = oi_coverage(r, long(c));
      ASSERT_TRUE(cov.has_value());
      EXPECT_LE(cov->map_share, 1 + 1e-9);  // the grid never holds more than the book
      EXPECT_NEAR(cov->map_share + cov->out_of_range_share, 1.0, 1e-9);
    }
    if (HasFailure()) return;
  }
}

TEST(OiFlow, LiquidationsAreInsideTheOiFallNotExtraToIt) {
  // A flat OI with a crash bar: the model liquidates, and the book still equals the OI after
  // it, so only (OI fall + turnover - liquidated) was closed voluntarily.
  Market m;
  for (int t = 0; t < 20; ++t) {
    const double p = t == 10 ? 80.0 : 100.0;
    m.ts.push_back(1700000000000 + t * 3600000);
    m.open.push_back(100), m.close.push_back(p), m.high.push_back(101), m.low.push_back(t == 10 ? 70.0 : 99.0);
    m.volume.push_back(10), m.oi.push_back(t >= 10 ? 800.0 : 1000.0);
  }
  Config config = default_config();
  config.flow.oi_unit = OiUnit::quote;
  config.flow.turnover = 0.1;
  config.positions.same_bar = false;  // every liquidation at step 10 is of an older position
  config.flow.spread_oi = false;      // the fall stays in its step
  const detail::Plan plan = detail::build_plan(m, config, 1);
  const double liquidated = plan.solved_liquidated[0][10] + plan.solved_liquidated[1][10];
  EXPECT_GT(liquidated, 0.0);
  EXPECT_NEAR(plan.alive_usd[9], 1000.0, 1e-9);
  EXPECT_NEAR(plan.alive_usd[10], 800.0, 1e-9);
  const double turnover = 0.1 * 10 * 80;  // flow.turnover x volume x close
  EXPECT_GE(plan.opened_usd[10], turnover);  // more only when liquidations exceed fall + turnover
  const double voluntary = (plan.alive_usd[9] - liquidated) * (1 - plan.step_factor[10]);
  EXPECT_NEAR(voluntary, std::max(0.0, 200.0 + turnover - liquidated), 1e-9);
}

TEST(OiFlow, AnOiChangeIsSpreadOverItsCandlesByVolume) {
  const std::vector<double> oi = {10, 10, 10, 20, 20, 26};
  const std::vector<double> volume = {5, 1, 2, 1, 3, 0};
  const std::vector<double> spread = detail::spread_oi_changes(oi, volume, 0);
  EXPECT_DOUBLE_EQ(spread[0], 10);
  // changes at candles 3 and 5: intervals of at most 2 candles
  EXPECT_DOUBLE_EQ(spread[1], 10);
  EXPECT_DOUBLE_EQ(spread[2], 10 + 10 * 2.0 / 3);  // volume 2 of 2 + 1
  EXPECT_DOUBLE_EQ(spread[3], 20);
  EXPECT_DOUBLE_EQ(spread[4], 26);    // candle 5 traded nothing: the whole change is candle 4's
  EXPECT_DOUBLE_EQ(spread[5], 26);
  // a repeated value does not stretch the next change: at most the median interval (2 here)
  // (changes at 2, 4, 6, 12: spacings 2, 2, 6)
  const std::vector<double> capped = detail::spread_oi_changes({0, 0, 2, 2, 4, 4, 6, 6, 6, 6, 6, 6, 10}, {}, 0);
  EXPECT_EQ(capped, (std::vector<double>{0, 1, 2, 3, 4, 5, 6, 6, 6, 6, 6, 8, 10}));
  // without volume, equal shares
  const std::vector<double> flat = detail::spread_oi_changes({0, 0, 0, 3}, {}, 0);
  EXPECT_DOUBLE_EQ(flat[1], 1);
  EXPECT_DOUBLE_EQ(flat[2], 2);
}

TEST(OiFlow, TheWarmUpOpensByVolumeAndEndsWithTheFirstOpenInterest) {
  std::mt19937_64 rng(3);
  Market m = test_support::random_market(rng, 120, true, false);
  m.warmup_rows = 50;
  for (std::size_t t = 0; t < 50; ++t) m.oi[t] = m.oi[50];
  Config config = default_config();
  config.flow.oi_unit = OiUnit::quote;
  config.flow.turnover = 0.05;
  const detail::Plan plan = detail::build_plan(m, config, 2);
  EXPECT_NEAR(plan.alive_usd[49], m.oi[50], 1e-9 * m.oi[50]);
  ASSERT_GT(plan.warmup_scale, 0.0);
  for (std::size_t t = 0; t < 50; ++t)
    EXPECT_NEAR(plan.opened_usd[t], plan.warmup_scale * m.volume[t] * m.close[t], 1e-12 * plan.opened_usd[t]);
  EXPECT_NE(plan.notes.front().find("warm-up: 50 candle"), std::string::npos);

  m.warmup_rows = 0;  // no earlier candles: seeded at the first step, and said so
  const detail::Plan seeded = detail::build_plan(m, config, 2);
  EXPECT_NEAR(seeded.alive_usd[0], m.oi[0], 1e-9 * m.oi[0]);
  EXPECT_NE(seeded.notes.front().find("seeded at the first step"), std::string::npos);
}

TEST(OiFlow, TheFirstOiStepOpensNothingForTheWarmUpsRoundOff) {
  // The warm-up's book is scaled to equal OI_W; at W it comes back a few ulps short or over.
  // Without turnover and without a liquidation at W nothing opens there: a round-off shortfall
  // used to open ~1e-13 of the OI and draw a whole step of positions for it.
  std::mt19937_64 rng(5);
  int checked = 0;
  for (int trial = 0; trial < 60; ++trial) {
    Market m = test_support::random_market(rng, 10 + rng() % 40, true, false);
    m.warmup_rows = 1 + rng() % 8;
    Config config = test_support::random_config(rng);
    config.flow.source = FlowSource::oi;
    config.flow.turnover = 0;
    config.flow.half_life_hours.reset();  // a decay would make a real shortfall at W
    config.leverage = {{2, 1}};           // few liquidations: most trials are checked
    const detail::Plan plan = detail::build_plan(m, config, 1);
    const std::size_t w = m.warmup_rows;
    if (plan.solved_liquidated[0][w] + plan.solved_liquidated[1][w] > 0) continue;  // a real shortfall
    ++checked;
    EXPECT_EQ(plan.opened_usd[w], 0.0) << "trial " << trial;
  }
  EXPECT_GT(checked, 20);
}

TEST(SameBarPath, OpenThenNearerExtremeThenFartherThenClose) {
  using model::kLong;
  using model::kShort;
  // open 100, low 95 (nearer), high 110, close 105: path 100 -> 95 -> 110 -> 105
  EXPECT_TRUE(model::liquidated_in_opening_bar(kLong, 96, 99, 100, 110, 95, 105));    // before the low
  EXPECT_FALSE(model::liquidated_in_opening_bar(kLong, 96, 101, 100, 110, 95, 105));  // after it: min is 101..105
  EXPECT_TRUE(model::liquidated_in_opening_bar(kShort, 108, 101, 100, 110, 95, 105));
  EXPECT_FALSE(model::liquidated_in_opening_bar(kShort, 111, 101, 100, 110, 95, 105));
  // open 100, high 102 (nearer), low 90, close 93: path 100 -> 102 -> 90 -> 93
  EXPECT_TRUE(model::liquidated_in_opening_bar(kShort, 101.5, 100.5, 100, 102, 90, 93));
  EXPECT_FALSE(model::liquidated_in_opening_bar(kShort, 101.5, 99, 100, 102, 90, 93));  // entered on the way down
  EXPECT_TRUE(model::liquidated_in_opening_bar(kLong, 91, 99, 100, 102, 90, 93));
  // Entry "path": the entry's own leg decides. Bar open 100, low 95, high 110, close 105 (low first).
  EXPECT_TRUE(model::liquidated_in_opening_bar(kLong, 96, 101, 100, 110, 95, 105, 1) == false);  // on the way up
  EXPECT_TRUE(model::liquidated_in_opening_bar(kShort, 108, 101, 100, 110, 95, 105, 1));          // high still ahead
  // 107 passed twice: on the way up (leg 1) the high is ahead; on the way down (leg 2) only the close.
  EXPECT_TRUE(model::liquidated_in_opening_bar(kShort, 109, 107, 100, 110, 95, 105, 1));
  EXPECT_FALSE(model::liquidated_in_opening_bar(kShort, 109, 107, 100, 110, 95, 105, 2));
  EXPECT_TRUE(model::liquidated_in_opening_bar(kLong, 105.5, 107, 100, 110, 95, 105, 2));  // down to the close
  EXPECT_FALSE(model::liquidated_in_opening_bar(kLong, 104, 107, 100, 110, 95, 105, 2));
  EXPECT_TRUE(model::liquidated_in_opening_bar(kLong, 96, 99, 100, 110, 95, 105, 0));  // before the low
  // High first: open 100, high 102, low 90, close 93. Leg 2 is 90 -> 93 (up).
  EXPECT_TRUE(model::liquidated_in_opening_bar(kShort, 92.5, 91, 100, 102, 90, 93, 2));
  EXPECT_FALSE(model::liquidated_in_opening_bar(kLong, 90.5, 91, 100, 102, 90, 93, 2));
  EXPECT_TRUE(model::liquidated_in_opening_bar(kShort, 101.5, 100.5, 100, 102, 90, 93, 0));
  EXPECT_FALSE(model::liquidated_in_opening_bar(kShort, 101.5, 100.5, 100, 102, 90, 93, 1));  // on the way down
  // the switch: off, the search starts at the next step
  const double low[3] = {90, 90, 90}, high[3] = {102, 102, 102};
  const auto tables = [&](std::int64_t t0, int side, double price) {
    return model::first_passage_step(low, high, 1, 3, t0, side, price);
  };
  EXPECT_EQ(model::liquidation_step(0, kLong, 91, 1, 99, 100, 102, 90, 93, tables), 0);
  EXPECT_EQ(model::liquidation_step(0, kLong, 91, 0, 99, 100, 102, 90, 93, tables), 1);
}

}  // namespace
}  // namespace liqmap
