// The C API as a user sees it (through libliqmap.so), checked against the C++ engine it wraps:
// the same grids bit for bit, and every error path returning its status with a message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "liqmap/clusters.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/liqmap.h"
#include "venues/venues.hpp"

namespace {

constexpr std::size_t steps = 1500;
const char* const small_config =
    R"({"grid": {"price_bins": 200}, "positions": {"samples_per_step": 8}})";

// A synthetic market held as the arrays a C caller would own.
struct MarketArrays {
  std::vector<int64_t> ts;
  std::vector<double> open, high, low, close, volume, oi;

  explicit MarketArrays(std::size_t n, uint64_t seed = 7)
      : ts(n), open(n), high(n), low(n), close(n), volume(n), oi(n) {
    EXPECT_EQ(liqmap_synthetic_market(n, seed, ts.data(), open.data(), high.data(), low.data(),
                                      close.data(), volume.data(), oi.data()),
              LIQMAP_OK);
  }
  liqmap_market view() const {
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
  liqmap::Market to_cpp() const {
    liqmap::Market m;
    m.ts = ts;
    m.open = open;
    m.high = high;
    m.low = low;
    m.close = close;
    m.volume = volume;
    m.oi = oi;
    return m;
  }
};

liqmap_run_options cpu_options(int threads = 2) {
  liqmap_run_options options = liqmap_run_options_default();
  options.backend = LIQMAP_BACKEND_CPU;
  options.threads = threads;
  return options;
}

std::string last_error() { return liqmap_last_error(); }

class CApi : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK); }
  void TearDown() override { EXPECT_EQ(liqmap_engine_free(engine), LIQMAP_OK); }

  void compute_small() {
    const MarketArrays arrays(steps);
    const liqmap_market market = arrays.view();
    ASSERT_EQ(liqmap_engine_set_config(engine, small_config), LIQMAP_OK) << last_error();
    ASSERT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_OK) << last_error();
    const liqmap_run_options options = cpu_options();
    ASSERT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_OK) << last_error();
  }

  std::vector<double> grid(liqmap_grid_side side, liqmap_grid_stage stage) {
    std::size_t count = 0;
    EXPECT_EQ(liqmap_engine_get_grid(engine, side, stage, nullptr, 0, &count), LIQMAP_OK);
    std::vector<double> values(count);
    EXPECT_EQ(liqmap_engine_get_grid(engine, side, stage, values.data(), values.size(), &count),
              LIQMAP_OK);
    return values;
  }

  liqmap_engine* engine = nullptr;
};

TEST(CApiVersion, RunTimeVersionMatchesTheHeader) {
  EXPECT_STREQ(liqmap_version(), LIQMAP_VERSION_STRING);
  EXPECT_EQ(liqmap_version_number(), unsigned(LIQMAP_VERSION_NUMBER));
  EXPECT_EQ(LIQMAP_VERSION_NUMBER,
            LIQMAP_VERSION_MAJOR * 10000 + LIQMAP_VERSION_MINOR * 100 + LIQMAP_VERSION_PATCH);
}

TEST(CApiVersion, StatusNamesAreDistinct) {
  EXPECT_STREQ(liqmap_status_name(LIQMAP_OK), "ok");
  EXPECT_STREQ(liqmap_status_name(LIQMAP_ERROR_CONFIG), "config");
  EXPECT_STREQ(liqmap_status_name(LIQMAP_ERROR_BUFFER_TOO_SMALL), "buffer_too_small");
  EXPECT_STREQ(liqmap_status_name(static_cast<liqmap_status>(999)), "unknown");
}

