// The C API's file functions (liqmap.h, "Files"): the CLI's readers, the engine's market read
// back, float32 grids and the CLI's output files, each checked against the C++ it wraps.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/map_market.hpp"
#include "liqmap/io.hpp"
#include "liqmap/liqmap.h"

namespace {

namespace fs = std::filesystem;

fs::path scratch() {
  const fs::path dir = fs::temp_directory_path() / ("liqmap-capi-files-" + std::to_string(getpid()));
  fs::create_directories(dir);
  return dir;
}

// 600 one-minute candles (synthetic) as a generic CSV without open interest.
std::string write_candles(const fs::path& dir) {
  const std::size_t n = 600;
  std::vector<int64_t> ts(n);
  std::vector<double> open(n), high(n), low(n), close(n), volume(n);
  EXPECT_EQ(liqmap_synthetic_market(n, 3, ts.data(), open.data(), high.data(), low.data(), close.data(),
                                    volume.data(), nullptr),
            LIQMAP_OK);
  const fs::path path = dir / "candles.csv";
  std::ofstream out(path);
  out.precision(17);
  out << "timestamp,open,high,low,close,volume\n";
  for (std::size_t i = 0; i < n; ++i)
    out << ts[i] << "," << open[i] << "," << high[i] << "," << low[i] << "," << close[i] << "," << volume[i] << "\n";
  return path.string();
}

std::string text_of(liqmap_status (*get)(liqmap_engine*, char*, size_t, size_t*), liqmap_engine* engine) {
  size_t count = 0;
  EXPECT_EQ(get(engine, nullptr, 0, &count), LIQMAP_OK);
  std::string text(count, '\0');
  EXPECT_EQ(get(engine, text.data(), count, &count), LIQMAP_OK);
  text.resize(count - 1);
  return text;
}

class FilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = scratch();
    candles_ = write_candles(dir_);
    ASSERT_EQ(liqmap_engine_create(&engine_), LIQMAP_OK);
    ASSERT_EQ(liqmap_engine_set_config(engine_, R"({"grid": {"price_bins": 64}, "positions": {"samples_per_step": 4}})"),
              LIQMAP_OK);
  }
  void TearDown() override {
    liqmap_engine_free(engine_);
    fs::remove_all(dir_);
  }
  fs::path dir_;
  std::string candles_;
  liqmap_engine* engine_ = nullptr;
};

TEST_F(FilesTest, ReadsAsTheCliReadsAndAppliesItsDefaults) {
  const char* paths[] = {candles_.c_str()};
  ASSERT_EQ(liqmap_engine_read_market(engine_, paths, 1, nullptr, 0, nullptr), LIQMAP_OK) << liqmap_last_error();
  liqmap::Config config = liqmap::default_config();
  const liqmap::io::MarketData expected = liqmap::app::read_map_market({candles_}, {}, {}, config);
  size_t count = 0;
  std::vector<double> close(600);
  ASSERT_EQ(liqmap_engine_get_market_column(engine_, LIQMAP_COLUMN_CLOSE, close.data(), close.size(), &count), LIQMAP_OK);
  EXPECT_EQ(close, expected.market.close);
  ASSERT_EQ(liqmap_engine_get_market_column(engine_, LIQMAP_COLUMN_OI, nullptr, 0, &count), LIQMAP_OK);
  EXPECT_EQ(count, 0u);  // absent
  const auto notices = nlohmann::json::parse(text_of(liqmap_engine_get_notices, engine_));
  EXPECT_EQ(notices["notices"].size(), expected.notices.size());
  EXPECT_NE(notices["notices"].back().get<std::string>().find("half-life"), std::string::npos);
  const auto config_json = nlohmann::json::parse(text_of(liqmap_engine_get_config, engine_));
  EXPECT_EQ(config_json["flow"]["half_life_hours"], 168);
  EXPECT_EQ(config_json["grid"]["price_bins"], 64);  // the rest of the configuration is kept
}

