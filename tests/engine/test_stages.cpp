// Each stage alone: flow and survival, Philox draws, first passage, price bins, smoothing.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "liqmap/error.hpp"
#include "model_math.hpp"
#include "model/plan.hpp"
#include "random_market.hpp"
#include "engine/smoothing.hpp"
#include "gaussian.hpp"

namespace {

using namespace liqmap;

Market flat_market(std::size_t steps, double step_hours = 1.0) {
  Market m;
  for (std::size_t t = 0; t < steps; ++t) {
    m.ts.push_back(1700000000000 + std::int64_t(t) * std::int64_t(step_hours * 3.6e6));
    m.open.push_back(100);
    m.high.push_back(101);
    m.low.push_back(99);
    m.close.push_back(100);
  }
  return m;
}

TEST(Flow, OpenInterestSourceOpensIncreasesAndClosesFractions) {
  Market m = flat_market(5);
  m.oi = {10, 15, 12, 0, 4};
  Config c = default_config();
  c.leverage = {{2, 1}};  // never liquidated in a 1% range: the balance is the OI alone
  const detail::Plan plan = detail::build_plan(m, c);
  EXPECT_EQ(plan.flow_source, "oi");
  // no volume, so no turnover; the first OI is seeded at step 0 (no warm-up candles)
  const std::vector<double> opened = {10 * 100, 5 * 100, 0, 0, 4 * 100};  // base units x close
  EXPECT_EQ(plan.opened_usd, opened);
  EXPECT_DOUBLE_EQ(plan.step_factor[2], 1 - 3.0 / 15);
  EXPECT_DOUBLE_EQ(plan.step_factor[3], 0.0);  // everything closed
  EXPECT_DOUBLE_EQ(plan.step_factor[4], 1.0);  // nothing left to close
  for (int t = 0; t < 5; ++t) EXPECT_DOUBLE_EQ(plan.alive_usd[t], m.oi[t] * 100);
  c.flow.oi_unit = OiUnit::quote;
  EXPECT_DOUBLE_EQ(detail::build_plan(m, c).opened_usd[1], 5.0);
}

TEST(Flow, VolumeSourceWhenThereIsNoOpenInterest) {
  Market m = flat_market(3);
  m.volume = {2, 0, 4};
  Config c = default_config();
  c.flow.volume_open_fraction = 0.5;
  const detail::Plan plan = detail::build_plan(m, c);
  EXPECT_EQ(plan.flow_source, "volume");
  EXPECT_DOUBLE_EQ(plan.opened_usd[0], 2 * 100 * 0.5);
  EXPECT_DOUBLE_EQ(plan.opened_usd[2], 4 * 100 * 0.5);
  EXPECT_TRUE(plan.survival_is_constant);
}

TEST(Flow, NeitherOpenInterestNorVolumeIsAnInputError) {
  try {
    detail::build_plan(flat_market(3), default_config());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(std::string(e.what()).find("neither"), std::string::npos);
  }
}

TEST(Flow, HalfLifeHalvesTheSurvivalPerHalfLife) {
  Market m = flat_market(4, 2.0);  // two hours per step
  m.volume = {1, 1, 1, 1};
  Config c = default_config();
  c.flow.half_life_hours = 4.0;
  const detail::Plan plan = detail::build_plan(m, c);
  EXPECT_NEAR(plan.step_factor[1], std::sqrt(0.5), 1e-15);
  const double s02 = model::survival_ratio(plan.survival_mantissa.data(), plan.survival_exponent.data(),
                                           plan.survival_wipes.data(), 0, 2);
  EXPECT_NEAR(s02, 0.5, 1e-15);
}

TEST(Survival, LongSeriesNeitherUnderflowsNorOverflows) {
  // A million steps, each keeping 99%: S_T = 0.99^1e6 ~ 1e-4365, far below the double range,
  // yet the ratio of two nearby steps must stay exact.
  const std::size_t steps = 1000000;
  Market m = flat_market(steps);
  m.volume.assign(steps, 1.0);
  Config c = default_config();
  c.flow.half_life_hours = std::log(2.0) / -std::log(0.99);  // decay 0.99 per one-hour step
  const detail::Plan plan = detail::build_plan(m, c);
  const auto ratio = [&](std::int64_t a, std::int64_t b) {
    return model::survival_ratio(plan.survival_mantissa.data(), plan.survival_exponent.data(),
                                 plan.survival_wipes.data(), a, b);
  };
  EXPECT_NEAR(ratio(steps - 11, steps - 1), std::pow(0.99, 10), 1e-9);
  EXPECT_NEAR(ratio(0, 100), std::pow(0.99, 100), 1e-9);
  EXPECT_EQ(ratio(0, steps - 1), 0.0);  // truly below any double: 0, not NaN
  for (std::size_t t = 0; t < steps; t += 9973) EXPECT_TRUE(std::isfinite(plan.survival_mantissa[t]));
}

TEST(Survival, AStepThatClosesEverythingEndsEarlierPositions) {
  Market m = flat_market(5);
  m.oi = {10, 20, 0, 5, 8};
  const detail::Plan plan = detail::build_plan(m, default_config());
  const auto ratio = [&](std::int64_t a, std::int64_t b) {
    return model::survival_ratio(plan.survival_mantissa.data(), plan.survival_exponent.data(),
                                 plan.survival_wipes.data(), a, b);
  };
  EXPECT_EQ(ratio(1, 2), 0.0);
  EXPECT_EQ(ratio(1, 4), 0.0);
  EXPECT_DOUBLE_EQ(ratio(3, 4), 1.0);  // positions opened after the wipe live on
}

// The host's shortcuts for llrint and ldexp give the library's answers, ties and edges included.
TEST(FixedPoint, ToFixedIsLlrintAndTimesPowerOfTwoIsLdexp) {
  std::mt19937_64 rng(7);
  std::vector<double> values = {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0x1.0p51 - 0.5, -(0x1.0p51 - 0.5), 0x1.0p51,
                                0x1.0p51 + 1, -0x1.0p51, 0x1.0p62, -0x1.0p62, 0.49999999999999994, 0.0, -0.0};
  for (int i = 0; i < 200000; ++i) {
    const double magnitude = std::ldexp(1.0, int(rng() % 60));
    values.push_back(std::uniform_real_distribution<double>(-magnitude, magnitude)(rng));
    values.push_back(std::floor(values.back()) + 0.5);  // a tie
  }
  for (double v : values) ASSERT_EQ(model::to_fixed(v, 1.0), std::llrint(v)) << std::hexfloat << v;

  for (std::int64_t shift : {-2200, -1075, -1074, -1023, -1022, -1021, -60, 0, 1, 1022, 1023, 1024, 1100})
    for (double x : {0.5, 0.75, 0.9999999999999999, 1.0, 1.5, 1.9999999999999998}) {
      const double expected = std::ldexp(x, int(shift));
      EXPECT_EQ(model::times_power_of_two(x, shift), expected) << x << " * 2^" << shift;
    }
}

TEST(Philox, MatchesRandom123KnownAnswer) {
  // Random123's kat_vectors: philox4x32 10 rounds, counter 0, key 0.
  r123::Philox4x32 rng;
  const auto r = rng({{0, 0, 0, 0}}, {{0, 0}});
  EXPECT_EQ(r[0], 0x6627e8d5u);
  EXPECT_EQ(r[1], 0xe169c58du);
  EXPECT_EQ(r[2], 0xbc57ac4cu);
  EXPECT_EQ(r[3], 0x9b00dbd8u);
}

TEST(Draws, SameSeedSameSampleOtherSeedOtherSample) {
  const auto draw = [](std::uint64_t seed, std::int64_t t, std::uint32_t k) {
    return model::draw_sample(seed, t, k, 8, 90, 110, 100, model::kEntryUniform, 10000, 1.0, 0);
  };
  EXPECT_EQ(draw(1, 5, 3).entry, draw(1, 5, 3).entry);
  EXPECT_EQ(draw(1, 5, 3).notional, draw(1, 5, 3).notional);
  EXPECT_NE(draw(2, 5, 3).entry, draw(1, 5, 3).entry);
  EXPECT_NE(draw(1, 6, 3).notional, draw(1, 5, 3).notional);
  EXPECT_NE(draw(1, std::int64_t(5) + (std::int64_t(1) << 32), 3).notional, draw(1, 5, 3).notional);
}

TEST(Draws, UniformEntriesAreStratifiedOverTheCandle) {
  const std::uint32_t K = 16;
  for (std::uint32_t k = 0; k < K; ++k) {
    const double e = model::draw_sample(9, 1, k, K, 100, 116, 110, model::kEntryUniform, 1, 0, 0).entry;
    EXPECT_GE(e, 100 + k);      // stratum k of width 1
    EXPECT_LT(e, 100 + k + 1);
  }
}

// Entry "path": stratified along the path open 104 -> low 100 -> high 116 -> close 110 (lengths
// 4 + 16 + 6 = 26): stratum k of 26 covers one unit of path, on the leg that unit lies on.
TEST(Draws, PathEntriesAreStratifiedAlongTheBarsPathWithTheirLeg) {
  const std::uint32_t K = 26;
  for (std::uint32_t k = 0; k < K; ++k) {
    const model::Sample s = model::draw_sample(9, 1, k, K, 100, 116, 110, model::kEntryPath, 1, 0, 104);
    const int leg = k < 4 ? 0 : k < 20 ? 1 : 2;
    EXPECT_EQ(s.leg, leg) << k;
    const double at = leg == 0 ? 104 - k : leg == 1 ? 100 + (k - 4) : 116 - (k - 20);  // the stratum's start
    EXPECT_LE(std::abs(s.entry - at), 1.0) << k;
    EXPECT_GE(s.entry, 100);
    EXPECT_LE(s.entry, 116);
  }
  // Open nearer the high: open 114 -> high 116 -> low 100 -> close 110 (2 + 16 + 10).
  EXPECT_EQ(model::draw_sample(9, 1, 1, 28, 100, 116, 110, model::kEntryPath, 1, 0, 114).leg, 0);
  EXPECT_EQ(model::draw_sample(9, 1, 2, 28, 100, 116, 110, model::kEntryPath, 1, 0, 114).leg, 1);
  EXPECT_EQ(model::draw_sample(9, 1, 27, 28, 100, 116, 110, model::kEntryPath, 1, 0, 114).leg, 2);
  // A flat bar: every entry at the price, none on a later leg that moves.
  const model::Sample flat = model::draw_sample(9, 1, 3, 8, 50, 50, 50, model::kEntryPath, 1, 0, 50);
  EXPECT_EQ(flat.entry, 50);
  EXPECT_EQ(model::draw_sample(9, 1, 3, 8, 100, 116, 110, model::kEntryUniform, 1, 0, 104).leg, -1);
}

TEST(Draws, TriangularHasTheModeAtTheCloseAndCloseModeIsExact) {
  double sum = 0;
  const int n = 20000;
  for (int k = 0; k < n; ++k) {
    const double e = model::draw_sample(3, k, 0, 1, 100, 130, 120, model::kEntryTriangular, 1, 0, 0).entry;
    ASSERT_GE(e, 100);
    ASSERT_LE(e, 130);
    sum += e;
  }
  EXPECT_NEAR(sum / n, (100 + 130 + 120) / 3.0, 0.2);  // the triangular mean
  EXPECT_EQ(model::draw_sample(3, 1, 0, 1, 100, 130, 120, model::kEntryClose, 1, 0, 0).entry, 120);
}

TEST(Draws, LognormalSizeHasTheMedianAndSigmaZeroIsExact) {
  EXPECT_EQ(model::draw_sample(3, 1, 0, 1, 99, 101, 100, model::kEntryClose, 12345, 0, 0).notional, 12345);
  std::vector<double> logs;
  for (int t = 0; t < 20000; ++t)
    logs.push_back(std::log(model::draw_sample(4, t, 0, 1, 99, 101, 100, model::kEntryClose, 10000, 0.8, 0).notional));
  double mean = 0, var = 0;
  for (double l : logs) mean += l / logs.size();
  for (double l : logs) var += (l - mean) * (l - mean) / logs.size();
  EXPECT_NEAR(mean, std::log(10000.0), 0.02);
  EXPECT_NEAR(std::sqrt(var), 0.8, 0.02);
}

TEST(FirstPassage, MatchesALinearScanOnRandomSeries) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 50; ++trial) {
    const std::size_t steps = 1 + rng() % 300;
    const Market m = test_support::random_market(rng, steps);
    Config c = default_config();
    const detail::Plan plan = detail::build_plan(m, c);
    const detail::PassageTables tables = detail::build_passage_tables(plan, 2);
    std::uniform_real_distribution<double> u(0.5, 1.5);
    for (int q = 0; q < 200; ++q) {
      const std::int64_t t0 = rng() % steps;
      const int side = q % 2;
      const double price = m.close[t0] * u(rng);
      std::int64_t expected = t0 + 1;
      while (expected < std::int64_t(steps) &&
             !(side == model::kLong ? m.low[expected] <= price : m.high[expected] >= price))
        ++expected;
      ASSERT_EQ(model::first_passage_step(tables.min_low.data(), tables.max_high.data(), tables.levels,
                                          std::int64_t(steps), t0, side, price),
                expected)
          << "trial " << trial << " t0 " << t0 << " side " << side;
    }
  }
}

