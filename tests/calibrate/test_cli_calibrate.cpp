// `liqmap calibrate` -> `compute --config` -> `score` on the real BTC data (the train window),
// through the command line: the fitted config is accepted, and the model beats the
// open-to-extreme x OI baseline on both sides in Spearman and Pearson.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;

TEST(CliCalibrate, CalibrateComputeScoreOnTheTrainWindowBeatsTheBaseline) {
  const fs::path data = liqmap::testing::shared_btc_dir();
  const fs::path realized = data / "coinglass_liquidation_4h_train.csv";
  if (!fs::exists(realized) || !fs::exists(data / "btcusdt_4h_6year.csv"))
    GTEST_SKIP() << "no shared BTC data at " << data;
  const fs::path dir = liqmap::testing::scratch_dir() / "calibrate";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string market = " --market " + (data / "btcusdt_4h_6year.csv").string() + " --oi " +
                             (data / "coinglass_oi_4h.csv").string();
  const std::string window = "2025-10-06T12:00 --train-to 2026-01-04T08:00";
  const auto fit = run_cli("calibrate" + market + " --realized " + realized.string() + " --train-from " + window +
                           " --threads 2 --write " + (dir / "fit.json").string());
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  const auto config = nlohmann::json::parse(std::ifstream(dir / "fit.json"));
  EXPECT_EQ(config["calibration"]["bars"], 540);
  EXPECT_GT(config["flow"]["turnover"].get<double>(), 0);

  const auto run = run_cli("compute" + market + " --config " + (dir / "fit.json").string() + " --bins 256 --out " +
                           (dir / "map").string() + " --quiet");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto score = run_cli("score " + (dir / "map").string() + " --realized " + realized.string() +
                             " --from 2025-10-06T12:00 --to 2026-01-04T08:00 --bootstrap 100 --json");
  ASSERT_EQ(score.exit_code, 0) << score.err;
  const auto s = nlohmann::json::parse(score.out);
  EXPECT_EQ(s["bars"], 540);
  for (const char* side : {"long", "short"})
    for (const char* measure : {"spearman", "pearson"}) {
      const double model = s[std::string("model_") + side][measure]["value"];
      const double baseline = s[std::string("extreme_") + side][measure]["value"];
      EXPECT_GT(model, baseline) << side << " " << measure;
      const auto ci = s[std::string("model_") + side][measure]["ci95"];
      EXPECT_LE(ci[0].get<double>(), model);
      EXPECT_GE(ci[1].get<double>(), model);
    }
}

TEST(CliCalibrate, ScoreNamesABadRealizedFile) {
  const fs::path dir = liqmap::testing::scratch_dir() / "score-bad";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto demo = run_cli("demo --bins 32 --samples 2 --out " + (dir / "map").string() + " --quiet");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  std::ofstream(dir / "realized.csv") << "ts,long_usd,short_usd\n1,2\n";
  const auto score = run_cli("score " + (dir / "map").string() + " --realized " + (dir / "realized.csv").string());
  EXPECT_EQ(score.exit_code, 3);
  EXPECT_NE(score.err.find("realized.csv:2: column 3"), std::string::npos) << score.err;
}