TEST_F(FilesTest, ABadRowNamesFileLineAndColumnAndKeepsTheMarket) {
  const char* good[] = {candles_.c_str()};
  ASSERT_EQ(liqmap_engine_read_market(engine_, good, 1, nullptr, 0, nullptr), LIQMAP_OK);
  const std::string bad = (dir_ / "bad.csv").string();
  std::ofstream(bad) << "ts,open,high,low,close\n2025-10-06T00:00:00,10,12,9,11\n2025-10-06T00:01:00,10,8,9,11\n";
  const char* paths[] = {bad.c_str()};
  EXPECT_EQ(liqmap_engine_read_market(engine_, paths, 1, nullptr, 0, nullptr), LIQMAP_ERROR_INPUT);
  EXPECT_NE(std::string(liqmap_last_error()).find("bad.csv:3"), std::string::npos) << liqmap_last_error();
  size_t count = 0;
  ASSERT_EQ(liqmap_engine_get_market_ts(engine_, nullptr, 0, &count), LIQMAP_OK);
  EXPECT_EQ(count, 600u);
  EXPECT_EQ(liqmap_engine_read_market(engine_, nullptr, 1, nullptr, 0, nullptr), LIQMAP_ERROR_INVALID_ARGUMENT);
  liqmap_read_options options = liqmap_read_options_default();
  options.oi_unit = "coins";
  EXPECT_EQ(liqmap_engine_read_market(engine_, good, 1, nullptr, 0, &options), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(liqmap_last_error()).find("coins"), std::string::npos);
}

TEST_F(FilesTest, Float32GridsOutputsAndReportFiles) {
  const char* paths[] = {candles_.c_str()};
  ASSERT_EQ(liqmap_engine_read_market(engine_, paths, 1, nullptr, 0, nullptr), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_compute(engine_, nullptr), LIQMAP_OK) << liqmap_last_error();
  size_t count = 0;
  ASSERT_EQ(liqmap_engine_get_grid(engine_, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, nullptr, 0, &count), LIQMAP_OK);
  std::vector<double> exact(count);
  std::vector<float> rounded(count);
  ASSERT_EQ(liqmap_engine_get_grid(engine_, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, exact.data(), count, &count), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_get_grid_f32(engine_, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, rounded.data(), count, &count),
            LIQMAP_OK);
  for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(rounded[i], static_cast<float>(exact[i])) << i;
  EXPECT_EQ(liqmap_engine_get_grid_f32(engine_, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, rounded.data(), count - 1, &count),
            LIQMAP_ERROR_BUFFER_TOO_SMALL);

  const std::string out = (dir_ / "out").string();
  liqmap_output_options options = liqmap_output_options_default();
  options.outputs = "clusters,review,npy";
  ASSERT_EQ(liqmap_engine_write_outputs(engine_, out.c_str(), &options), LIQMAP_OK) << liqmap_last_error();
  EXPECT_TRUE(fs::exists(out + "/heatmap.npy"));
  EXPECT_FALSE(fs::exists(out + "/heatmap.html"));
  ASSERT_EQ(liqmap_engine_get_output(engine_, "clusters.json", nullptr, nullptr, 0, &count), LIQMAP_OK);
  std::string clusters(count, '\0');
  ASSERT_EQ(liqmap_engine_get_output(engine_, "clusters.json", nullptr, clusters.data(), count, &count), LIQMAP_OK);
  clusters.resize(count - 1);
  std::ifstream written(out + "/clusters.json");
  EXPECT_EQ(clusters, std::string(std::istreambuf_iterator<char>(written), {}));
  options.has_at = 1;
  options.at_ts = nlohmann::json::parse(clusters)["ts"].get<int64_t>() - 60'000 * 100;  // 100 columns earlier
  ASSERT_EQ(liqmap_engine_get_output(engine_, "clusters.json", &options, nullptr, 0, &count), LIQMAP_OK);
  std::string earlier(count, '\0');
  ASSERT_EQ(liqmap_engine_get_output(engine_, "clusters.json", &options, earlier.data(), count, &count), LIQMAP_OK);
  earlier.resize(count - 1);
  EXPECT_EQ(nlohmann::json::parse(earlier)["column"], 499);
  EXPECT_EQ(liqmap_engine_get_output(engine_, "heatmap.npy", nullptr, nullptr, 0, &count), LIQMAP_ERROR_INVALID_ARGUMENT);
  options.outputs = "pictures";
  EXPECT_EQ(liqmap_engine_write_outputs(engine_, out.c_str(), &options), LIQMAP_ERROR_INVALID_ARGUMENT);
}