TEST_F(CApi, GridsAreBitIdenticalToTheCppEngine) {
  compute_small();
  const MarketArrays arrays(steps);
  liqmap::RunOptions run;
  run.backend = liqmap::Backend::cpu;
  run.threads = 2;
  const liqmap::Result expected =
      liqmap::compute(arrays.to_cpp(), liqmap::parse_config(small_config), run);
  const auto values = [](const liqmap::Grid& g) { return std::vector<double>(g.data.begin(), g.data.end()); };

  EXPECT_EQ(grid(LIQMAP_GRID_LONG, LIQMAP_GRID_RAW), values(expected.raw_long));
  EXPECT_EQ(grid(LIQMAP_GRID_SHORT, LIQMAP_GRID_RAW), values(expected.raw_short));
  EXPECT_EQ(grid(LIQMAP_GRID_LONG, LIQMAP_GRID_SMOOTHED), values(expected.smooth_long));
  EXPECT_EQ(grid(LIQMAP_GRID_SHORT, LIQMAP_GRID_SMOOTHED), values(expected.smooth_short));
  EXPECT_EQ(grid(LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED), values(expected.smooth_total()));
  EXPECT_EQ(grid(LIQMAP_GRID_TOTAL, LIQMAP_GRID_RAW), values(expected.raw_total()));

  liqmap_axes axes{};
  axes.size = sizeof axes;
  ASSERT_EQ(liqmap_engine_get_axes(engine, &axes), LIQMAP_OK);
  EXPECT_EQ(axes.price_bins, 200u);
  EXPECT_EQ(axes.columns, steps);
  EXPECT_EQ(axes.steps, steps);
  EXPECT_EQ(axes.price_min, expected.axes.price_min);
  EXPECT_EQ(axes.price_max, expected.axes.price_max);
  EXPECT_EQ(axes.price_scale, LIQMAP_SCALE_LINEAR);

  std::vector<double> edges(axes.price_bins + 1);
  std::size_t count = 0;
  ASSERT_EQ(liqmap_engine_get_series(engine, LIQMAP_SERIES_PRICE_EDGES, edges.data(),
                                     edges.size(), &count), LIQMAP_OK);
  EXPECT_EQ(edges, expected.axes.price_edges);
  std::vector<double> liquidated(steps);
  ASSERT_EQ(liqmap_engine_get_series(engine, LIQMAP_SERIES_LIQUIDATED_SHORT, liquidated.data(),
                                     liquidated.size(), &count), LIQMAP_OK);
  EXPECT_EQ(liquidated, expected.liq_short);
  std::vector<int64_t> column_ts(axes.columns);
  ASSERT_EQ(liqmap_engine_get_column_ts(engine, column_ts.data(), column_ts.size(), &count),
            LIQMAP_OK);
  EXPECT_EQ(column_ts, expected.axes.column_ts);

  liqmap_run_stats stats{};
  stats.size = sizeof stats;
  ASSERT_EQ(liqmap_engine_get_stats(engine, &stats), LIQMAP_OK);
  EXPECT_EQ(stats.positions_drawn, expected.stats.positions_drawn);
  EXPECT_GT(stats.positions_drawn, 0u);
  EXPECT_EQ(stats.liquidated_usd, expected.stats.liquidated_usd);
  EXPECT_EQ(stats.backend, LIQMAP_BACKEND_CPU);
  EXPECT_STREQ(stats.flow_source, "oi");
}

// Venues added to an engine run as the CLI's: each from its own flow on shared axes, summed.
TEST_F(CApi, VenuesAddedBeforeComputeAreTheVenuesStagesAggregate) {
  const MarketArrays binance(600, 7);
  MarketArrays bybit(600, 7);
  for (double& v : bybit.oi) v *= 0.5;
  const liqmap_market binance_view = binance.view(), bybit_view = bybit.view();
  ASSERT_EQ(liqmap_engine_set_config(engine, small_config), LIQMAP_OK) << last_error();
  ASSERT_EQ(liqmap_engine_add_venue(engine, "binance", nullptr, &binance_view), LIQMAP_OK) << last_error();
  ASSERT_EQ(liqmap_engine_add_venue(engine, "bybit", "bybit-linear-btcusdt", &bybit_view), LIQMAP_OK) << last_error();
  EXPECT_EQ(liqmap_engine_add_venue(engine, "bybit", nullptr, &bybit_view), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_add_venue(engine, "okx", "okx-perpetual", &bybit_view), LIQMAP_ERROR_CONFIG);
  const liqmap_run_options options = cpu_options();
  ASSERT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_OK) << last_error();

  const liqmap::Config config = liqmap::parse_config(small_config);
  liqmap::Config bybit_config = config;
  bybit_config.exchanges = {{"bybit", 1.0, liqmap::load_schedule("bybit-linear-btcusdt")}};
  std::vector<liqmap::venues::VenueMarket> venues{{"binance", binance.to_cpp(), config}, {"bybit", bybit.to_cpp(), bybit_config}};
  venues[0].config.exchanges[0].name = "binance";
  liqmap::venues::align_venues(venues);
  liqmap::venues::share_price_axis(venues, 0, 599);
  liqmap::RunOptions run;
  run.backend = liqmap::Backend::cpu;
  run.threads = 2;
  const liqmap::Result expected = liqmap::venues::compute_venues(venues, run).aggregate;
  EXPECT_EQ(grid(LIQMAP_GRID_LONG, LIQMAP_GRID_RAW),
            std::vector<double>(expected.raw_long.data.begin(), expected.raw_long.data.end()));
  std::vector<double> liquidated(600);
  std::size_t count = 0;
  ASSERT_EQ(liqmap_engine_get_series(engine, LIQMAP_SERIES_LIQUIDATED_LONG, liquidated.data(), liquidated.size(), &count),
            LIQMAP_OK);
  EXPECT_EQ(liquidated, expected.liq_long);

  // Without its venues the engine has no market again.
  ASSERT_EQ(liqmap_engine_clear_venues(engine), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_NO_MARKET);
  // A venue with no schedule and no exchanges entry of its name fails at compute, saying so.
  ASSERT_EQ(liqmap_engine_add_venue(engine, "kraken", nullptr, &binance_view), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_CONFIG);
  EXPECT_NE(last_error().find("venue 'kraken' has no margin schedule"), std::string::npos) << last_error();
}

