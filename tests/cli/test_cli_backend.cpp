// The command line's side of the backend choice: `demo --backend cuda` without a device fails
// with the device exit code and the reason; `demo` (auto) falls back and says so; `bench` is
// quick on a small job and lists a backend it cannot run as skipped.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/backend.hpp"

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code;
  std::string output;
};

CliRun run_cli(const std::string& args) {
  const fs::path log = fs::temp_directory_path() / ("liqmap-cli-backend-" + std::to_string(::getpid()) + ".log");
  const int status = std::system((std::string(LIQMAP_CLI) + " " + args + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  fs::remove(log);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

class CliWithoutDevice : public ::testing::Test {
 protected:
  void SetUp() override {
    if (liqmap::detail::find_backend("cuda").usable(reason_)) GTEST_SKIP() << "a CUDA device is usable: " << reason_;
    out_ = fs::temp_directory_path() / ("liqmap-cli-backend-" + std::to_string(::getpid()));
  }
  void TearDown() override { fs::remove_all(out_); }
  std::string reason_;
  fs::path out_;
};

TEST_F(CliWithoutDevice, DemoOnCudaFailsWithTheDeviceExitCodeAndTheReason) {
  const CliRun run = run_cli("demo --backend cuda --steps 200 --out " + out_.string());
  EXPECT_EQ(run.exit_code, 5) << run.output;
  EXPECT_NE(run.output.find("error (device)"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find(reason_), std::string::npos) << run.output;
  EXPECT_FALSE(fs::exists(out_ / "heatmap.npy"));
}

TEST_F(CliWithoutDevice, DemoOnAutoFallsBackToTheCpuAndSaysWhy) {
  const CliRun run = run_cli("demo --steps 200 --out " + out_.string());
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("cpu (auto: " + reason_), std::string::npos) << run.output;
}

TEST(CliBench, SmallJobPrintsATableForEachBackend) {
  const CliRun run = run_cli("bench --positions 2e4 --bins 64 --steps 600 --backends cpu,omp,cuda");
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("positions/s"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("\ncpu "), std::string::npos) << run.output;
  std::string reason;
  if (!liqmap::detail::find_backend("cuda").usable(reason)) {
    EXPECT_NE(run.output.find("cuda        skipped: "), std::string::npos) << run.output;
  }
}

}  // namespace
