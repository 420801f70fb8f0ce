// `liqmap serve` as a user starts it: refusals before anything binds (exit 2), and a server on
// port 0 that prints its address, answers, and stops cleanly on SIGTERM.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <chrono>
#include <regex>
#include <thread>

#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "serve_fixture.hpp"

namespace liqmap::serve {
namespace {

using liqmap::testing::run_cli;
using liqmap::testing::slurp;

TEST(CliServe, RefusalsComeBeforeAnythingBinds) {
  test::LiveState state("cli_refusals");
  const std::string dir = state.dir.string();
  auto run = run_cli("serve --state " + dir + " --host 0.0.0.0 --port 0");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("is not a loopback address"), std::string::npos) << run.err;
  run = run_cli("serve --state " + dir + " --port 0 --alert 'within 1.5 of a cluster'");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("'1.5' is not a distance in percent"), std::string::npos) << run.err;
  run = run_cli("serve --state " + dir + " --port 0 --webhook http://10.0.0.1:9000/x");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("not on the loopback"), std::string::npos) << run.err;
  run = run_cli("serve --state " + (state.dir / "missing").string() + " --port 0");
  EXPECT_EQ(run.exit_code, 4) << run.err;
  EXPECT_NE(run.err.find("is not a folder"), std::string::npos) << run.err;
}

TEST(CliServe, ServesOnAFreePortAndStopsCleanlyOnSigterm) {
  test::LiveState state("cli_run");
  const auto out = state.dir / "serve.out";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const std::string state_dir = state.dir.string();
    std::freopen(out.c_str(), "w", stdout);
    execl(LIQMAP_CLI, LIQMAP_CLI, "serve", "--state", state_dir.c_str(), "--port", "0", static_cast<char*>(nullptr));
    _exit(127);
  }
  int port = 0;
  const std::regex address(R"(serving http://127\.0\.0\.1:(\d+)/)");
  for (int i = 0; i < 600 && port == 0; ++i) {
    std::smatch m;
    const std::string text = slurp(out);
    if (std::regex_search(text, m, address)) port = std::stoi(m[1]);
    else std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GT(port, 0) << slurp(out);
  httplib::Client client("127.0.0.1", port);
  const auto health = client.Get("/api/health");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("\"writable\":false"), std::string::npos) << health->body;
  kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(slurp(out).find("stopped"), std::string::npos) << slurp(out);
  EXPECT_FALSE(client.Get("/api/health")) << "the port is closed";
}

// serve --feed file:PATH keeps a live state current: candles written to the file are appended
// through the state's own model, and the served run follows.
TEST(CliServe, AFileFeedKeepsALiveStateCurrent) {
  test::LiveState base("cli_feed");
  const auto market = base.dir / "btcusdt-1m.csv", feed = base.dir / "feed.csv", out = base.dir / "feed.out";
  std::ofstream(market) << test::market_rows(0, test::kBaseSteps);
  const std::string state_dir = (base.dir / "live").string();
  auto made = run_cli("compute --market " + market.string() + " --out " + (base.dir / "run").string() + " --state " +
                      state_dir + " --bins 100 --outputs npy --threads 2 -q");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string rows = test::market_rows(test::kBaseSteps, test::kBaseSteps + test::kAddedSteps);
  std::ofstream(feed) << rows.substr(0, rows.find('\n') + 1);  // the header; the candles come later
  const std::string spec = "file:" + feed.string();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen(out.c_str(), "w", stdout);
    execl(LIQMAP_CLI, LIQMAP_CLI, "serve", "--state", state_dir.c_str(), "--port", "0", "--feed", spec.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  std::ofstream(feed, std::ios::app) << rows.substr(rows.find('\n') + 1);
  const auto committed = [&] {
    return nlohmann::json::parse(slurp(std::filesystem::path(state_dir) / "state.json"))["rows"].get<std::size_t>();
  };
  for (int i = 0; i < 600 && committed() < test::kBaseSteps + test::kAddedSteps; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(committed(), test::kBaseSteps + test::kAddedSteps) << slurp(out);
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << slurp(out);
}

}  // namespace
}  // namespace liqmap::serve