TEST_F(CApi, ClustersAreTheEnginesClusters) {
  compute_small();
  const MarketArrays arrays(steps);
  const liqmap::Market market = arrays.to_cpp();
  const liqmap::Config config = liqmap::parse_config(small_config);
  liqmap::RunOptions run;
  run.backend = liqmap::Backend::cpu;
  const liqmap::Result result = liqmap::compute(market, config, run);

  for (const long column : {-1L, 700L}) {
    if (column != -1) {
      ASSERT_EQ(liqmap_engine_extract_clusters(engine, column), LIQMAP_OK);
    }
    const liqmap::ColumnClusters expected =
        liqmap::extract_clusters(result, market, config.clusters, column);

    liqmap_cluster_summary summary{};
    summary.size = sizeof summary;
    ASSERT_EQ(liqmap_engine_get_cluster_summary(engine, &summary), LIQMAP_OK) << last_error();
    EXPECT_EQ(summary.column, expected.column);
    EXPECT_EQ(summary.ts, expected.ts);
    EXPECT_EQ(summary.price, expected.price);
    EXPECT_EQ(summary.above_usd, expected.summary.above_usd);
    EXPECT_EQ(summary.asymmetry, expected.summary.asymmetry);
    EXPECT_EQ(summary.has_largest_above, expected.summary.largest_above.has_value() ? 1 : 0);
    if (expected.summary.largest_above) {
      EXPECT_EQ(summary.largest_above.bin, expected.summary.largest_above->bin);
    }

    std::vector<liqmap_peak> peaks(summary.peak_count);
    std::size_t count = 0;
    ASSERT_EQ(liqmap_engine_get_peaks(engine, peaks.data(), peaks.size(), &count), LIQMAP_OK);
    ASSERT_EQ(count, expected.peaks.size());
    ASSERT_GT(count, 0u);
    for (std::size_t i = 0; i < count; ++i) {
      EXPECT_EQ(peaks[i].bin, expected.peaks[i].bin);
      EXPECT_EQ(peaks[i].value_usd, expected.peaks[i].value);
      EXPECT_EQ(peaks[i].prominence, expected.peaks[i].prominence);
      EXPECT_EQ(peaks[i].side == LIQMAP_SIDE_ABOVE,
                expected.peaks[i].side == liqmap::ClusterSide::above);
    }

    std::vector<liqmap_zone> zones(summary.zone_count);
    ASSERT_EQ(liqmap_engine_get_zones(engine, zones.data(), zones.size(), &count), LIQMAP_OK);
    ASSERT_EQ(count, expected.zones.size());
    for (std::size_t z = 0; z < count; ++z) {
      EXPECT_EQ(zones[z].first_bin, expected.zones[z].first_bin);
      EXPECT_EQ(zones[z].notional_usd, expected.zones[z].notional);
      std::vector<std::size_t> inside(zones[z].peak_count);
      ASSERT_EQ(liqmap_engine_get_zone_peaks(engine, z, inside.data(), inside.size(), &count),
                LIQMAP_OK);
      EXPECT_EQ(inside, expected.zones[z].peaks);
    }
    std::vector<double> curve(200);
    ASSERT_EQ(liqmap_engine_get_cluster_curve(engine, LIQMAP_CURVE_LONG_BELOW, curve.data(),
                                              curve.size(), &count), LIQMAP_OK);
    EXPECT_EQ(curve, expected.cumulative_long_below);
  }
  std::size_t count = 0;
  EXPECT_EQ(liqmap_engine_extract_clusters(engine, int64_t(steps)), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_get_zone_peaks(engine, 1000, nullptr, 0, &count),
            LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_get_cluster_curve(engine, static_cast<liqmap_cluster_curve>(5), nullptr,
                                            0, &count),
            LIQMAP_ERROR_INVALID_ARGUMENT);
}

