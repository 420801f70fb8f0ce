// The CLI end to end: demo writes every file of MODEL.md section 9 with the configured shape;
// bad input fails with the file, line and rule, exit code 3 and no files.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;

using liqmap::testing::CliRun;

// The CLI's stdout and stderr together, for messages that may go to either.
CliRun run_cli(const std::string& args) {
  CliRun run = liqmap::testing::run_cli(args);
  run.out += run.err;
  return run;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = liqmap::testing::scratch_dir() / name;  // removed when the test process ends
  fs::remove_all(dir);
  fs::create_directories(dir.parent_path());
  return dir;
}

// The shape in a .npy header, e.g. "(64, 500)".
std::string npy_shape(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string header(128, '\0');
  in.read(header.data(), 128);
  EXPECT_EQ(header.substr(1, 5), "NUMPY");
  EXPECT_NE(header.find("'descr': '<f4'"), std::string::npos);
  const auto start = header.find("'shape': (") + 9;
  return header.substr(start, header.find(')', start) - start + 1);
}

TEST(Cli, DemoWritesEveryFileWithTheConfiguredShape) {
  const fs::path out = fresh_dir("demo");
  const fs::path config = out.parent_path() / "demo.json";
  std::ofstream(config) << R"({"grid": {"price_bins": 64}, "positions": {"samples_per_step": 8}})";
  const CliRun run = run_cli("demo --steps 500 --out " + out.string() + " --config " + config.string());
  ASSERT_EQ(run.exit_code, 0) << run.out;
  for (const char* name : {"heatmap.npy", "long.npy", "short.npy", "axes.json", "liquidations.csv"})
    EXPECT_TRUE(fs::exists(out / name)) << name;
  EXPECT_EQ(npy_shape(out / "heatmap.npy"), "(64, 500)");
  EXPECT_EQ(fs::file_size(out / "heatmap.npy"), fs::file_size(out / "long.npy"));
  EXPECT_EQ(fs::file_size(out / "heatmap.npy") % 64, (64u * 500u * 4u) % 64);
  for (const auto& entry : fs::directory_iterator(out))
    EXPECT_EQ(entry.path().filename().string().find(".liqmap-staging"), std::string::npos) << "staging left behind";

  const auto axes = nlohmann::json::parse(std::ifstream(out / "axes.json"));
  EXPECT_EQ(axes["price_edges"].size(), 65u);
  EXPECT_EQ(axes["column_ts"].size(), 500u);
  EXPECT_EQ(axes["config"]["grid"]["price_bins"], 64);
  EXPECT_GT(axes["stats"]["positions_drawn"].get<double>(), 0);
  std::ifstream csv(out / "liquidations.csv");
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "ts,long_usd,short_usd");
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  EXPECT_EQ(rows, 500);
  EXPECT_NE(run.out.find("positions drawn"), std::string::npos) << run.out;
}

TEST(Cli, BadMarketRowFailsWithFileLineAndRuleAndWritesNothing) {
  const fs::path out = fresh_dir("bad");
  const fs::path csv = out.parent_path() / "bad.csv";
  std::ofstream(csv) << "ts,open,high,low,close,volume\n"
                        "1759708801000,10,12,9,11,5\n"
                        "1759708802000,11,10.5,10,12,5\n";  // high < close
  const CliRun run = run_cli("compute --market " + csv.string() + " --out " + out.string());
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_NE(run.out.find("bad.csv:3"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("high"), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << "a failed run left files";
}

TEST(Cli, FailedRunLeavesAnExistingOutputFolderUntouched) {
  const fs::path out = fresh_dir("keep");
  fs::create_directories(out);
  std::ofstream(out / "heatmap.npy") << "earlier run";
  const fs::path csv = out.parent_path() / "nan.csv";
  std::ofstream(csv) << "ts,open,high,low,close,volume\n1759708801000,10,12,9,nan,5\n";
  const CliRun run = run_cli("compute --market " + csv.string() + " --out " + out.string());
  EXPECT_EQ(run.exit_code, 3) << run.out;
  std::ifstream kept(out / "heatmap.npy");
  std::string text;
  std::getline(kept, text);
  EXPECT_EQ(text, "earlier run");
  EXPECT_EQ(std::distance(fs::directory_iterator(out), fs::directory_iterator{}), 1);
}

TEST(Cli, BadConfigIsAConfigErrorNamingTheKey) {
  const fs::path out = fresh_dir("badcfg");
  const fs::path config = out.parent_path() / "bad.json";
  std::ofstream(config) << R"({"grid": {"price_bins": -3}})";
  const CliRun run = run_cli("demo --steps 100 --out " + out.string() + " --config " + config.string());
  EXPECT_EQ(run.exit_code, 3) << run.out;
  EXPECT_NE(run.out.find("grid.price_bins"), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(out));
}

TEST(Cli, CudaBackendWithoutADeviceFailsClearly) {
  const fs::path out = fresh_dir("cuda");
  const CliRun run = run_cli("demo --steps 100 --backend cuda --out " + out.string());
  if (run.exit_code == 0) GTEST_SKIP() << "a CUDA device is present";
  EXPECT_EQ(run.exit_code, 5) << run.out;
  EXPECT_NE(run.out.find("cuda"), std::string::npos) << run.out;
  EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out));
}

}  // namespace
