// Messages as a user meets them (issue 27 item 11): windows that are reversed or empty say so
// with both times and the data's span, the --oi-unit refusal says it once, calibrate/score name
// where the realized file ends, info says plainly that no GPU is usable and the CPU runs,
// backtest prints a summary and leaves review.md alone unless asked, cascade's --volume-scale.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }
std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

class CliMessages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = liqmap::testing::scratch_dir() / "messages";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // 3,000 one-minute bars from the synthetic market's start (2026-01-01T00:00Z).
    ASSERT_EQ(run_cli("synth --steps 3000 --out " + market().string()).exit_code, 0);
    const auto run = run_cli("compute --market " + market().string() +
                             " --bins 256 --samples 4 --outputs npy,review -q --out " + run_dir().string());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    // Realized liquidations, one bar an hour over the first 40 hours.
    std::ofstream realized(realized_path());
    realized << "ts,long_usd,short_usd\n";
    const std::string first = slurp(market()).substr(slurp(market()).find('\n') + 1, 13);
    const long long start = std::stoll(first);
    for (int h = 0; h < 40; ++h) realized << start + h * 3600000LL << "," << 1000 + h << "," << 2000 - h << "\n";
  }
  static fs::path market() { return dir_ / "synth.csv"; }
  static fs::path run_dir() { return dir_ / "run"; }
  static fs::path realized_path() { return dir_ / "realized.csv"; }
  static std::string compute(const std::string& options) {
    return "compute --market " + market().string() + " --bins 128 --samples 2 --outputs npy --out " +
           (dir_ / "window").string() + " " + options;
  }
  static fs::path dir_;
};
fs::path CliMessages::dir_;