TEST_F(CApi, TotalIsLongPlusShortAndSmoothingChangesTheGrid) {
  compute_small();
  const std::vector<double> longs = grid(LIQMAP_GRID_LONG, LIQMAP_GRID_SMOOTHED);
  const std::vector<double> shorts = grid(LIQMAP_GRID_SHORT, LIQMAP_GRID_SMOOTHED);
  const std::vector<double> total = grid(LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED);
  ASSERT_EQ(total.size(), 200u * steps);
  for (std::size_t i = 0; i < total.size(); ++i) ASSERT_EQ(total[i], longs[i] + shorts[i]);
  EXPECT_NE(grid(LIQMAP_GRID_TOTAL, LIQMAP_GRID_RAW), total);
}

TEST_F(CApi, QuerySizeThenTooSmallBufferCopiesNothing) {
  compute_small();
  std::size_t count = 0;
  ASSERT_EQ(liqmap_engine_get_series(engine, LIQMAP_SERIES_PRICE_CENTRES, nullptr, 0, &count),
            LIQMAP_OK);
  EXPECT_EQ(count, 200u);
  std::vector<double> small(count - 1, -1.0);
  EXPECT_EQ(liqmap_engine_get_series(engine, LIQMAP_SERIES_PRICE_CENTRES, small.data(),
                                     small.size(), &count),
            LIQMAP_ERROR_BUFFER_TOO_SMALL);
  EXPECT_EQ(count, 200u);
  EXPECT_NE(last_error().find("needs 200"), std::string::npos) << last_error();
  for (double v : small) EXPECT_EQ(v, -1.0);

  std::size_t json_size = 0;
  ASSERT_EQ(liqmap_engine_get_stats_json(engine, nullptr, 0, &json_size), LIQMAP_OK);
  std::string json(json_size, '\0');
  ASSERT_EQ(liqmap_engine_get_stats_json(engine, json.data(), json.size(), &json_size), LIQMAP_OK);
  EXPECT_EQ(std::strlen(json.c_str()) + 1, json_size);
  EXPECT_NE(json.find("\"backend\":\"cpu\""), std::string::npos) << json;
  EXPECT_EQ(liqmap_engine_get_stats_json(engine, json.data(), json_size - 1, &json_size),
            LIQMAP_ERROR_BUFFER_TOO_SMALL);
}

TEST(CApiHandles, NullAndFreedHandlesAreRejected) {
  EXPECT_EQ(liqmap_engine_free(nullptr), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_create(nullptr), LIQMAP_ERROR_INVALID_ARGUMENT);

  liqmap_engine* engine = nullptr;
  ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK);
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(liqmap_engine_free(engine), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_free(engine), LIQMAP_ERROR_INVALID_HANDLE);
  EXPECT_NE(last_error().find("already freed"), std::string::npos) << last_error();
  EXPECT_EQ(liqmap_engine_set_config(engine, nullptr), LIQMAP_ERROR_INVALID_HANDLE);

  int not_an_engine = 0;
  EXPECT_EQ(liqmap_engine_free(reinterpret_cast<liqmap_engine*>(&not_an_engine)),
            LIQMAP_ERROR_INVALID_HANDLE);

  const liqmap_run_options options = liqmap_run_options_default();
  std::size_t count = 0;
  liqmap_axes axes{};
  axes.size = sizeof axes;
  EXPECT_EQ(liqmap_engine_compute(nullptr, &options), LIQMAP_ERROR_INVALID_HANDLE);
  EXPECT_EQ(liqmap_engine_set_market(nullptr, nullptr), LIQMAP_ERROR_INVALID_HANDLE);
  EXPECT_EQ(liqmap_engine_get_grid(nullptr, LIQMAP_GRID_TOTAL, LIQMAP_GRID_RAW, nullptr, 0, &count),
            LIQMAP_ERROR_INVALID_HANDLE);
  EXPECT_EQ(liqmap_engine_get_axes(nullptr, &axes), LIQMAP_ERROR_INVALID_HANDLE);
  EXPECT_EQ(liqmap_engine_get_config(nullptr, nullptr, 0, &count), LIQMAP_ERROR_INVALID_HANDLE);
  EXPECT_EQ(last_error(), "liqmap_engine_get_config: engine is NULL");
}

