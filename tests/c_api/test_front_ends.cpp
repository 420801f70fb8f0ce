// One map job for every front end (app/map_job.hpp): the same market, config and window through
// `liqmap compute`, `liqmap batch` and the C API write the same files with the same bytes; the
// same for two venues through compute and the C API. Python's save() and Dask's run_job, which
// go through the C API, are checked against compute in python/tests/test_front_ends.py.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "../cli_run.hpp"
#include "liqmap/liqmap.h"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

constexpr const char* kConfig = R"({"grid": {"price_bins": 96}, "positions": {"samples_per_step": 3}})";
constexpr const char* kFrom = "2026-01-01T06:00:00Z";
constexpr const char* kTo = "2026-01-01T20:00:00Z";

class FrontEndsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("liqmap-front-ends-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_EQ(run_cli("synth --steps 1440 --seed 11 --out " + path("market.csv")).exit_code, 0);
    ASSERT_EQ(run_cli("synth --steps 1440 --seed 12 --out " + path("other.csv")).exit_code, 0);
    std::ofstream(dir_ / "config.json") << kConfig;
    ASSERT_EQ(liqmap_engine_create(&engine_), LIQMAP_OK);
    ASSERT_EQ(liqmap_engine_set_config(engine_, kConfig), LIQMAP_OK);
  }
  void TearDown() override {
    liqmap_engine_free(engine_);
    fs::remove_all(dir_);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // The C API's market of one file, read as compute reads it, for liqmap_engine_add_venue.
  struct Arrays {
    std::vector<int64_t> ts;
    std::vector<double> open, high, low, close, volume, oi;
    liqmap_market market() {
      liqmap_market m{};
      m.size = sizeof m;
      m.length = ts.size();
      m.ts = ts.data();
      m.open = open.data();
      m.high = high.data();
      m.low = low.data();
      m.close = close.data();
      m.volume = volume.data();
      m.oi = oi.data();
      return m;
    }
  };
  static Arrays read_arrays(const std::string& file) {
    liqmap_engine* reader = nullptr;
    EXPECT_EQ(liqmap_engine_create(&reader), LIQMAP_OK);
    const char* paths[] = {file.c_str()};
    EXPECT_EQ(liqmap_engine_read_market(reader, paths, 1, nullptr, 0, nullptr), LIQMAP_OK);
    Arrays a;
    size_t n = 0;
    EXPECT_EQ(liqmap_engine_get_market_ts(reader, nullptr, 0, &n), LIQMAP_OK);
    a.ts.resize(n);
    EXPECT_EQ(liqmap_engine_get_market_ts(reader, a.ts.data(), n, &n), LIQMAP_OK);
    const std::pair<liqmap_market_column, std::vector<double>*> columns[] = {
        {LIQMAP_COLUMN_OPEN, &a.open}, {LIQMAP_COLUMN_HIGH, &a.high},     {LIQMAP_COLUMN_LOW, &a.low},
        {LIQMAP_COLUMN_CLOSE, &a.close}, {LIQMAP_COLUMN_VOLUME, &a.volume}, {LIQMAP_COLUMN_OI, &a.oi}};
    for (const auto& [column, values] : columns) {
      values->resize(n);
      EXPECT_EQ(liqmap_engine_get_market_column(reader, column, values->data(), n, &n), LIQMAP_OK);
    }
    liqmap_engine_free(reader);
    return a;
  }

  void compute_window() {
    int64_t from = 0, to = 0;
    ASSERT_EQ(liqmap_parse_time(kFrom, &from), LIQMAP_OK);
    ASSERT_EQ(liqmap_parse_time(kTo, &to), LIQMAP_OK);
    ASSERT_EQ(liqmap_engine_compute_window(engine_, nullptr, &from, &to), LIQMAP_OK) << liqmap_last_error();
  }

  fs::path dir_;
  liqmap_engine* engine_ = nullptr;
};

