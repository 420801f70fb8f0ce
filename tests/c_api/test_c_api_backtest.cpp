// The C API's backtest and cascade (liqmap.h, "Backtest and cascade").
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "liqmap/liqmap.h"

namespace {

std::string last_error() { return liqmap_last_error(); }

TEST(CApiBacktest, RunsOnTheEnginesResult) {
  liqmap_engine* engine = nullptr;
  ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK);
  const std::size_t n = 3000;
  std::vector<int64_t> ts(n);
  std::vector<double> open(n), high(n), low(n), close(n), volume(n), oi(n);
  ASSERT_EQ(liqmap_synthetic_market(n, 3, ts.data(), open.data(), high.data(), low.data(), close.data(), volume.data(),
                                    oi.data()),
            LIQMAP_OK);
  liqmap_market market{};
  market.size = sizeof market;
  market.length = n;
  market.ts = ts.data();
  market.open = open.data();
  market.high = high.data();
  market.low = low.data();
  market.close = close.data();
  market.volume = volume.data();
  market.oi = oi.data();
  ASSERT_EQ(liqmap_engine_set_config(engine, R"({"grid": {"price_bins": 300}, "positions": {"samples_per_step": 8}})"),
            LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_OK);
  std::size_t count = 0;
  EXPECT_EQ(liqmap_engine_backtest(engine, nullptr, nullptr, 0, &count), LIQMAP_ERROR_NO_RESULT);
  liqmap_run_options run = liqmap_run_options_default();
  run.backend = LIQMAP_BACKEND_CPU;
  run.threads = 2;
  ASSERT_EQ(liqmap_engine_compute(engine, &run), LIQMAP_OK) << last_error();

  liqmap_backtest_options options = liqmap_backtest_options_default();
  const int64_t horizons[] = {30 * 60000, 120 * 60000};  // the synthetic market has 1-minute bars
  options.horizons_ms = horizons;
  options.horizon_count = 2;
  options.min_distance_pct = 0.2;
  options.max_distance_pct = 2;
  ASSERT_EQ(liqmap_engine_backtest(engine, &options, nullptr, 0, &count), LIQMAP_OK) << last_error();
  std::string text(count, '\0');
  std::size_t small = 0;
  EXPECT_EQ(liqmap_engine_backtest(engine, &options, text.data(), count - 1, &small), LIQMAP_ERROR_BUFFER_TOO_SMALL);
  ASSERT_EQ(liqmap_engine_backtest(engine, &options, text.data(), text.size(), &count), LIQMAP_OK) << last_error();
  const auto json = nlohmann::json::parse(text.c_str());
  ASSERT_EQ(json["horizons"].size(), 2u);
  EXPECT_DOUBLE_EQ(json["horizons"][1]["horizon_hours"].get<double>(), 2.0);
  EXPECT_GT(json["horizons"][0]["evaluations"].get<std::size_t>(), 50u);

  options.min_distance_pct = 3;  // above the maximum
  EXPECT_EQ(liqmap_engine_backtest(engine, &options, nullptr, 0, &count), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("--min-distance"), std::string::npos);
  options = liqmap_backtest_options_default();
  options.size = 8;
  EXPECT_EQ(liqmap_engine_backtest(engine, &options, nullptr, 0, &count), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_free(engine), LIQMAP_OK);
}

TEST(CApiCascade, OneClusterWithinReach) {
  std::vector<double> price, longs, shorts;
  for (int b = 0; b < 400; ++b) {
    price.push_back(80.05 + 0.1 * b);
    longs.push_back(b == 170 ? 1e9 : 0);  // 97.05
    shorts.push_back(0);
  }
  liqmap_cascade_inputs in{};
  in.size = sizeof in;
  in.price = price.data();
  in.long_usd = longs.data();
  in.short_usd = shorts.data();
  in.bins = price.size();
  in.start_price = 100;
  in.shocked_price = 96;
  in.sigma_daily = 0.02;
  in.volume_daily_usd = 1e10;
  in.impact_y = 1;
  liqmap_cascade_result result{};
  result.size = sizeof result;
  std::size_t count = 0;
  ASSERT_EQ(liqmap_cascade(&in, &result, nullptr, 0, &count), LIQMAP_OK) << last_error();
  EXPECT_EQ(count, 2u);
  std::vector<liqmap_cascade_step> path(count);
  ASSERT_EQ(liqmap_cascade(&in, nullptr, path.data(), path.size(), &count), LIQMAP_OK);
  EXPECT_NEAR(result.final_price, 96 * std::exp(-0.02 * std::sqrt(0.1)), 1e-12);
  EXPECT_DOUBLE_EQ(result.long_usd, 1e9);
  EXPECT_EQ(result.rounds, 1u);
  EXPECT_EQ(result.converged, 1);
  EXPECT_DOUBLE_EQ(path[0].flow_usd, 1e9);
  EXPECT_DOUBLE_EQ(path[1].price, result.final_price);

  in.volume_daily_usd = 0;
  EXPECT_EQ(liqmap_cascade(&in, &result, nullptr, 0, &count), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("volume_daily_usd"), std::string::npos);
  EXPECT_EQ(liqmap_cascade(nullptr, &result, nullptr, 0, &count), LIQMAP_ERROR_INVALID_ARGUMENT);
}

}  // namespace