TEST_F(CApi, NullPointersAreInvalidArguments) {
  EXPECT_EQ(liqmap_engine_set_market(engine, nullptr), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("market is NULL"), std::string::npos) << last_error();
  compute_small();
  EXPECT_EQ(liqmap_engine_get_grid(engine, LIQMAP_GRID_LONG, LIQMAP_GRID_RAW, nullptr, 0, nullptr),
            LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_get_axes(engine, nullptr), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_get_stats(engine, nullptr), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_get_backend_info(nullptr), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_synthetic_market(10, 1, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                                    nullptr),
            LIQMAP_ERROR_INVALID_ARGUMENT);
}

TEST_F(CApi, OutOfRangeEnumsAndSizesAreInvalidArguments) {
  compute_small();
  std::size_t count = 0;
  EXPECT_EQ(liqmap_engine_get_grid(engine, static_cast<liqmap_grid_side>(7), LIQMAP_GRID_RAW,
                                   nullptr, 0, &count),
            LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_EQ(liqmap_engine_get_series(engine, static_cast<liqmap_series>(42), nullptr, 0, &count),
            LIQMAP_ERROR_INVALID_ARGUMENT);
  liqmap_axes axes{};
  axes.size = 3;  // a caller that forgot to set it
  EXPECT_EQ(liqmap_engine_get_axes(engine, &axes), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("sizeof(axes)"), std::string::npos) << last_error();

  liqmap_run_options options = cpu_options();
  options.threads = -1;
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_INVALID_ARGUMENT);
  options = cpu_options();
  options.backend = static_cast<liqmap_backend>(9);
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_INVALID_ARGUMENT);
  options = cpu_options();
  options.size = 0;
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_INVALID_ARGUMENT);
}

TEST_F(CApi, AStructFromANewerHeaderKeepsItsExtraFields) {
  compute_small();
  struct NewerAxes {  // what a caller built against a later liqmap.h might pass
    liqmap_axes axes;
    double field_added_later;
  } newer{};
  newer.axes.size = sizeof newer;
  newer.field_added_later = 42;
  ASSERT_EQ(liqmap_engine_get_axes(engine, &newer.axes), LIQMAP_OK) << last_error();
  EXPECT_EQ(newer.axes.size, sizeof newer);
  EXPECT_EQ(newer.axes.price_bins, 200u);
  EXPECT_EQ(newer.field_added_later, 42) << "the library wrote past the fields it knows";
}

TEST_F(CApi, BadMarketsAreRejectedAndThePreviousOneKept) {
  MarketArrays arrays(50);
  liqmap_market market = arrays.view();
  ASSERT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_OK) << last_error();

  liqmap_market empty = market;
  empty.length = 0;
  EXPECT_EQ(liqmap_engine_set_market(engine, &empty), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("length is 0"), std::string::npos) << last_error();

  liqmap_market no_close = market;
  no_close.close = nullptr;
  EXPECT_EQ(liqmap_engine_set_market(engine, &no_close), LIQMAP_ERROR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("close is NULL"), std::string::npos) << last_error();

  liqmap_market unsized = market;
  unsized.size = 0;
  EXPECT_EQ(liqmap_engine_set_market(engine, &unsized), LIQMAP_ERROR_INVALID_ARGUMENT);

  arrays.close[9] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_ERROR_INPUT);
  EXPECT_NE(last_error().find(":10: column 'close'"), std::string::npos) << last_error();
  EXPECT_NE(last_error().find("finite"), std::string::npos) << last_error();

  const liqmap_run_options options = cpu_options();
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_OK)
      << "the market set before the failed calls stays: " << last_error();
}

