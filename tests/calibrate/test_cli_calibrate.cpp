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

}  // namespace