// The map's own liquidations as the realized file: at the file's spacing (1 minute) and summed
// into 1h bars, the model ranks them perfectly, and the output says the bar and the venues.
TEST(CliCalibrate, ScoreComparesAtTheRealizedSpacingOrAtACoarserBar) {
  const fs::path dir = liqmap::testing::scratch_dir() / "score-bar";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto demo = run_cli("demo --bins 32 --samples 8 --out " + (dir / "map").string() + " --quiet");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const std::string realized = (dir / "map" / "liquidations.csv").string();
  const auto own = run_cli("score " + (dir / "map").string() + " --realized " + realized + " --bootstrap 0 --json");
  ASSERT_EQ(own.exit_code, 0) << own.err;
  const auto a = nlohmann::json::parse(own.out);
  EXPECT_EQ(a["bar"], "1m");
  EXPECT_EQ(a["bars"], 7 * 24 * 60);
  const auto hourly = run_cli("score " + (dir / "map").string() + " --realized " + realized +
                              " --bar 1h --realized-venues Binance,OKX,bybit --oi-venues binance --bootstrap 0 --json");
  ASSERT_EQ(hourly.exit_code, 0) << hourly.err;
  const auto h = nlohmann::json::parse(hourly.out);
  EXPECT_EQ(h["bar"], "1h");
  EXPECT_EQ(h["bar_ms"], 3600000);
  EXPECT_EQ(h["bars"], 7 * 24);
  EXPECT_EQ(h["realized_venues"], (nlohmann::json{"binance", "bybit", "okx"}));
  EXPECT_NE(h["venues"].get<std::string>().find("against open interest of binance"), std::string::npos);
  for (const char* side : {"model_long", "model_short"}) {
    EXPECT_NEAR(h[side]["spearman"]["value"].get<double>(), 1.0, 1e-12) << side;
    EXPECT_NEAR(h[side]["pearson"]["value"].get<double>(), 1.0, 1e-12) << side;
  }
  const auto text = run_cli("score " + (dir / "map").string() + " --realized " + realized + " --bar 4h --bootstrap 0");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("score: 42 bars of 4h"), std::string::npos) << text.out;
  const auto finer = run_cli("score " + (dir / "map").string() + " --realized " + realized + " --bar 30s");
  EXPECT_EQ(finer.exit_code, 3);
  EXPECT_NE(finer.err.find("--bar '30s'"), std::string::npos) << finer.err;
}

TEST(CliCalibrate, IrregularRealizedBarsAreRefusedByScoreAndCalibrate) {
  const fs::path dir = liqmap::testing::scratch_dir() / "score-irregular";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto demo = run_cli("demo --bins 32 --samples 2 --out " + (dir / "map").string() + " --quiet");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  std::ofstream(dir / "odd.csv") << "ts,long_usd,short_usd\n2026-01-01T00:00,1,2\n2026-01-01T01:00,1,2\n"
                                    "2026-01-01T02:30,1,2\n2026-01-01T03:30,1,2\n";
  const auto score = run_cli("score " + (dir / "map").string() + " --realized " + (dir / "odd.csv").string());
  EXPECT_EQ(score.exit_code, 3);
  EXPECT_NE(score.err.find("odd.csv: irregular bars: 1.5 h between 2026-01-01T01:00:00Z and 2026-01-01T02:30:00Z"),
            std::string::npos) << score.err;
  const auto fit = run_cli("calibrate --market " + (dir / "map" / "prices.csv").string() + " --realized " +
                           (dir / "odd.csv").string() + " --write " + (dir / "fit.json").string());
  EXPECT_NE(fit.exit_code, 0);
  EXPECT_NE(fit.err.find("irregular bars"), std::string::npos) << fit.err;
}

// The three-venue hourly truth: calibrate at 4h bars summed from it, with the venues stated.
TEST(CliCalibrate, CalibrateOnTheHourlyThreeVenueTruthAtFourHourBars) {
  const fs::path data = liqmap::testing::shared_btc_dir();
  const fs::path realized = data / "coinglass_liquidation_1h_3venues_train.csv";
  if (!fs::exists(realized) || !fs::exists(data / "btcusdt_1h_5year.csv")) GTEST_SKIP() << "no shared BTC data at " << data;
  const fs::path dir = liqmap::testing::scratch_dir() / "calibrate-3venues";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto fit = run_cli("calibrate --market " + (data / "btcusdt_1h_5year.csv").string() + " --oi " +
                           (data / "binance_oi_1h_train.csv").string() + " --realized " + realized.string() +
                           " --bar 4h --realized-venues binance,bybit,okx --oi-venues binance --threads 2 --write " +
                           (dir / "fit.json").string());
  ASSERT_EQ(fit.exit_code, 0) << fit.err;
  EXPECT_NE(fit.out.find("training bars of 4h"), std::string::npos) << fit.out;
  const auto c = nlohmann::json::parse(std::ifstream(dir / "fit.json"))["calibration"];
  EXPECT_EQ(c["bar"], "4h");
  EXPECT_EQ(c["bars"], 183);  // 737 hours: the first 4h bar starts at 06:00 and one hour is missing
  EXPECT_EQ(c["bars_dropped_incomplete"], 2);
  EXPECT_EQ(c["oi_venues"], (nlohmann::json{"binance"}));
  EXPECT_GT(c["train_spearman_long"].get<double>(), 0.5);
}

}  // namespace