TEST_F(CApi, BadConfigsAreRejectedAndThePreviousOneKept) {
  ASSERT_EQ(liqmap_engine_set_config(engine, R"({"grid": {"price_bins": 300}})"), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_set_config(engine, "{not json"), LIQMAP_ERROR_CONFIG);
  EXPECT_FALSE(last_error().empty());
  EXPECT_EQ(liqmap_engine_set_config(engine, R"({"grid": {"bins": 10}})"), LIQMAP_ERROR_CONFIG);
  EXPECT_NE(last_error().find("bins"), std::string::npos) << last_error();

  std::size_t size = 0;
  ASSERT_EQ(liqmap_engine_get_config(engine, nullptr, 0, &size), LIQMAP_OK);
  std::string json(size, '\0');
  ASSERT_EQ(liqmap_engine_get_config(engine, json.data(), json.size(), &size), LIQMAP_OK);
  EXPECT_NE(json.find("\"price_bins\": 300"), std::string::npos) << json;

  ASSERT_EQ(liqmap_engine_set_config(engine, nullptr), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_get_config(engine, nullptr, 0, &size), LIQMAP_OK);
  json.assign(size, '\0');
  ASSERT_EQ(liqmap_engine_get_config(engine, json.data(), json.size(), &size), LIQMAP_OK);
  EXPECT_NE(json.find("\"price_bins\": 2048"), std::string::npos) << json;
}

TEST_F(CApi, CallsOutOfOrderSayWhatIsMissing) {
  const liqmap_run_options options = cpu_options();
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_NO_MARKET);
  EXPECT_NE(last_error().find("liqmap_engine_set_market"), std::string::npos) << last_error();
  std::size_t count = 0;
  EXPECT_EQ(liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, nullptr, 0,
                                   &count),
            LIQMAP_ERROR_NO_RESULT);

  compute_small();
  ASSERT_EQ(liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, nullptr, 0,
                                   &count),
            LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_config(engine, small_config), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, nullptr, 0,
                                   &count),
            LIQMAP_ERROR_NO_RESULT)
      << "a new configuration discards the result computed with the old one";
}

struct ProgressLog {
  std::vector<double> fractions;
  bool cancel = false;
};

int record_progress(double fraction, void* user_data) {
  auto* log = static_cast<ProgressLog*>(user_data);
  log->fractions.push_back(fraction);
  return log->cancel ? 1 : 0;
}

TEST_F(CApi, ProgressIsReportedAndCanCancel) {
  const MarketArrays arrays(steps);
  const liqmap_market market = arrays.view();
  ASSERT_EQ(liqmap_engine_set_config(engine, small_config), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_OK);

  ProgressLog log;
  // One thread: the CPU backend reports progress from the calling thread only, which with
  // more threads may finish before taking a chunk of a run this small.
  liqmap_run_options options = cpu_options(1);
  options.progress = record_progress;
  options.progress_user_data = &log;
  ASSERT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_OK) << last_error();
  ASSERT_FALSE(log.fractions.empty());
  for (double f : log.fractions) {
    EXPECT_GE(f, 0.0);
    EXPECT_LE(f, 1.0);
  }

  log = ProgressLog{{}, true};
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_CANCELLED);
  EXPECT_NE(last_error().find("cancelled"), std::string::npos) << last_error();
  std::size_t count = 0;
  EXPECT_EQ(liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_RAW, nullptr, 0, &count),
            LIQMAP_ERROR_NO_RESULT)
      << "a cancelled run leaves no result";
}

TEST(CApiBackends, CudaWithoutADeviceIsADeviceError) {
  liqmap_backend_info info{};
  info.size = sizeof info;
  ASSERT_EQ(liqmap_get_backend_info(&info), LIQMAP_OK);
  if (info.cuda_usable) GTEST_SKIP() << "a CUDA device is usable here: " << info.cuda_reason;
  EXPECT_GT(std::strlen(info.cuda_reason), 0u);

  liqmap_engine* engine = nullptr;
  ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK);
  const MarketArrays arrays(100);
  const liqmap_market market = arrays.view();
  ASSERT_EQ(liqmap_engine_set_config(engine, small_config), LIQMAP_OK);
  ASSERT_EQ(liqmap_engine_set_market(engine, &market), LIQMAP_OK);
  liqmap_run_options options = liqmap_run_options_default();
  options.backend = LIQMAP_BACKEND_CUDA;
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_ERROR_DEVICE);
  EXPECT_NE(last_error().find("cuda"), std::string::npos) << last_error();
  options.backend = LIQMAP_BACKEND_AUTO;
  EXPECT_EQ(liqmap_engine_compute(engine, &options), LIQMAP_OK) << "auto falls back to the CPU";
  EXPECT_EQ(liqmap_engine_free(engine), LIQMAP_OK);
}

