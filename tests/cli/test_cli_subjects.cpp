// What a map shows, said wherever an exchange or venue name appears (issue 27 item 6): the
// market's open interest (CoinGlass's is all exchanges') drawn on Binance's brackets is not
// "Liquidation map binance". axes.json, review.md and the page carry the same words, and
// render keeps them.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string subject_of(const fs::path& run) {
  const nlohmann::json axes = nlohmann::json::parse(slurp(run / "axes.json"));
  return axes.value("subject", std::string());
}

class CliSubjects : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = liqmap::testing::scratch_dir() / "subjects";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    const auto synth = run_cli("synth --steps 300 --out " + (dir_ / "synth.csv").string());
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
  }
  static fs::path dir_;
};
fs::path CliSubjects::dir_;

TEST_F(CliSubjects, OneMarketOnOneSchedulesBracketsSaysSo) {
  const fs::path out = dir_ / "one";
  const auto run = run_cli("compute --market " + (dir_ / "synth.csv").string() +
                           " --bins 128 --samples 2 --outputs npy,review,html --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string subject = "the market's open interest on Binance's margin brackets (binance-usdm-btcusdt)";
  EXPECT_EQ(subject_of(out), subject);
  EXPECT_TRUE(has(slurp(out / "review.md"), "**What it shows:** The market's open interest on Binance's margin brackets"))
      << slurp(out / "review.md");
  EXPECT_TRUE(has(slurp(out / "heatmap.html"), "\"subject\":\"" + subject + "\""));
  // render titles its pictures the same, from axes.json.
  const fs::path redrawn = dir_ / "one-redrawn";
  const auto render = run_cli("render " + out.string() + " --out " + redrawn.string());
  ASSERT_EQ(render.exit_code, 0) << render.err;
  EXPECT_TRUE(has(slurp(redrawn / "review.md"), "**What it shows:** The market's open interest on Binance's margin"));
}

TEST_F(CliSubjects, SeveralExchangesGiveTheirShares) {
  const fs::path out = dir_ / "demo";
  const auto run = run_cli("demo --steps 300 --bins 128 --samples 2 --outputs review --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(subject_of(out),
            "the market's open interest shared out Binance 35%, Bybit 20%, OKX 20%, Hyperliquid 15%, Binance inverse 10%, "
            "each on its margin brackets");
  // The review names its span instead of "Weekly review" (issue 27 item 8): 300 one-minute bars.
  EXPECT_TRUE(has(slurp(out / "review.md"), "# Liquidation map review: 5 hours, ")) << slurp(out / "review.md");
}

// One unit per kind of figure, stated in axes.json (issue 27 item 8): the bin width every price
// profile is counted in, and what each CSV's columns hold.
TEST_F(CliSubjects, AxesJsonStatesTheUnitOfEachFile) {
  const fs::path out = dir_ / "units";
  const auto run = run_cli("compute --market " + (dir_ / "synth.csv").string() +
                           " --bins 128 --samples 2 --outputs npy --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json axes = nlohmann::json::parse(slurp(out / "axes.json"));
  const auto& edges = axes["price_edges"];
  EXPECT_NEAR(axes["units"]["bin_width"].get<double>(), edges[1].get<double>() - edges[0].get<double>(), 1e-9);
  EXPECT_TRUE(has(axes["units"]["liquidation_map.csv"].get<std::string>(), "USD per price bin of bin_width"));
  EXPECT_TRUE(has(axes["units"]["liquidations.csv"].get<std::string>(), "USD liquidated in the step"));
}

}  // namespace
