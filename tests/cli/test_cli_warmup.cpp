// The warm-up (issue 27 item 5): candles before the first open-interest value open the book by
// volume, so its first columns hold a sliver of the open interest. By default the map is drawn
// and reviewed from where the open interest seeds the book; --show-warmup draws the warm-up
// too, shaded in heatmap.png and said in review.md.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class CliWarmup : public ::testing::Test {
 protected:
  // 600 one-minute candles; open interest from the 201st on.
  static void SetUpTestSuite() {
    dir_ = liqmap::testing::scratch_dir() / "warmup";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const fs::path synth = dir_ / "synth.csv";
    ASSERT_EQ(run_cli("synth --steps 600 --out " + synth.string()).exit_code, 0);
    std::istringstream in(slurp(synth));
    std::ofstream candles(dir_ / "candles.csv"), oi(dir_ / "oi.csv");
    candles << "ts,open,high,low,close,volume\n";
    oi << "ts,oi\n";
    std::string line;
    std::getline(in, line);
    for (int row = 0; std::getline(in, line); ++row) {
      const auto last = line.rfind(',');
      candles << line.substr(0, last) << "\n";
      if (row == 0) first_ts_ = std::stoll(line.substr(0, line.find(',')));
      if (row >= 200) oi << line.substr(0, line.find(',')) << "," << line.substr(last + 1) << "\n";
    }
  }
  static std::string compute(const std::string& name, const std::string& options) {
    return "compute --market " + (dir_ / "candles.csv").string() + " --oi " + (dir_ / "oi.csv").string() +
           " --bins 128 --samples 4 --outputs npy,review --out " + (dir_ / name).string() + " " + options;
  }
  static nlohmann::json axes(const std::string& name) { return nlohmann::json::parse(slurp(dir_ / name / "axes.json")); }
  static fs::path dir_;
  static std::int64_t first_ts_;
};
fs::path CliWarmup::dir_;
std::int64_t CliWarmup::first_ts_ = 0;

TEST_F(CliWarmup, TheMapStartsWhereTheOpenInterestSeedsTheBook) {
  const auto run = run_cli(compute("default", ""));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(has(run.err, "where the open interest seeds the book: the ")) << run.err;
  EXPECT_TRUE(has(run.err, "(--show-warmup draws them, shaded)")) << run.err;
  const nlohmann::json a = axes("default");
  const auto& ts = a["column_ts"];
  ASSERT_GT(ts.size(), 300u);
  EXPECT_LT(ts.size(), 420u);  // about the 400 bars with open interest, not 600
  EXPECT_GE(ts.front().get<std::int64_t>(), first_ts_ + 199 * 60000);
  // The first column drawn holds the open interest, not the warm-up's ramp.
  EXPECT_GT(a["coverage"]["covered_share"].front().get<double>(), 0.5);
  EXPECT_FALSE(has(slurp(dir_ / "default" / "review.md"), "Warm-up shown"));
}

TEST_F(CliWarmup, ShowWarmupDrawsItAndSaysSo) {
  const auto run = run_cli(compute("shown", "--show-warmup"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(has(run.err, "where the open interest seeds the book")) << run.err;
  const nlohmann::json a = axes("shown");
  EXPECT_EQ(a["column_ts"].size(), 600u);
  EXPECT_EQ(a["column_ts"].front().get<std::int64_t>(), first_ts_);
  EXPECT_LT(a["coverage"]["covered_share"].front().get<double>(), 0.5);  // the ramp the default leaves out
  EXPECT_TRUE(has(slurp(dir_ / "shown" / "review.md"), "**Warm-up shown:** the first ")) << slurp(dir_ / "shown" / "review.md");
}

}  // namespace