TEST_F(CliMessages, AReversedWindowNamesBothTimes) {
  const auto run = run_cli(compute("--from 2026-01-02 --to 2026-01-01T12:00"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(has(run.err, "--from 2026-01-02T00:00:00Z is after --to 2026-01-01T12:00:00Z: the window is reversed"))
      << run.err;
}

TEST_F(CliMessages, AnEmptyWindowSaysWhereItLiesAgainstTheData) {
  const auto after = run_cli(compute("--from 2030-01-01"));
  EXPECT_EQ(after.exit_code, 3);
  EXPECT_TRUE(has(after.err, "--from 2030-01-01T00:00:00Z .. --to (open): --from is after the last bar (the data spans "))
      << after.err;
  const auto before = run_cli(compute("--to 2020-01-01"));
  EXPECT_TRUE(has(before.err, "--to is before the first bar")) << before.err;
  // Between two one-minute bars: both neighbours named.
  const auto between = run_cli(compute("--from 2026-01-01T00:10:10 --to 2026-01-01T00:10:50"));
  EXPECT_EQ(between.exit_code, 3);
  EXPECT_TRUE(has(between.err, "it lies between the bars at 2026-01-01T00:10:00Z and 2026-01-01T00:11:00Z")) << between.err;
}

TEST_F(CliMessages, TheOiUnitRefusalSaysItOnce) {
  // The synthetic market's oi column is in coins: --oi-unit quote reads it as USD.
  const auto run = run_cli(compute("--oi-unit quote"));
  ASSERT_EQ(run.exit_code, 3) << run.err;
  EXPECT_TRUE(has(run.err, "--oi-unit quote says the open interest is in USD (quote), but the median open interest "))
      << run.err;
  EXPECT_EQ(count(run.err, "USD (quote)"), 1u) << run.err;
  EXPECT_EQ(count(run.err, "read as"), 0u) << run.err;
  EXPECT_TRUE(has(run.err, "it is plausible (--oi-unit base)")) << run.err;
}

TEST_F(CliMessages, ScoreAndCalibrateSayWhereTheRealizedFileEnds) {
  const auto score = run_cli("score " + run_dir().string() + " --realized " + realized_path().string() + " --from 2027-01-01");
  EXPECT_EQ(score.exit_code, 3);
  EXPECT_TRUE(has(score.err, "0 realized bar(s) lie in the window --from 2027-01-01T00:00:00Z .. --to (open): --from is "
                             "after the last bar (the realized file "))
      << score.err;
  EXPECT_TRUE(has(score.err, "40 bars, spans 2026-01-01T00:00:00Z .. 2026-01-02T15:00:00Z): score needs at least 3"))
      << score.err;
  const auto reversed = run_cli("score " + run_dir().string() + " --realized " + realized_path().string() +
                                " --from 2026-01-02 --to 2026-01-01");
  EXPECT_EQ(reversed.exit_code, 2);
  EXPECT_TRUE(has(reversed.err, "the window is reversed")) << reversed.err;
  const auto calibrate = run_cli("calibrate --market " + market().string() + " --realized " + realized_path().string() +
                                 " --train-from 2026-01-02T12:00 --write " + (dir_ / "fit.json").string());
  EXPECT_EQ(calibrate.exit_code, 3);
  EXPECT_TRUE(has(calibrate.err, "4 realized bar(s) lie in the window --train-from 2026-01-02T12:00:00Z .. --train-to "
                                 "(open) (the realized file "))
      << calibrate.err;
  EXPECT_TRUE(has(calibrate.err, "spans 2026-01-01T00:00:00Z .. 2026-01-02T15:00:00Z): calibrate needs at least 10"))
      << calibrate.err;
  EXPECT_FALSE(fs::exists(dir_ / "fit.json"));
}

TEST_F(CliMessages, InfoSaysPlainlyWhichBackendRuns) {
  const auto run = run_cli("info");
  ASSERT_EQ(run.exit_code, 0);
  const auto json = nlohmann::json::parse(run_cli("info --json").out);
  if (json["cuda_usable"].get<bool>()) GTEST_SKIP() << "a CUDA device is usable here";
  EXPECT_TRUE(has(run.out, "cuda: not usable: ")) << run.out;
  EXPECT_TRUE(has(run.out, "the CPU backend is used")) << run.out;
  // Without a driver the runtime says "driver version is insufficient": said plainly first.
  if (json["backends"].size() == 2 && !fs::exists("/proc/driver/nvidia/version")) {
    EXPECT_TRUE(has(run.out, "cuda: not usable: no NVIDIA GPU driver is installed")) << run.out;
  }
}

TEST_F(CliMessages, RenderTakesQuiet) {
  const auto run = run_cli("render " + run_dir().string() + " --quiet --out " + (dir_ / "quiet").string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST_F(CliMessages, BacktestPrintsASummaryAndEditsReviewOnlyWhenAsked) {
  const std::string review_before = slurp(run_dir() / "review.md");
  const auto run = run_cli("backtest " + run_dir().string() + " --horizons 30m,2h --min-distance 0.2 --max-distance 2");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_LE(count(run.out, "\n"), 8u) << run.out;
  EXPECT_TRUE(has(run.out, "  30m: ")) << run.out;
  EXPECT_TRUE(has(run.out, "backtest.md (the tables; --verbose prints them)")) << run.out;
  EXPECT_FALSE(has(run.out, "| rule |")) << run.out;
  EXPECT_EQ(slurp(run_dir() / "review.md"), review_before);
  const auto verbose = run_cli("backtest " + run_dir().string() + " --horizons 30m --min-distance 0.2 --max-distance 2 -v");
  EXPECT_TRUE(has(verbose.out, "## Horizon 30m")) << verbose.out;
  const auto review = run_cli("backtest " + run_dir().string() + " --horizons 30m --min-distance 0.2 --max-distance 2 --review");
  ASSERT_EQ(review.exit_code, 0) << review.err;
  EXPECT_TRUE(has(review.out, "wrote " + run_dir().string() + "/review.md (its backtest section)")) << review.out;
  EXPECT_TRUE(has(slurp(run_dir() / "review.md"), "## Backtest: do clusters act as magnets?"));
  const auto reversed = run_cli("backtest " + run_dir().string() + " --from 2026-01-02 --to 2026-01-01");
  EXPECT_EQ(reversed.exit_code, 2);
  EXPECT_TRUE(has(reversed.err, "the window is reversed")) << reversed.err;
}

TEST_F(CliMessages, CascadeTakesTheVolumesScope) {
  const std::string base = "cascade " + run_dir().string() + " --shock -1% --json --out " + (dir_ / "cascade").string() +
                           " --market " + market().string();
  const auto one = run_cli(base);
  const auto four = run_cli(base + " --volume-scale 4");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  ASSERT_EQ(four.exit_code, 0) << four.err;
  const auto a = nlohmann::json::parse(one.out), b = nlohmann::json::parse(four.out);
  EXPECT_NEAR(b["impact"]["volume_daily_usd"].get<double>(), 4 * a["impact"]["volume_daily_usd"].get<double>(),
              1e-6 * b["impact"]["volume_daily_usd"].get<double>());
  const auto text = run_cli("cascade " + run_dir().string() + " --shock -1% --out " + (dir_ / "cascade").string() +
                            " --market " + market().string() + " --volume-scale 4");
  EXPECT_TRUE(has(text.out, "its traded volume x 4 (--volume-scale")) << text.out;
  EXPECT_EQ(run_cli("cascade " + run_dir().string() + " --shock -1% --volume-scale 4 --daily-volume 1e9").exit_code, 2);
}

}  // namespace
