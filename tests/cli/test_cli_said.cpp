// What the CLI took silently before (issue 27 item 4): --map-at before the data, a leverage tier
// above every bracket of a schedule, an exchange name typo, the schedules of several venues.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class CliSaid : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = liqmap::testing::scratch_dir() / "said";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const auto synth = run_cli("synth --steps 300 --out " + market().string());
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
  }
  static fs::path market() { return dir_ / "synth.csv"; }
  static std::string compute(const std::string& name, const std::string& options) {
    return "compute --market " + market().string() + " --bins 64 --samples 2 --outputs npy --out " +
           (dir_ / name).string() + " " + options;
  }
  static fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  static fs::path dir_;
};
fs::path CliSaid::dir_;

TEST_F(CliSaid, MapAtBeforeTheDataIsRefused) {
  const auto run = run_cli(compute("early", "--map-at 2020-01-01"));
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(has(run.err, "--map-at 2020-01-01T00:00:00Z is before the first bar drawn (")) << run.err;
  EXPECT_FALSE(fs::exists(dir_ / "early"));
}

TEST_F(CliSaid, ALeverageTierAboveTheScheduleIsSaid) {
  const fs::path config = write("500x.json", R"({"leverage": [{"x": 10, "w": 1}, {"x": 500, "w": 1}]})");
  const auto run = run_cli(compute("500x", "--config " + config.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(has(run.err, "leverage tier(s) 500x exceed the 125x that binance's schedule binance-usdm-btcusdt allows "
                           "at any size: they run as 125x there"))
      << run.err;
  const auto fits = run_cli(compute("100x", ""));
  ASSERT_EQ(fits.exit_code, 0) << fits.err;
  EXPECT_FALSE(has(fits.err, "leverage tier")) << fits.err;
}

TEST_F(CliSaid, AnExchangeNameTypoIsRefusedWithTheNearestName) {
  const fs::path config = write("typo.json", R"({"exchanges": [{"name": "bybitt", "share": 1}]})");
  const auto run = run_cli(compute("typo", "--config " + config.string()));
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(has(run.err, "name \"bybitt\" is not one (did you mean \"bybit\"?)")) << run.err;
  // A name that goes on after a separator still stands for the exchange.
  const fs::path named = write("named.json", R"({"exchanges": [{"name": "bybit-main", "share": 1}]})");
  const auto ok = run_cli(compute("named", "--config " + named.string()));
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(has(ok.err, "the margin schedules are bybit-linear-btcusdt")) << ok.err;
}

TEST_F(CliSaid, TheScheduleNoticeListsEveryVenue) {
  const std::string m = market().string();
  const auto run = run_cli("compute --venue binance:" + m + " --venue bybit:" + m + " --venue okx@okx-swap-btc-usdt:" +
                           m + " --symbol BTCUSDT --bins 64 --samples 2 --outputs npy --out " + (dir_ / "venues").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(has(run.err, "binance: binance-usdm-btcusdt (as of")) << run.err;
  EXPECT_TRUE(has(run.err, "bybit: bybit-linear-btcusdt (as of")) << run.err;
  EXPECT_TRUE(has(run.err, "okx: okx-swap-btc-usdt (as of")) << run.err;
}

}  // namespace
