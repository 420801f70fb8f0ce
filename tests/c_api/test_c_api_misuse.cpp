// C API misuse that used to succeed or corrupt memory (issue 18): absurd sizes and an engine
// freed or changed from inside its own progress callback.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "liqmap/liqmap.h"

namespace {

TEST(CApiMisuse, SyntheticMarketWithSizeMaxStepsIsAnInvalidArgument) {
  int64_t ts[2];
  double open[2], high[2], low[2], close[2];
  EXPECT_EQ(liqmap_synthetic_market(SIZE_MAX, 1, ts, open, high, low, close, nullptr, nullptr),
            LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(liqmap_last_error()).find("2 to 100000000 steps"), std::string::npos) << liqmap_last_error();
}

TEST(CApiMisuse, AConfigNumberNoDoubleHoldsIsAConfigErrorNotInternal) {
  liqmap_engine* engine = nullptr;
  ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_set_config(engine, R"({"grid": {"range_margin": 1e400}})"), LIQMAP_ERROR_CONFIG);
  EXPECT_NE(std::string(liqmap_last_error()).find("number overflow"), std::string::npos) << liqmap_last_error();
  liqmap_engine_free(engine);
}

struct CallbackProbe {
  liqmap_engine* engine;
  liqmap_status free_status = LIQMAP_OK, set_config_status = LIQMAP_OK;
  int calls = 0;
};

int free_own_engine(double, void* user_data) {
  auto* probe = static_cast<CallbackProbe*>(user_data);
  if (probe->calls++ == 0) {
    probe->free_status = liqmap_engine_free(probe->engine);
    probe->set_config_status = liqmap_engine_set_config(probe->engine, nullptr);
  }
  return 0;
}

TEST(CApiMisuse, FreeingAnEngineFromItsOwnProgressCallbackIsRefused) {
  constexpr std::size_t n = 3000;
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
  market.oi = oi.data();
  liqmap_engine* engine = nullptr;
  ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_OK);
  CallbackProbe probe{engine};
  liqmap_run_options options = liqmap_run_options_default();
  options.threads = 1;
  options.progress = free_own_engine;
  options.progress_user_data = &probe;
  ASSERT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_OK) << liqmap_last_error();
  ASSERT_GT(probe.calls, 0) << "the callback was never called; the test proves nothing";
  EXPECT_EQ(probe.free_status, LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(probe.set_config_status, LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_free(engine), LIQMAP_OK);  // after compute returns, free works
}

// 100000 threads was a SIGSEGV inside libgomp; the C API says the maximum (issue 30, item 3).
TEST(CApiMisuse, MoreThreadsThanTheMaximumAreAnInvalidArgument) {
  constexpr std::size_t n = 200;
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
  market.oi = oi.data();
  liqmap_engine* engine = nullptr;
  ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_config(engine, R"({"grid": {"price_bins": 32}, "positions": {"samples_per_step": 1}})"),
            LIQMAP_OK);
  liqmap_run_options options = liqmap_run_options_default();
  options.backend = LIQMAP_BACKEND_CPU;
  for (int threads : {100000, LIQMAP_MAX_THREADS + 1, -3}) {
    options.threads = threads;
    EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_INVALID_ARGUMENT) << threads;
    EXPECT_NE(std::string(liqmap_last_error()).find("use 0 (all) to 1024"), std::string::npos) << liqmap_last_error();
  }
  options.threads = 2;
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_OK) << liqmap_last_error();
  liqmap_engine_free(engine);
}

}  // namespace
