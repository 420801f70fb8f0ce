// compute --venue / the config's venues: per-venue folders beside the aggregate, render --venue,
// the liquidation map's files, and the refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

using Rows = std::vector<std::vector<std::string>>;

Rows read_csv(const fs::path& path) {
  Rows rows;
  std::istringstream text(slurp(path));
  for (std::string line; std::getline(text, line);) {
    std::vector<std::string> fields;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    rows.push_back(fields);
  }
  return rows;
}

// The synthetic market with volume and open interest scaled by k, rows in `skip` left out.
void write_venue(const fs::path& source, const fs::path& to, double k, const std::vector<std::size_t>& skip = {}) {
  const Rows rows = read_csv(source);
  std::ofstream out(to);
  out << "ts,open,high,low,close,volume,oi\n";
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (std::find(skip.begin(), skip.end(), r) != skip.end()) continue;
    out.precision(17);
    out << rows[r][0] << "," << rows[r][1] << "," << rows[r][2] << "," << rows[r][3] << "," << rows[r][4] << ","
        << std::stod(rows[r][5]) * k << "," << std::stod(rows[r][6]) * k << "\n";
  }
}

class CliVenues : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = liqmap::testing::scratch_dir() / "venues";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const auto synth = run_cli("synth --steps 600 --out " + (dir_ / "synth.csv").string());
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
    write_venue(dir_ / "synth.csv", dir_ / "binance.csv", 1.0);
    write_venue(dir_ / "synth.csv", dir_ / "bybit.csv", 0.5);
    write_venue(dir_ / "synth.csv", dir_ / "okx.csv", 0.25, {300, 301});
  }
  static std::string venues() {
    return " --venue binance:" + (dir_ / "binance.csv").string() + " --venue bybit@bybit-linear-btcusdt:" +
           (dir_ / "bybit.csv").string() + " --venue okx@okx-swap-btc-usdt:" + (dir_ / "okx.csv").string() +
           " --bins 256 --samples 8 --outputs npy,png,review ";
  }
  static fs::path dir_;
};
fs::path CliVenues::dir_;

TEST_F(CliVenues, ThreeVenuesWriteTheAggregateAndEachVenueAndRenderEither) {
  const fs::path out = dir_ / "run";
  const auto run = run_cli("compute" + venues() + "--out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(has(run.err, "venue okx: 2 bar(s) missing in the shared time axis")) << run.err;
  EXPECT_TRUE(has(run.out, "venue bybit")) << run.out;
  for (const fs::path& folder : {out, out / "venues" / "binance", out / "venues" / "bybit", out / "venues" / "okx"})
    for (const char* file : {"long.npy", "short.npy", "heatmap.npy", "liquidations.csv", "axes.json", "review.md",
                             "liquidation_map.csv"})
      EXPECT_TRUE(fs::exists(folder / file)) << folder / file;

  // R per step: the aggregate's is the venues' sum.
  const Rows aggregate = read_csv(out / "liquidations.csv");
  std::vector<Rows> per_venue;
  for (const char* name : {"binance", "bybit", "okx"}) per_venue.push_back(read_csv(out / "venues" / name / "liquidations.csv"));
  ASSERT_GT(aggregate.size(), 500u);
  double total = 0;
  for (std::size_t r = 1; r < aggregate.size(); ++r) {
    double sum = 0;
    for (const Rows& v : per_venue) {
      ASSERT_EQ(v[r][0], aggregate[r][0]);
      sum += std::stod(v[r][1]);
    }
    const double agg = std::stod(aggregate[r][1]);
    total += agg;
    EXPECT_NEAR(sum, agg, 1e-9 * std::max(1.0, agg)) << "row " << r;
  }
  EXPECT_GT(total, 0);
  const Rows map = read_csv(out / "liquidation_map.csv");
  ASSERT_GT(map.size(), 10u);
  EXPECT_EQ(map[0], (std::vector<std::string>{"price", "tier", "long_usd", "short_usd"}));

  // One venue redrawn on request, the aggregate in place keeps the venues.
  const fs::path bybit = dir_ / "bybit-view";
  const auto render = run_cli("render " + out.string() + " --venue bybit --out " + bybit.string());
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_TRUE(fs::exists(bybit / "review.md"));
  EXPECT_NE(slurp(bybit / "review.md"), slurp(out / "review.md"));
  // Each says what it shows (issue 27 item 6): a venue its own data on its brackets, the aggregate the sum.
  EXPECT_TRUE(has(slurp(bybit / "review.md"), "**What it shows:** Bybit's own candles and open interest on Bybit's "
                                              "margin brackets (bybit-linear-btcusdt).\n"))
      << slurp(bybit / "review.md");
  EXPECT_TRUE(has(slurp(out / "review.md"), "**What it shows:** The sum of 3 venues (binance + bybit + okx), each its "
                                            "own open interest on its own margin brackets.\n"))
      << slurp(out / "review.md");
  const auto again = run_cli("render " + out.string());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(fs::exists(out / "venues" / "okx" / "long.npy"));
  if (fs::exists(out / "heatmap.png")) {  // built with Cairo
    EXPECT_TRUE(fs::exists(out / "liqmap_map.png"));
    EXPECT_TRUE(fs::exists(out / "venues" / "bybit" / "liqmap_map.png"));
    EXPECT_TRUE(fs::exists(bybit / "heatmap.png"));
  }
  const auto missing = run_cli("render " + out.string() + " --venue kraken");
  EXPECT_EQ(missing.exit_code, 4);
  EXPECT_TRUE(has(missing.err, "its venues:")) << missing.err;

  // A one-market run into the same folder drops the venues of the old run.
  const auto single = run_cli("compute --market " + (dir_ / "binance.csv").string() + " --bins 64 --samples 4 -q --out " +
                              out.string());
  ASSERT_EQ(single.exit_code, 0) << single.err;
  EXPECT_FALSE(fs::exists(out / "venues"));
  EXPECT_TRUE(fs::exists(out / "liquidation_map.csv"));
}

TEST_F(CliVenues, TheConfigsVenuesRunLikeTheOptions) {
  const fs::path config = dir_ / "venues.json";
  std::ofstream(config) << R"({"venues": [
      {"name": "binance", "market": ")" << (dir_ / "binance.csv").string() << R"(", "schedule": "binance-usdm-btcusdt",
       "contract": "linear"},
      {"name": "coinm", "market": [")" << (dir_ / "bybit.csv").string() << R"("], "schedule": "binance-coinm-btcusd",
       "long_share": 0.6}]})";
  const fs::path out = dir_ / "from-config";
  const auto run = run_cli("compute --config " + config.string() + " --bins 128 --samples 4 -q --outputs npy --out " +
                           out.string() + " --map-at 2026-01-01T05:00");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(out / "venues" / "coinm" / "long.npy"));
  EXPECT_TRUE(has(slurp(out / "axes.json"), "\"venues\""));
}