TEST(PriceBins, EdgesAreHalfOpenAndTheTopEdgeIsInTheLastBin) {
  const std::vector<double> edges = {10, 20, 30, 40};
  EXPECT_EQ(model::price_bin(edges.data(), 3, 10), 0);
  EXPECT_EQ(model::price_bin(edges.data(), 3, 19.999), 0);
  EXPECT_EQ(model::price_bin(edges.data(), 3, 20), 1);
  EXPECT_EQ(model::price_bin(edges.data(), 3, 40), 2);
  EXPECT_EQ(model::price_bin(edges.data(), 3, 40.0001), -1);
  EXPECT_EQ(model::price_bin(edges.data(), 3, 9.999), -1);
  EXPECT_EQ(model::price_bin(edges.data(), 3, std::nan("")), -1);
}

TEST(PriceAxis, LogAxisHasEqualRatiosAndGeometricCentres) {
  Market m = flat_market(3);
  m.volume = {1, 1, 1};
  Config c = default_config();
  c.grid.price_scale = PriceScale::log;
  c.grid.price_bins = 10;
  c.grid.price_min = 50;
  c.grid.price_max = 200;
  const detail::Plan plan = detail::build_plan(m, c);
  const auto& e = plan.axes.price_edges;
  ASSERT_EQ(e.size(), 11u);
  for (int b = 0; b < 10; ++b) {
    EXPECT_NEAR(e[b + 1] / e[b], std::pow(4.0, 0.1), 1e-12);
    EXPECT_NEAR(plan.axes.price_centres[b], std::sqrt(e[b] * e[b + 1]), 1e-9);
  }
  EXPECT_EQ(e.front(), 50);
  EXPECT_EQ(e.back(), 200);
}

