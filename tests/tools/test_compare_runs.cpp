// liqmap_compare_runs (tools/compare_runs.cpp), the judge of scripts/gpu-check.sh's CUDA-vs-CPU
// runs: R bit for bit, grids within a tolerance of the column total, clear errors on bad input.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "outputs/outputs.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::Grid;

struct ToolRun {
  int exit_code;
  std::string output;
};

ToolRun run_tool(const std::string& args) {
  const fs::path log = fs::temp_directory_path() / ("liqmap-compare-runs-" + std::to_string(::getpid()) + ".log");
  const int status =
      std::system((std::string(LIQMAP_COMPARE_RUNS) + " " + args + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  fs::remove(log);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

// A 3-bin x 4-column grid whose columns total 1000 USD; R of 4 steps, one of them with no
// short round trip through 17 digits.
Grid sample_grid() {
  Grid g(3, 4);
  for (std::size_t c = 0; c < 4; ++c) {
    g.at(0, c) = 100.0 + c;
    g.at(1, c) = 600.0 - c;
    g.at(2, c) = 300.0;
  }
  return g;
}

class CompareRuns : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("liqmap-compare-runs-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    write_run(base_ / "a", sample_grid(), 0.1);
    write_run(base_ / "b", sample_grid(), 0.1);
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write_run(const fs::path& dir, const Grid& grid, double last_long) {
    fs::create_directories(dir);
    for (const char* name : {"heatmap.npy", "long.npy", "short.npy"}) liqmap::detail::write_npy((dir / name).string(), grid);
    std::ofstream csv(dir / "liquidations.csv");
    csv.precision(17);
    csv << "ts,long_usd,short_usd\n1000,0,0\n2000,12.5,3\n3000,0,1e-300\n4000," << last_long << ",7\n";
  }

  std::string dirs() const { return (base_ / "a").string() + " " + (base_ / "b").string(); }
  fs::path base_;
};

TEST_F(CompareRuns, IdenticalRunsAreTheSame) {
  const ToolRun run = run_tool(dirs());
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("bit for bit: ok"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("SAME within the tolerances"), std::string::npos) << run.output;
}

TEST_F(CompareRuns, OneBitOfRIsADifferenceNamingTheLine) {
  write_run(base_ / "b", sample_grid(), std::nextafter(0.1, 1.0));
  const ToolRun run = run_tool(dirs());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("1 of 4 steps DIFFER"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("first at line 5"), std::string::npos) << run.output;
}

TEST_F(CompareRuns, GridsAgreeWithinTheToleranceOfTheColumnTotal) {
  Grid moved = sample_grid();
  moved.at(1, 2) += 0.5;  // 5e-4 of the column's 1000 USD (float32 holds 598.5 exactly)
  write_run(base_ / "b", moved, 0.1);
  EXPECT_EQ(run_tool(dirs() + " --tolerance 1e-3").exit_code, 0);
  const ToolRun strict = run_tool(dirs() + " --tolerance 1e-4");
  EXPECT_EQ(strict.exit_code, 1) << strict.output;
  EXPECT_NE(strict.output.find("bin 1, column 2"), std::string::npos) << strict.output;
  EXPECT_NE(strict.output.find("OVER in 1 cell(s)"), std::string::npos) << strict.output;
}

TEST_F(CompareRuns, OneFloat32UlpIsRoundingAndTwoAreADifference) {
  // Two doubles within the tolerance can round to neighbouring floats in a float32 .npy.
  Grid b = sample_grid();
  const float hundred = 100.0f;
  b.at(0, 0) = double(std::nextafter(hundred, 200.0f));
  write_run(base_ / "b", b, 0.1);
  EXPECT_EQ(run_tool(dirs() + " --tolerance 0").exit_code, 0);
  b.at(0, 0) = double(std::nextafter(std::nextafter(hundred, 200.0f), 200.0f));
  write_run(base_ / "b", b, 0.1);
  EXPECT_EQ(run_tool(dirs() + " --tolerance 0").exit_code, 1);
}

TEST_F(CompareRuns, DifferentShapesAreADifference) {
  write_run(base_ / "b", Grid(4, 4), 0.1);
  const ToolRun run = run_tool(dirs());
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("DIFFERENT SHAPE: 3 x 4 against 4 x 4"), std::string::npos) << run.output;
}

TEST_F(CompareRuns, AMissingOrMalformedFileIsAnErrorNamingIt) {
  fs::remove(base_ / "b" / "short.npy");
  ToolRun run = run_tool(dirs());
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("short.npy"), std::string::npos) << run.output;

  std::ofstream(base_ / "b" / "liquidations.csv") << "ts,long_usd,short_usd\n1000,0\n";
  run = run_tool(dirs());
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("liquidations.csv:2: expected 3 fields"), std::string::npos) << run.output;
}

TEST_F(CompareRuns, AMissingFolderIsAUsageError) {
  EXPECT_EQ(run_tool((base_ / "a").string() + " " + (base_ / "none").string()).exit_code, 2);
}

}  // namespace
