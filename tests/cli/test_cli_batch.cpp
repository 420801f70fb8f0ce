// `liqmap batch`: a 12-map manifest (4 windows x 3 configs) writes what 12 separate
// `liqmap compute` runs write, a failing row is reported while the others are written, and the
// exit status says so.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("liqmap-batch-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ASSERT_EQ(run_cli("synth --steps 2400 --seed 5 --out " + (dir_ / "market.csv").string()).exit_code, 0);
    const char* configs[] = {R"({"grid": {"price_bins": 64}, "positions": {"samples_per_step": 2}})",
                             R"({"grid": {"price_bins": 96}, "positions": {"samples_per_step": 3}})",
                             R"({"grid": {"price_bins": 64, "price_scale": "log"}, "positions": {"samples_per_step": 2}})"};
    for (int c = 0; c < 3; ++c) std::ofstream(dir_ / ("config" + std::to_string(c) + ".json")) << configs[c];
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Window w of 4 over the synthetic day (2026-01-01, 2,400 minutes from 00:00).
  static std::string window_from(int w) { return "2026-01-01T0" + std::to_string(2 * w) + ":00:00Z"; }
  static std::string window_to(int w) { return "2026-01-01T" + std::to_string(10 + 3 * w) + ":00:00Z"; }

  fs::path dir_;
};

TEST_F(BatchTest, TwelveMapsMatchTwelveSeparateRuns) {
  nlohmann::json maps = nlohmann::json::array();
  for (int w = 0; w < 4; ++w)
    for (int c = 0; c < 3; ++c)
      maps.push_back({{"name", "w" + std::to_string(w) + "c" + std::to_string(c)},
                      {"config", "config" + std::to_string(c) + ".json"},
                      {"from", window_from(w)},
                      {"to", window_to(w)},
                      {"out", "batch/w" + std::to_string(w) + "c" + std::to_string(c)}});
  std::ofstream(dir_ / "maps.json") << nlohmann::json{{"defaults", {{"market", "market.csv"}, {"outputs", "npy,clusters,review"}}},
                                                      {"maps", maps}}.dump(1);
  const auto batch = run_cli("batch --jobs 2 --json " + (dir_ / "maps.json").string());
  ASSERT_EQ(batch.exit_code, 0) << batch.err;
  const auto summary = nlohmann::json::parse(batch.out);
  EXPECT_EQ(summary["ok"], 12);
  EXPECT_EQ(summary["failed"], 0);
  ASSERT_EQ(summary["maps"].size(), 12u);
  for (int w = 0; w < 4; ++w)
    for (int c = 0; c < 3; ++c) {
      const std::string name = "w" + std::to_string(w) + "c" + std::to_string(c);
      const fs::path alone = dir_ / "alone" / name;
      const auto run = run_cli("compute --quiet --outputs npy,clusters,review --market " + (dir_ / "market.csv").string() +
                               " --config " + (dir_ / ("config" + std::to_string(c) + ".json")).string() + " --from " +
                               window_from(w) + " --to " + window_to(w) + " --out " + alone.string());
      ASSERT_EQ(run.exit_code, 0) << run.err;
      for (const char* file : {"heatmap.npy", "long.npy", "short.npy", "clusters.json", "review.md", "liquidations.csv"})
        EXPECT_EQ(slurp(dir_ / "batch" / name / file), slurp(alone / file)) << name << "/" << file;
      EXPECT_EQ(summary["maps"][3 * w + c]["name"], name);
    }
}

