// liqmap score's statistics and liqmap calibrate on a synthetic market generated with known
// parameters.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

#include "calibrate/calibrate.hpp"
#include "calibrate/score.hpp"
#include "liqmap/error.hpp"
#include "model/plan.hpp"
#include "random_market.hpp"

namespace liqmap {
namespace {

TEST(Score, SpearmanAndPearsonOnKnownSeries) {
  const std::vector<double> a = {1, 2, 3, 4, 5}, b = {2, 4, 6, 8, 100}, c = {5, 4, 3, 2, 1};
  EXPECT_DOUBLE_EQ(calibrate::spearman(a, b), 1.0);  // monotone: rank correlation 1
  EXPECT_LT(calibrate::pearson(a, b), 0.8);           // but not linear
  EXPECT_DOUBLE_EQ(calibrate::spearman(a, c), -1.0);
  EXPECT_NEAR(calibrate::pearson({1, 2, 3}, {1, 3, 2}), 0.5, 1e-12);
  EXPECT_NEAR(calibrate::spearman({1, 1, 2}, {1, 2, 3}), std::sqrt(0.75), 1e-12);  // ties take the mean rank
}

TEST(Score, BootstrapIntervalHoldsTheEstimate) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0, 1);
  std::vector<double> x, y;
  for (int i = 0; i < 300; ++i) x.push_back(noise(rng)), y.push_back(x.back() + noise(rng));
  const calibrate::SideScore s = calibrate::score_side(x, y, 500, 9);
  EXPECT_LE(s.spearman.low, s.spearman.value);
  EXPECT_GE(s.spearman.high, s.spearman.value);
  EXPECT_GT(s.pearson.value, 0.6);
  EXPECT_LT(s.pearson.high - s.pearson.low, 0.25);
}

TEST(Score, StepsAreSummedIntoTheRealizedBars) {
  const std::vector<std::int64_t> steps = {0, 60, 120, 180, 240, 300, 400};
  const std::vector<double> values = {1, 2, 3, 4, 5, 6, 7};
  std::vector<bool> covered;
  const auto sums = calibrate::sum_into_bars(steps, values, {0, 120, 240, 480}, &covered);
  EXPECT_EQ(sums, (std::vector<double>{3, 7, 11, 0}));  // bars are 120 long: step 400 falls in none
  EXPECT_EQ(covered, (std::vector<bool>{true, true, true, false}));
}

TEST(Score, ABadRealizedRowIsNamedByLineAndColumn) {
  const std::string path = ::testing::TempDir() + "realized_bad.csv";
  std::ofstream(path) << "timestamp,long_usd,short_usd\n2025-10-06T12:00:00,1,2\n2025-10-06T16:00:00,x,2\n";
  try {
    calibrate::read_realized(path);
    FAIL() << "expected an input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(std::string(e.what()).find(":3: column 2"), std::string::npos) << e.what();
  }
}

// A header is read by its names: `time,shorts,longs` keeps the sides where they belong.
TEST(Score, TheRealizedHeaderIsReadByItsNames) {
  const std::string path = ::testing::TempDir() + "realized_named.csv";
  std::ofstream(path) << "time,shorts,note,longs\n2025-10-06T12:00:00,1,a,10\n2025-10-06T16:00:00,2,b,20\n"
                         "2025-10-06T20:00:00,3,c,30\n";
  const calibrate::RealizedBars bars = calibrate::read_realized(path);
  EXPECT_EQ(bars.long_usd, (std::vector<double>{10, 20, 30}));
  EXPECT_EQ(bars.short_usd, (std::vector<double>{1, 2, 3}));
}

TEST(Score, AHeaderThatNamesNoSideIsRefusedWithTheAcceptedNames) {
  const std::string path = ::testing::TempDir() + "realized_unnamed.csv";
  std::ofstream(path) << "ts,a,b\n2025-10-06T12:00:00,1,2\n2025-10-06T16:00:00,1,2\n2025-10-06T20:00:00,1,2\n";
  try {
    calibrate::read_realized(path);
    FAIL() << "expected an input error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    const std::string what = e.what();
    EXPECT_NE(what.find("realized_unnamed.csv:1: the header 'ts,a,b' names no long-side"), std::string::npos) << what;
    EXPECT_NE(what.find("accepted names: long_usd, long, longs"), std::string::npos) << what;
  }
}

