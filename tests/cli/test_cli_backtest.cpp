// `liqmap backtest` and `liqmap cascade` from the command line: files written into the run
// folder (review.md gains a section), refusals with exit codes.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

// Width and height from a PNG's IHDR chunk; {0, 0} when the file is not a PNG.
std::pair<unsigned, unsigned> png_size(const fs::path& path) {
  const std::string bytes = slurp(path);
  if (bytes.size() < 24 || bytes.compare(1, 3, "PNG") != 0) return {0, 0};
  const auto word = [&](std::size_t at) {
    unsigned v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    return v;
  };
  return {word(16), word(20)};
}

class CliBacktest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("liqmap-cli-backtest-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_);
    const std::string csv = (*dir_ / "market.csv").string();
    ASSERT_EQ(run_cli("synth --steps 3000 --out " + csv).exit_code, 0);
    const auto run = run_cli("compute --market " + csv + " --bins 300 --samples 8 --threads 2 --backend cpu "
                             "--outputs npy,review -q --out " + (*dir_ / "run").string());
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static fs::path run_dir() { return *dir_ / "run"; }
  static fs::path* dir_;
};
fs::path* CliBacktest::dir_ = nullptr;

TEST_F(CliBacktest, WritesItsFilesAndAReviewSection) {
  const auto run = run_cli("backtest " + run_dir().string() + " --horizons 30m,2h --min-distance 0.2 --max-distance 2 --verbose --review");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("## Horizon 30m"), std::string::npos);
  for (const char* name : {"backtest.json", "backtest.md", "long.npy", "axes.json"})
    EXPECT_TRUE(fs::exists(run_dir() / name)) << name;
  const auto json = nlohmann::json::parse(slurp(run_dir() / "backtest.json"));
  EXPECT_EQ(json["horizons"].size(), 2u);
  const std::string review = slurp(run_dir() / "review.md");
  EXPECT_NE(review.find("## Backtest: do clusters act as magnets?"), std::string::npos);
  ASSERT_EQ(run_cli("backtest " + run_dir().string() + " --horizons 30m -q --review").exit_code, 0);
  const std::string again = slurp(run_dir() / "review.md");
  EXPECT_EQ(again.find("## Backtest"), again.rfind("## Backtest"));  // replaced, not appended
  if (fs::exists(run_dir() / "backtest.png")) {  // built with Cairo: as large as the other pictures (issue 27 item 8)
    EXPECT_EQ(png_size(run_dir() / "backtest.png"), std::make_pair(1600u, 900u));
  }
}

TEST_F(CliBacktest, Refusals) {
  EXPECT_EQ(run_cli("backtest " + run_dir().string() + " --horizons 4 hours").exit_code, 2);  // CLI11: extra positional
  const auto bad_unit = run_cli("backtest " + run_dir().string() + " --horizons 4x");
  EXPECT_EQ(bad_unit.exit_code, 2);
  EXPECT_NE(bad_unit.err.find("--horizons '4x'"), std::string::npos);
  const auto band = run_cli("backtest " + run_dir().string() + " --min-distance 3 --max-distance 2");
  EXPECT_EQ(band.exit_code, 2);
  EXPECT_NE(band.err.find("--min-distance"), std::string::npos);
  const auto empty = run_cli("backtest " + dir_->string());
  EXPECT_EQ(empty.exit_code, 4);  // not a run folder: io
}

TEST_F(CliBacktest, Cascade) {
  const std::string csv = (*dir_ / "market.csv").string();
  const auto run = run_cli("cascade " + run_dir().string() + " --shock -1% --market " + csv);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Prices as people write them, and where the volume came from (issue 27 item 11).
  EXPECT_TRUE(std::regex_search(run.out, std::regex("close \\d{2},\\d{3}, shock to \\d{2},\\d{3}"))) << run.out;
  EXPECT_NE(run.out.find("that file's own traded volume"), std::string::npos) << run.out;
  const auto json = nlohmann::json::parse(slurp(run_dir() / "cascade.json"));
  EXPECT_LT(json["final_price"].get<double>(), json["start_price"].get<double>());
  EXPECT_LE(json["final_price"].get<double>(), json["shocked_price"].get<double>());
  EXPECT_GT(json["impact"]["volume_daily_usd"].get<double>(), 0);
  if (fs::exists(run_dir() / "cascade.png")) {  // with axes, as large as the other pictures
    EXPECT_EQ(png_size(run_dir() / "cascade.png"), std::make_pair(1600u, 900u));
  }
  // Without volume the cascade says what it needs.
  const auto no_volume = run_cli("cascade " + run_dir().string() + " --shock -1%");
  EXPECT_EQ(no_volume.exit_code, 2);
  EXPECT_NE(no_volume.err.find("--daily-volume"), std::string::npos);
  EXPECT_EQ(run_cli("cascade " + run_dir().string() + " --shock 5x --daily-volume 1e9").exit_code, 2);
  EXPECT_EQ(run_cli("cascade " + run_dir().string() + " --shock -1% --target 10 --daily-volume 1e9").exit_code, 2);
}

}  // namespace