TEST_F(CliVenues, VenuesOfEthFilesTakeEachExchangesEthSchedule) {
  fs::copy_file(dir_ / "binance.csv", dir_ / "ETHUSDT-1m-binance.csv", fs::copy_options::overwrite_existing);
  fs::copy_file(dir_ / "bybit.csv", dir_ / "ETHUSDT-1m-bybit.csv", fs::copy_options::overwrite_existing);
  const fs::path out = dir_ / "eth";
  const auto run = run_cli("compute --venue binance:" + (dir_ / "ETHUSDT-1m-binance.csv").string() + " --venue bybit:" +
                           (dir_ / "ETHUSDT-1m-bybit.csv").string() + " --bins 128 --samples 4 --outputs npy --out " +
                           out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(has(run.err, "margin schedules for ETH")) << run.err;
  const std::string axes = slurp(out / "axes.json");
  EXPECT_TRUE(has(axes, "binance-usdm-ethusdt")) << axes;
  EXPECT_FALSE(has(axes, "btcusdt")) << axes;
  // A venue that names a BTC schedule for ETH files is refused, never run silently.
  const auto wrong = run_cli("compute --venue binance@binance-usdm-btcusdt:" + (dir_ / "ETHUSDT-1m-binance.csv").string() +
                             " --bins 128 --samples 4 --out " + (dir_ / "x").string());
  EXPECT_EQ(wrong.exit_code, 3) << wrong.err;
}

TEST_F(CliVenues, AConfigsVenueFilesAreReadFromTheConfigsFolder) {
  std::ofstream(dir_ / "relative.json") << R"({"venues": [{"name": "binance", "market": "binance.csv"},
                                                          {"name": "bybit", "market": "bybit.csv"}]})";
  const auto run = run_cli("compute --config " + (dir_ / "relative.json").string() +
                           " --bins 128 --samples 4 --outputs npy --out " + (dir_ / "relative").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(dir_ / "relative" / "venues" / "bybit" / "heatmap.npy"));
  // bybit has no exchanges[] entry in the default config: its bundled BTC schedule is taken.
  EXPECT_TRUE(has(slurp(dir_ / "relative" / "venues" / "bybit" / "axes.json"), "bybit-linear-btcusdt"));
}

TEST_F(CliVenues, BadVenuesAreRefusedWithTheReason) {
  const auto no_colon = run_cli("compute --venue binance --out " + (dir_ / "x").string());
  EXPECT_EQ(no_colon.exit_code, 2);
  EXPECT_TRUE(has(no_colon.err, "NAME[@SCHEDULE]:CANDLES")) << no_colon.err;
  const auto no_schedule = run_cli("compute --venue kraken:" + (dir_ / "okx.csv").string() + " --out " + (dir_ / "x").string());
  EXPECT_EQ(no_schedule.exit_code, 3);
  EXPECT_TRUE(has(no_schedule.err, "venue 'kraken' has no margin schedule")) << no_schedule.err;
  const auto both = run_cli("compute --market " + (dir_ / "okx.csv").string() + " --venue binance:" +
                            (dir_ / "okx.csv").string() + " --out " + (dir_ / "x").string());
  EXPECT_EQ(both.exit_code, 2);
  std::ofstream(dir_ / "inverse.json") << R"({"venues": [{"name": "binance", "market": ")" << (dir_ / "okx.csv").string()
                                        << R"(", "schedule": "binance-usdm-btcusdt", "contract": "inverse"}]})";
  const auto wrong_type = run_cli("compute --config " + (dir_ / "inverse.json").string() + " --out " + (dir_ / "x").string());
  EXPECT_EQ(wrong_type.exit_code, 3);
  EXPECT_TRUE(has(wrong_type.err, "contract \"inverse\" but its schedule binance-usdm-btcusdt is linear")) << wrong_type.err;
  const auto nothing = run_cli("compute --out " + (dir_ / "x").string());
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_TRUE(has(nothing.err, "--market is required")) << nothing.err;
}

}  // namespace