// The realized series is the model's own liquidations at a known turnover, same-bar switch and
// entry mode; calibrate starts elsewhere and must find them back.
TEST(Calibrate, RecoversTheParametersOfASyntheticMarket) {
  // Hourly bars; a nearly flat open interest and a heavy-tailed volume, so that the turnover
  // (not the OI rises) decides most of what opens.
  std::mt19937_64 rng(2026);
  std::normal_distribution<double> normal(0, 1);
  Market market;
  double price = 100, oi = 1000;
  for (int t = 0; t < 600; ++t) {
    const double close = price * std::exp(0.01 * normal(rng));
    market.ts.push_back(1700000000000 + std::int64_t(t) * 3600000);
    market.open.push_back(price);
    market.close.push_back(close);
    market.high.push_back(std::max(price, close) * (1 + 0.004 * std::abs(normal(rng))));
    market.low.push_back(std::min(price, close) * (1 - 0.004 * std::abs(normal(rng))));
    market.volume.push_back(20 * std::exp(normal(rng)));
    oi *= 1 + 0.002 * normal(rng);
    market.oi.push_back(oi);
    price = close;
  }
  Config truth = default_config();
  truth.flow.oi_unit = OiUnit::base;  // a book of ~1000 coins against ~25 coins traded per step
  truth.positions.samples_per_step = 16;
  truth.flow.turnover = std::pow(10.0, -0.5);
  truth.positions.same_bar = true;
  truth.positions.entry = EntryMode::triangular;
  const detail::Plan plan = detail::build_plan(market, truth, 2);
  calibrate::RealizedBars realized;
  realized.ts = market.ts;
  realized.long_usd = plan.solved_liquidated[0];
  realized.short_usd = plan.solved_liquidated[1];

  Config start = truth;
  start.flow.turnover = 5;
  start.positions.same_bar = false;
  start.positions.entry = EntryMode::uniform;
  // The best fit (tolerance 0): the turnover within one scan step (1/8 decade), switches exact.
  const calibrate::Calibration fit = calibrate::fit(market, start, realized, 2, 0.0);
  EXPECT_NEAR(std::log10(fit.best.turnover), -0.5, 0.125 + 1e-9) << fit.best.turnover;
  EXPECT_TRUE(fit.best.same_bar);
  EXPECT_EQ(fit.best.entry, EntryMode::triangular);
  EXPECT_GT(fit.best_objective, 0.999);
  EXPECT_EQ(fit.config.flow.turnover, fit.best.turnover);
  EXPECT_TRUE(fit.config.positions.same_bar);
  // The default pick: a slower book (lower turnover) only where it scores within the tolerance.
  const calibrate::Calibration parsimonious = calibrate::fit(market, start, realized, 2);
  EXPECT_LE(parsimonious.best.turnover, fit.best.turnover);
  EXPECT_GE(parsimonious.best.objective(), fit.best_objective - calibrate::kTolerance);
  EXPECT_TRUE(parsimonious.best.same_bar);
}

TEST(Calibrate, NeedsOpenInterestAndBarsInsideTheMarket) {
  std::mt19937_64 rng(1);
  const Market no_oi = test_support::random_market(rng, 50, false);
  calibrate::RealizedBars bars;
  for (int i = 0; i < 20; ++i) bars.ts.push_back(no_oi.ts[i]), bars.long_usd.push_back(1), bars.short_usd.push_back(1);
  EXPECT_THROW(calibrate::fit(no_oi, default_config(), bars), Error);
  Market with_oi = test_support::random_market(rng, 50, true, false);
  bars.ts.back() = with_oi.ts.back() + 3600000000;  // far after the market
  EXPECT_THROW(calibrate::fit(with_oi, default_config(), bars), Error);
}

}  // namespace
}  // namespace liqmap
