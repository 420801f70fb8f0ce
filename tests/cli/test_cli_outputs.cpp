// The command line's outputs: --out checked before the run, --outputs and --grid-type, render
// --out keeping the run's own files, clear messages for a folder that is not a run, numbers a
// trader can quote in the summary.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

fs::path fresh(const std::string& name) {
  const fs::path dir = liqmap::testing::scratch_dir() / ("outputs-" + name);
  fs::remove_all(dir);
  return dir;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(CliOutputs, AnUnusableOutIsRefusedBeforeTheComputation) {
  // A run of minutes if it started; the bad --out must stop it first.
  const auto run = run_cli("demo --steps 5000000 --out /proc/version/map");
  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_TRUE(has(run.err, "/proc/version")) << run.err;
  EXPECT_EQ(run.out, "");
}

TEST(CliOutputs, AFolderWithSubFoldersIsRefusedAndKept) {
  const fs::path out = fresh("subfolder");
  fs::create_directories(out / "keep");
  const auto run = run_cli("demo --steps 200 --bins 64 --samples 4 --out " + out.string());
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_TRUE(has(run.err, "sub-folder 'keep'")) << run.err;
  EXPECT_TRUE(fs::exists(out / "keep"));
}

TEST(CliOutputs, OutputsChoosesTheFilesAndALaterRunNeverMixesInOldOnes) {
  const fs::path out = fresh("choice");
  ASSERT_EQ(run_cli("demo --steps 300 --bins 64 --samples 4 --out " + out.string()).exit_code, 0);
  std::ofstream(out / "my-notes.txt") << "mine";
  const auto run = run_cli("demo --steps 300 --bins 64 --samples 4 --outputs clusters,npy --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* name : {"clusters.json", "tracks.csv", "heatmap.npy", "long.npy", "short.npy", "axes.json",
                           "liquidations.csv", "prices.csv", "my-notes.txt"})
    EXPECT_TRUE(fs::exists(out / name)) << name;
  EXPECT_FALSE(fs::exists(out / "heatmap.png"));  // the first run's picture is not left beside the new grids
  EXPECT_FALSE(fs::exists(out / "review.md"));
  const auto bad = run_cli("demo --steps 300 --outputs png,pdf --out " + out.string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(has(bad.err, "unknown output 'pdf'")) << bad.err;
}

TEST(CliOutputs, Float16GridsAreHalfTheSizeAndRenderReadsThem) {
  const fs::path single = fresh("f32"), half = fresh("f16");
  const std::string job = "demo --steps 300 --bins 64 --samples 4 --outputs npy,review --out ";
  ASSERT_EQ(run_cli(job + single.string()).exit_code, 0);
  ASSERT_EQ(run_cli(job + half.string() + " --grid-type float16").exit_code, 0);
  const auto header = 128u;  // both headers are padded to 128 bytes for this shape
  EXPECT_EQ(fs::file_size(half / "heatmap.npy") - header, (fs::file_size(single / "heatmap.npy") - header) / 2);
  EXPECT_TRUE(has(slurp(half / "heatmap.npy"), "'<f2'"));
  const auto render = run_cli("render " + half.string() + " --out " + fresh("f16-render").string());
  EXPECT_EQ(render.exit_code, 0) << render.err;
}

TEST(CliOutputs, RenderOutKeepsTheRunsOwnReviewAndPicture) {
  const fs::path run_dir = fresh("render-run"), other = fresh("render-other");
  ASSERT_EQ(run_cli("demo --steps 600 --bins 64 --samples 4 --out " + run_dir.string()).exit_code, 0);
  const std::string review = slurp(run_dir / "review.md"), clusters = slurp(run_dir / "clusters.json");
  const auto run = run_cli("render " + run_dir.string() + " --at 2026-01-01T05:00 --out " + other.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(slurp(run_dir / "review.md"), review);
  EXPECT_EQ(slurp(run_dir / "clusters.json"), clusters);
  EXPECT_TRUE(fs::exists(other / "review.md"));
  EXPECT_FALSE(fs::exists(other / "long.npy"));
  EXPECT_NE(slurp(other / "clusters.json"), clusters);
  EXPECT_TRUE(has(run.out, "clusters at 2026-01-01 05:00 UTC")) << run.out;
  // In place, the run's grids and candles stay beside the redrawn files.
  ASSERT_EQ(run_cli("render " + run_dir.string() + " --at 2026-01-01T04:00").exit_code, 0);
  for (const char* name : {"long.npy", "short.npy", "heatmap.npy", "prices.csv", "axes.json", "liquidations.csv"})
    EXPECT_TRUE(fs::exists(run_dir / name)) << name;
  EXPECT_NE(slurp(run_dir / "clusters.json"), clusters);
  // --out naming the run's own folder (by another path) is a render in place, not a new folder.
  ASSERT_EQ(run_cli("render " + run_dir.string() + " --out " + (run_dir / ".." / run_dir.filename()).string()).exit_code, 0);
  for (const char* name : {"long.npy", "short.npy", "prices.csv", "axes.json"}) EXPECT_TRUE(fs::exists(run_dir / name)) << name;
}

TEST(CliOutputs, RenderSaysWhyAFolderIsNotARun) {
  const fs::path empty = fresh("not-a-run");
  fs::create_directories(empty);
  const auto run = run_cli("render " + empty.string());
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_TRUE(has(run.err, "is not a liqmap output folder")) << run.err;
  const fs::path no_grids = fresh("no-grids");
  ASSERT_EQ(run_cli("demo --steps 300 --bins 64 --samples 4 --outputs review --out " + no_grids.string()).exit_code, 0);
  const auto grids = run_cli("render " + no_grids.string());
  EXPECT_EQ(grids.exit_code, 4);
  EXPECT_TRUE(has(grids.err, "without its grids")) << grids.err;
  const fs::path run_dir = fresh("early");
  ASSERT_EQ(run_cli("demo --steps 300 --bins 64 --samples 4 --out " + run_dir.string()).exit_code, 0);
  const auto early = run_cli("render " + run_dir.string() + " --at 2020-01-01");
  EXPECT_EQ(early.exit_code, 2);
  EXPECT_TRUE(has(early.err, "(2020-01-01 00:00 UTC)")) << early.err;  // a time, not raw milliseconds
}

TEST(CliOutputs, SynthLeavesNoTemporaryBesideItsFile) {
  const fs::path dir = fresh("synth");
  fs::create_directories(dir);
  ASSERT_EQ(run_cli("synth --steps 50 --out " + (dir / "m.csv").string()).exit_code, 0);
  ASSERT_EQ(run_cli("synth --steps 60 --out " + (dir / "m.csv").string()).exit_code, 0);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  const std::string csv = slurp(dir / "m.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 61);  // the second run's header and 60 bars
}

TEST(CliOutputs, TheSummaryQuotesHumanNumbersAndTheBinWidth) {
  const auto run = run_cli("demo --steps 300 --bins 100 --price-min 40000 --price-max 90000 --samples 4 --out " +
                           fresh("summary").string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(has(run.out, "40,000 .. 90,000, bins $500.00 wide")) << run.out;
  EXPECT_FALSE(has(run.out, "e+")) << run.out;
  const auto json = run_cli("demo --steps 300 --bins 100 --price-min 40000 --price-max 90000 --samples 4 --json --out " +
                            fresh("summary-json").string());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out).at("bin_width"), "$500.00");
}

TEST(CliOutputs, MessagesQuoteNumbersAndDurationsAsPeopleWriteThem) {
  // Hourly bars with one missing: the gap is "2 h", not "2.00000 h" or 7200000 ms.
  std::string csv = "timestamp,open,high,low,close,volume\n";
  for (int i = 0; i < 24; ++i)
    if (i != 10)
      csv += std::to_string(1759708800000 + i * 3600000LL) + ",90771.78,90800.5,90700.25,90771.78,10\n";
  const auto gap = run_cli("compute --market " + liqmap::testing::write_file("outputs-gap.csv", csv) +
                           " --bins 64 --samples 4 --out " + fresh("gap").string());
  ASSERT_EQ(gap.exit_code, 0) << gap.err;
  EXPECT_TRUE(has(gap.err, "(longest: 2 h before")) << gap.err;
  // A bad row echoes its values as written, not as 17 digits.
  const auto bad = run_cli("compute --market " +
                           liqmap::testing::write_file("outputs-bad.csv", csv + "1759800000000,90771.78,90700.1,90771.78,90750,1\n") +
                           " --bins 64 --samples 4 --out " + fresh("bad").string());
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_TRUE(has(bad.err, "must be >= low (90771.78)")) << bad.err;
}

}  // namespace