TEST_F(FilesTest, AWindowKeepsItsBarsAndLeavesTheConfigurationAsSet) {
  const char* paths[] = {candles_.c_str()};
  ASSERT_EQ(liqmap_engine_read_market(engine_, paths, 1, nullptr, 0, nullptr), LIQMAP_OK);
  const std::string config_before = text_of(liqmap_engine_get_config, engine_);
  std::vector<int64_t> ts(600);
  size_t count = 0;
  ASSERT_EQ(liqmap_engine_get_market_ts(engine_, ts.data(), ts.size(), &count), LIQMAP_OK);
  const int64_t from = ts[100], to = ts[399];
  ASSERT_EQ(liqmap_engine_compute_window(engine_, nullptr, &from, &to), LIQMAP_OK) << liqmap_last_error();
  std::vector<int64_t> columns(300);
  ASSERT_EQ(liqmap_engine_get_column_ts(engine_, columns.data(), columns.size(), &count), LIQMAP_OK);
  EXPECT_EQ(count, 300u);
  EXPECT_EQ(columns.front(), from);
  EXPECT_EQ(columns.back(), to);
  liqmap_cluster_summary summary{};
  summary.size = sizeof summary;
  ASSERT_EQ(liqmap_engine_get_cluster_summary(engine_, &summary), LIQMAP_OK);
  EXPECT_EQ(summary.ts, to);
  EXPECT_EQ(text_of(liqmap_engine_get_config, engine_), config_before);
  const int64_t late = ts.back() + 86'400'000;
  EXPECT_EQ(liqmap_engine_compute_window(engine_, nullptr, &late, nullptr), LIQMAP_ERROR_INPUT);
  EXPECT_NE(std::string(liqmap_last_error()).find("no bar lies in the window from_ms "), std::string::npos) << liqmap_last_error();
  // The C API's caller set from_ms/to_ms, not the CLI's options (issue 30, item 15).
  EXPECT_EQ(std::string(liqmap_last_error()).find("--from"), std::string::npos) << liqmap_last_error();
  EXPECT_EQ(liqmap_engine_get_axes(engine_, nullptr), LIQMAP_ERROR_NO_RESULT);
  const int64_t last = ts.back();
  EXPECT_EQ(liqmap_engine_compute_window(engine_, nullptr, &last, nullptr), LIQMAP_ERROR_INPUT);
  EXPECT_NE(std::string(liqmap_last_error()).find("in the window from_ms/to_ms"), std::string::npos) << liqmap_last_error();
}

TEST_F(FilesTest, WarmupRowsMustFallInsideTheMarket) {
  std::vector<int64_t> ts{1759708800000, 1759708860000};
  std::vector<double> price{10, 10};
  liqmap_market market{};
  market.size = sizeof market;
  market.length = 2;
  market.ts = ts.data();
  market.open = market.high = market.low = market.close = price.data();
  market.warmup_rows = 2;
  EXPECT_EQ(liqmap_engine_set_market(engine_, &market), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(std::string(liqmap_last_error()).find("warmup_rows"), std::string::npos);
  market.warmup_rows = 1;
  EXPECT_EQ(liqmap_engine_set_market(engine_, &market), LIQMAP_OK) << liqmap_last_error();
  EXPECT_EQ(liqmap_engine_apply_market_defaults(engine_, "quote"), LIQMAP_OK);
  EXPECT_EQ(nlohmann::json::parse(text_of(liqmap_engine_get_notices, engine_))["warmup_rows"], 1);
  EXPECT_EQ(nlohmann::json::parse(text_of(liqmap_engine_get_config, engine_))["flow"]["oi_unit"], "quote");
}

TEST(ParseTime, ReadsTimesAsTheCliDoesAndRefusesTheRest) {
  std::int64_t ms = -1;
  ASSERT_EQ(liqmap_parse_time("2026-01-01T06:00Z", &ms), LIQMAP_OK) << liqmap_last_error();
  EXPECT_EQ(ms, 1767247200000);
  ASSERT_EQ(liqmap_parse_time("2026-01-01T08:00+02:00", &ms), LIQMAP_OK);
  EXPECT_EQ(ms, 1767247200000);
  for (const char* epoch : {"1767247200", "1767247200000", "1767247200000000", "1767247200000000000"}) {
    ms = -1;
    ASSERT_EQ(liqmap_parse_time(epoch, &ms), LIQMAP_OK) << epoch;
    EXPECT_EQ(ms, 1767247200000) << epoch;
  }
  for (const char* bad : {"", "yesterday", "1889-01-01", "2026-13-01", "12"}) {
    ms = 7;
    EXPECT_EQ(liqmap_parse_time(bad, &ms), LIQMAP_ERROR_INPUT) << bad;
    EXPECT_EQ(ms, 7) << bad;
    EXPECT_NE(std::string(liqmap_last_error()).find("is not a time"), std::string::npos) << liqmap_last_error();
  }
  EXPECT_EQ(liqmap_parse_time(nullptr, &ms), LIQMAP_ERROR_INVALID_ARGUMENT);
}

}  // namespace