TEST(Smoothing, KernelSumsToOneIsSymmetricAndTruncatedAtFourSigma) {
  for (double sigma : {0.3, 1.0, 2.5, 7.0}) {
    const auto k = model::gaussian_kernel(sigma);
    EXPECT_EQ(k.size(), 2 * std::size_t(std::ceil(4 * sigma)) + 1);
    double sum = 0;
    for (double w : k) sum += w;
    EXPECT_NEAR(sum, 1.0, 1e-14);
    for (std::size_t i = 0; i < k.size() / 2; ++i) EXPECT_EQ(k[i], k[k.size() - 1 - i]);
    EXPECT_GT(k[k.size() / 2], k[k.size() / 2 + 1]);
  }
  EXPECT_EQ(model::gaussian_kernel(0), std::vector<double>{1.0});
}

TEST(Smoothing, SpreadsASpikeConservesMassInsideAndLosesItAtTheEdges) {
  Grid raw(41, 3);
  raw.at(20, 0) = 100;  // centre spike
  raw.at(0, 1) = 100;   // edge spike: half the kernel falls outside the grid
  raw.at(20, 2) = 100;
  const Grid smooth = detail::smooth_grid(raw, 2.0, 0.0, 2);
  EXPECT_NEAR(smooth.column_sum(0), 100, 1e-9);
  EXPECT_LT(smooth.column_sum(1), 60);
  EXPECT_GT(smooth.column_sum(1), 50);
  EXPECT_DOUBLE_EQ(smooth.at(18, 0), smooth.at(22, 0));
  EXPECT_LT(smooth.at(20, 0), 100);
  const Grid over_time = detail::smooth_grid(raw, 0.0, 1.0, 1);
  EXPECT_GT(over_time.at(20, 1), 0);  // columns 0 and 2 bleed into column 1
  EXPECT_EQ(detail::smooth_grid(raw, 0.0, 0.0, 1).data, raw.data);
}

}  // namespace