TEST_F(BatchTest, AFailingRowIsReportedAndTheOthersAreWritten) {
  std::ofstream(dir_ / "maps.csv") << "name,market,config,from,out\n"
                                      "good,market.csv,config0.json,2026-01-01T05:00,out/good\n"
                                      "missing,absent.csv,config0.json,,out/missing\n"
                                      "late,market.csv,config0.json,2027-06-01,out/late\n"
                                      "also_good,market.csv;,config1.json,,out/also_good\n";
  const auto run = run_cli("batch " + (dir_ / "maps.csv").string());
  EXPECT_EQ(run.exit_code, 6) << run.err;
  EXPECT_TRUE(fs::exists(dir_ / "out/good/heatmap.npy"));
  EXPECT_TRUE(fs::exists(dir_ / "out/also_good/heatmap.npy"));
  EXPECT_FALSE(fs::exists(dir_ / "out/missing"));
  EXPECT_FALSE(fs::exists(dir_ / "out/late"));
  EXPECT_NE(run.err.find("maps.csv:3) failed: cannot read"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'late'"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("2 of 4 maps written, 2 failed"), std::string::npos) << run.out;
}

TEST_F(BatchTest, AManifestThatCannotBeReadStopsBeforeAnyMap) {
  std::ofstream(dir_ / "bad.json") << R"({"maps": [{"market": "market.csv", "out": "x"}], "default": {}})";
  auto run = run_cli("batch " + (dir_ / "bad.json").string());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("unknown key 'default'"), std::string::npos) << run.err;
  std::ofstream(dir_ / "bad.csv") << "market,out,window\nmarket.csv,x,1\n";
  run = run_cli("batch " + (dir_ / "bad.csv").string());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("bad.csv:1: unknown column 'window'"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(dir_ / "x"));
}

TEST_F(BatchTest, RowsSharingAnOutFolderAllFailAndTheOthersAreWritten) {
  // Both were "ok" before, the first one's files replaced by the second's.
  std::ofstream(dir_ / "maps.csv") << "name,market,config,out\n"
                                      "first,market.csv,config0.json,out/same\n"
                                      "second,market.csv,config1.json,out/./same/\n"
                                      "alone,market.csv,config0.json,out/alone\n";
  const auto run = run_cli("batch " + (dir_ / "maps.csv").string());
  EXPECT_EQ(run.exit_code, 6) << run.err;
  EXPECT_FALSE(fs::exists(dir_ / "out/same"));
  EXPECT_TRUE(fs::exists(dir_ / "out/alone/heatmap.npy"));
  EXPECT_NE(run.err.find("(" + (dir_ / "maps.csv").string() + ":2) failed: its out folder '" + (dir_ / "out/same").string() +
                         "' is also that of " + (dir_ / "maps.csv").string() + ":3; give each row a folder of its own"),
            std::string::npos) << run.err;
  EXPECT_NE(run.err.find("is also that of " + (dir_ / "maps.csv").string() + ":2; give"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("1 of 3 maps written, 2 failed"), std::string::npos) << run.out;
}

TEST_F(BatchTest, RowIntegersThatWouldWrapAndABaseDirThatIsNotTextAreRefused) {
  const nlohmann::json maps = {
      {{"name", "wrapped_bins"}, {"market", "market.csv"}, {"bins", 4294967360LL}, {"out", "w/bins"}},  // was 64 bins
      {{"name", "negative_seed"}, {"market", "market.csv"}, {"seed", -1}, {"out", "w/seed"}},          // was 2^64-1
      {{"name", "seed_as_text"}, {"market", "market.csv"}, {"seed", "18446744073709551616"}, {"out", "w/text"}},
      {{"name", "fine"}, {"market", "market.csv"}, {"bins", 64}, {"samples", 2}, {"seed", "7"}, {"out", "w/fine"}}};
  std::ofstream(dir_ / "wrap.json") << nlohmann::json{{"maps", maps}}.dump();
  const auto run = run_cli("batch " + (dir_ / "wrap.json").string());
  EXPECT_EQ(run.exit_code, 6) << run.err;
  EXPECT_NE(run.err.find("'bins' must be a whole number from -2147483648 to 2147483647, not 4294967360"),
            std::string::npos) << run.err;
  EXPECT_NE(run.err.find("'seed' must be a whole number from 0 to 18446744073709551615, not -1"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("not \"18446744073709551616\""), std::string::npos) << run.err;
  EXPECT_TRUE(fs::exists(dir_ / "w/fine/heatmap.npy"));
  for (const char* out : {"w/bins", "w/seed", "w/text"}) EXPECT_FALSE(fs::exists(dir_ / out)) << out;

  std::ofstream(dir_ / "base.json") << R"({"base_dir": 5, "maps": [{"market": "market.csv", "out": "x"}]})";
  const auto base = run_cli("batch " + (dir_ / "base.json").string());
  EXPECT_EQ(base.exit_code, 3) << base.err;  // was a raw JSON type_error
  EXPECT_NE(base.err.find("base.json: \"base_dir\" must be text (a folder), not number"), std::string::npos) << base.err;
}

}  // namespace