std::set<std::string> files_under(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) names.insert(fs::relative(entry.path(), dir).string());
  return names;
}

// The same file set, and the grids, liquidations and liquidation map byte for byte (the pictures,
// page and reports are drawn from them; axes.json carries timings).
void expect_same_map(const fs::path& a, const fs::path& b) {
  const std::set<std::string> names = files_under(a);
  EXPECT_EQ(names, files_under(b)) << a << " against " << b;
  EXPECT_TRUE(names.count("liquidation_map.csv")) << a;
  int compared = 0;
  for (const std::string& name : names) {
    const std::string file = fs::path(name).filename().string();
    if (file == "heatmap.npy" || file == "long.npy" || file == "short.npy" || file == "liquidations.csv" ||
        file == "liquidation_map.csv" || file == "clusters.json" || file == "prices.csv") {
      EXPECT_EQ(slurp(a / name), slurp(b / name)) << name << ": " << a << " against " << b;
      ++compared;
    }
  }
  EXPECT_GE(compared, 7);
}

TEST_F(FrontEndsTest, OneMarketThroughComputeBatchAndTheCApiWritesTheSameMap) {
  const std::string window = std::string(" --from ") + kFrom + " --to " + kTo;
  const auto compute = run_cli("compute -q --market " + path("market.csv") + " --config " + path("config.json") +
                               window + " --out " + path("compute"));
  ASSERT_EQ(compute.exit_code, 0) << compute.err;

  std::ofstream(dir_ / "batch.json") << R"({"defaults": {"market": "market.csv", "config": "config.json"},
    "maps": [{"from": ")" << kFrom << R"(", "to": ")" << kTo << R"(", "out": "batch"}]})";
  const auto batch = run_cli("batch -q " + path("batch.json"));
  ASSERT_EQ(batch.exit_code, 0) << batch.err << batch.out;

  const char* paths[] = {nullptr};
  const std::string market = path("market.csv");
  paths[0] = market.c_str();
  ASSERT_EQ(liqmap_engine_read_market(engine_, paths, 1, nullptr, 0, nullptr), LIQMAP_OK) << liqmap_last_error();
  compute_window();
  ASSERT_EQ(liqmap_engine_write_outputs(engine_, path("c_api").c_str(), nullptr), LIQMAP_OK) << liqmap_last_error();

  expect_same_map(dir_ / "compute", dir_ / "batch");
  expect_same_map(dir_ / "compute", dir_ / "c_api");
}

TEST_F(FrontEndsTest, TwoVenuesWithAWindowThroughComputeAndTheCApiWriteTheSameMap) {
  const std::string window = std::string(" --from ") + kFrom + " --to " + kTo;
  const auto compute = run_cli("compute -q --venue binance:" + path("market.csv") + " --venue bybit:" + path("other.csv") +
                               " --config " + path("config.json") + window + " --out " + path("compute"));
  ASSERT_EQ(compute.exit_code, 0) << compute.err;

  Arrays binance = read_arrays(path("market.csv")), bybit = read_arrays(path("other.csv"));
  const liqmap_market binance_market = binance.market(), bybit_market = bybit.market();
  ASSERT_EQ(liqmap_engine_add_venue(engine_, "binance", nullptr, &binance_market), LIQMAP_OK) << liqmap_last_error();
  ASSERT_EQ(liqmap_engine_add_venue(engine_, "bybit", nullptr, &bybit_market), LIQMAP_OK) << liqmap_last_error();
  compute_window();
  ASSERT_EQ(liqmap_engine_write_outputs(engine_, path("c_api").c_str(), nullptr), LIQMAP_OK) << liqmap_last_error();

  EXPECT_TRUE(fs::exists(dir_ / "c_api" / "venues" / "bybit" / "liquidation_map.csv"));
  expect_same_map(dir_ / "compute", dir_ / "c_api");
}

}  // namespace
