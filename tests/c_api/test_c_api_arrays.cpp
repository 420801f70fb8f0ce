// liqmap_engine_load_market: arrays read with the rules and notices of a file (issue 27 item 1,
// issue 30 item 7): the same data as arrays and as a CSV file gives the same market, unit and map.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "liqmap/liqmap.h"

namespace {

namespace fs = std::filesystem;

struct Arrays {
  std::vector<int64_t> ts;
  std::vector<double> open, high, low, close, volume, oi;
  liqmap_market view() {
    liqmap_market m{};
    m.size = sizeof m;
    m.length = ts.size();
    m.ts = ts.data();
    m.open = open.data(), m.high = high.data(), m.low = low.data(), m.close = close.data();
    m.volume = volume.data();
    m.oi = oi.empty() ? nullptr : oi.data();
    return m;
  }
};

// 600 one-minute synthetic bars with the open interest in USD (coins x close).
Arrays usd_market() {
  const std::size_t n = 600;
  Arrays a;
  a.ts.resize(n), a.open.resize(n), a.high.resize(n), a.low.resize(n), a.close.resize(n), a.volume.resize(n);
  a.oi.resize(n);
  EXPECT_EQ(liqmap_synthetic_market(n, 3, a.ts.data(), a.open.data(), a.high.data(), a.low.data(), a.close.data(),
                                    a.volume.data(), a.oi.data()),
            LIQMAP_OK);
  for (std::size_t i = 0; i < n; ++i) a.oi[i] *= a.close[i];
  return a;
}

std::string notices(liqmap_engine* engine) {
  size_t count = 0;
  EXPECT_EQ(liqmap_engine_get_notices(engine, nullptr, 0, &count), LIQMAP_OK);
  std::string text(count, '\0');
  EXPECT_EQ(liqmap_engine_get_notices(engine, text.data(), count, &count), LIQMAP_OK);
  text.resize(count - 1);
  return text;
}

std::vector<double> grid(liqmap_engine* engine) {
  EXPECT_EQ(liqmap_engine_compute(engine, nullptr), LIQMAP_OK) << liqmap_last_error();
  size_t count = 0;
  EXPECT_EQ(liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, nullptr, 0, &count), LIQMAP_OK);
  std::vector<double> out(count);
  EXPECT_EQ(liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, out.data(), count, &count), LIQMAP_OK);
  return out;
}

class ArraysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(liqmap_engine_create(&engine_), LIQMAP_OK);
    ASSERT_EQ(liqmap_engine_set_config(engine_, kConfig), LIQMAP_OK);
  }
  void TearDown() override { liqmap_engine_free(engine_); }
  static constexpr const char* kConfig = R"({"grid": {"price_bins": 64}, "positions": {"samples_per_step": 4}})";
  liqmap_engine* engine_ = nullptr;
};

TEST_F(ArraysTest, UsdOpenInterestIsReadAsUsdAsFromAFile) {
  Arrays a = usd_market();
  const liqmap_market m = a.view();
  ASSERT_EQ(liqmap_engine_load_market(engine_, &m, nullptr), LIQMAP_OK) << liqmap_last_error();
  const nlohmann::json said = nlohmann::json::parse(notices(engine_));
  EXPECT_EQ(said["oi_unit"], "quote");
  const std::vector<double> from_arrays = grid(engine_);

  const fs::path path = fs::temp_directory_path() / ("liqmap-capi-arrays-" + std::to_string(getpid()) + ".csv");
  {
    std::ofstream out(path);
    out.precision(17);
    out << "ts,open,high,low,close,volume,oi\n";
    for (std::size_t i = 0; i < a.ts.size(); ++i)
      out << a.ts[i] << "," << a.open[i] << "," << a.high[i] << "," << a.low[i] << "," << a.close[i] << ","
          << a.volume[i] << "," << a.oi[i] << "\n";
  }
  liqmap_engine* from_file = nullptr;
  ASSERT_EQ(liqmap_engine_create(&from_file), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_config(from_file, kConfig), LIQMAP_OK);
  const std::string name = path.string();
  const char* paths[] = {name.c_str()};
  ASSERT_EQ(liqmap_engine_read_market(from_file, paths, 1, nullptr, 0, nullptr), LIQMAP_OK) << liqmap_last_error();
  EXPECT_EQ(nlohmann::json::parse(notices(from_file))["oi_unit"], "quote");
  EXPECT_EQ(grid(from_file), from_arrays);
  liqmap_engine_free(from_file);
  fs::remove(path);
}

TEST_F(ArraysTest, EpochSecondsAreToldApartByMagnitudeWhenAsked) {
  Arrays a = usd_market();
  for (int64_t& t : a.ts) t /= 1000;
  const liqmap_market m = a.view();
  EXPECT_EQ(liqmap_engine_load_market(engine_, &m, nullptr), LIQMAP_ERROR_INPUT);  // ms: 1970
  EXPECT_NE(std::string(liqmap_last_error()).find("market arrays: row 1: column 'ts'"), std::string::npos)
      << liqmap_last_error();
  liqmap_load_options options = liqmap_load_options_default();
  options.ts_epoch_any = 1;
  ASSERT_EQ(liqmap_engine_load_market(engine_, &m, &options), LIQMAP_OK) << liqmap_last_error();
  EXPECT_NE(notices(engine_).find("candle times read as epoch seconds (market arrays)"), std::string::npos);
}

TEST_F(ArraysTest, TextTimesAreReadAsAFileReadsThem) {
  Arrays a = usd_market();
  std::string text;
  for (std::size_t i = 0; i < a.ts.size(); ++i) text += std::to_string(a.ts[i]) + "\n";
  text.replace(0, text.find('\n'), "05/01/2026");
  liqmap_market m = a.view();
  m.ts = nullptr;
  liqmap_load_options options = liqmap_load_options_default();
  options.name = "frame";
  options.ts_text = text.c_str();
  options.ts_text_length = text.size();
  EXPECT_EQ(liqmap_engine_load_market(engine_, &m, &options), LIQMAP_ERROR_INPUT);
  EXPECT_NE(std::string(liqmap_last_error()).find("frame: row 1: column 'ts' value '05/01/2026': must be a time from 1990"),
            std::string::npos)
      << liqmap_last_error();
}

TEST_F(ArraysTest, AStatedUnitTheDataContradictsIsRefused) {
  Arrays a = usd_market();
  const liqmap_market m = a.view();
  liqmap_load_options options = liqmap_load_options_default();
  options.oi_unit = "base";
  options.oi_unit_source = "column name 'oi_coins'";
  EXPECT_EQ(liqmap_engine_load_market(engine_, &m, &options), LIQMAP_ERROR_INPUT);
  EXPECT_NE(std::string(liqmap_last_error()).find("the column name 'oi_coins' says the open interest is in coins"),
            std::string::npos)
      << liqmap_last_error();
}

}  // namespace