TEST(CApiThreads, EnginesOnTwoThreadsAreIndependent) {
  std::vector<double> grids[2];
  std::string errors[2];
  auto run = [&](int i) {
    liqmap_engine* engine = nullptr;
    liqmap_engine_create(&engine);
    const MarketArrays arrays(steps);
    const liqmap_market market = arrays.view();
    liqmap_engine_set_config(engine, small_config);
    liqmap_engine_set_market(engine, &market);
    const liqmap_run_options options = cpu_options(1);
    liqmap_engine_compute(engine, &options);
    std::size_t count = 0;
    liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, nullptr, 0, &count);
    grids[i].resize(count);
    liqmap_engine_get_grid(engine, LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED, grids[i].data(),
                           count, &count);
    // Only the second thread fails; the first must not see its message.
    if (i == 1) liqmap_engine_set_config(engine, "{bad");
    errors[i] = liqmap_last_error();
    liqmap_engine_free(engine);
  };
  std::thread first(run, 0), second(run, 1);
  first.join();
  second.join();
  ASSERT_FALSE(grids[0].empty());
  EXPECT_EQ(grids[0], grids[1]);
  EXPECT_EQ(errors[0], "");
  EXPECT_FALSE(errors[1].empty());
}

// The float32 values of a C-order 2-D .npy file, as the CLI writes them.
std::vector<float> read_npy_float32(const std::filesystem::path& path, std::size_t expected) {
  std::ifstream in(path, std::ios::binary);
  char preamble[10];
  in.read(preamble, sizeof preamble);
  const std::size_t header = std::size_t(static_cast<unsigned char>(preamble[8])) |
                             std::size_t(static_cast<unsigned char>(preamble[9])) << 8;
  in.seekg(std::streamoff(sizeof preamble + header));
  std::vector<float> values(expected);
  in.read(reinterpret_cast<char*>(values.data()), std::streamsize(expected * sizeof(float)));
  EXPECT_TRUE(in) << path << " holds fewer than " << expected << " values";
  return values;
}

TEST_F(CApi, GridsEqualTheClisHeatmapNpy) {
  compute_small();
  const std::filesystem::path work =
      std::filesystem::temp_directory_path() / ("liqmap_capi_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(work);
  const MarketArrays arrays(steps);
  {
    std::ofstream csv(work / "market.csv");
    csv << "ts,open,high,low,close,volume,oi\n" << std::setprecision(17);
    for (std::size_t t = 0; t < steps; ++t)
      csv << arrays.ts[t] << ',' << arrays.open[t] << ',' << arrays.high[t] << ','
          << arrays.low[t] << ',' << arrays.close[t] << ',' << arrays.volume[t] << ','
          << arrays.oi[t] << '\n';
    std::ofstream(work / "config.json") << small_config;
  }
  const std::string command = std::string(LIQMAP_CLI) + " compute --backend cpu --market " +
                              (work / "market.csv").string() + " --config " +
                              (work / "config.json").string() + " --out " +
                              (work / "out").string() + " > /dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  const std::vector<double> total = grid(LIQMAP_GRID_TOTAL, LIQMAP_GRID_SMOOTHED);
  const std::vector<float> written = read_npy_float32(work / "out" / "heatmap.npy", total.size());
  std::filesystem::remove_all(work);
  ASSERT_EQ(written.size(), total.size());
  for (std::size_t i = 0; i < total.size(); ++i)
    ASSERT_EQ(written[i], static_cast<float>(total[i])) << "cell " << i;
}

TEST(CApiConfigs, DemoConfigParsesBack) {
  std::size_t size = 0;
  ASSERT_EQ(liqmap_demo_config(nullptr, 0, &size), LIQMAP_OK);
  std::string json(size, '\0');
  ASSERT_EQ(liqmap_demo_config(json.data(), json.size(), &size), LIQMAP_OK);
  EXPECT_NE(json.find("bybit"), std::string::npos) << json;
  liqmap_engine* engine = nullptr;
  ASSERT_EQ(liqmap_engine_create(&engine), LIQMAP_OK);
  EXPECT_EQ(liqmap_engine_set_config(engine, json.c_str()), LIQMAP_OK) << last_error();
  EXPECT_EQ(liqmap_engine_free(engine), LIQMAP_OK);
}

}  // namespace
