// Short windows as a trader picks them (issue 27 item 9, issue 26 item 5): --range presets and
// --from -24h counted back from the data's end, for compute and render, and a price view that
// suits the window (the clusters of a 12h map lie at the leverage tiers' distances, percents
// away, not within its own range of a fraction of a percent).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;

constexpr std::int64_t kMinute = 60000;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The JSON block heatmap.html carries.
nlohmann::json page_data(const fs::path& run) {
  const std::string page = slurp(run / "heatmap.html");
  const std::string open = "<script type=\"application/json\" id=\"liqmap-data\">";
  const auto from = page.find(open);
  if (from == std::string::npos) return {};
  const auto start = from + open.size();
  return nlohmann::json::parse(page.substr(start, page.find("</script>", start) - start));
}

class CliWindows : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = liqmap::testing::scratch_dir() / "windows";
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // 1,000 one-minute bars: 16 h 40 min, so 12h is a part of it.
    const auto synth = run_cli("synth --steps 1000 --out " + market().string());
    ASSERT_EQ(synth.exit_code, 0) << synth.err;
  }
  static fs::path market() { return dir_ / "synth.csv"; }
  static std::string compute(const std::string& name, const std::string& options, const std::string& outputs = "npy") {
    return "compute --market " + market().string() + " --bins 256 --samples 2 --outputs " + outputs + " --out " +
           (dir_ / name).string() + " " + options;
  }
  static nlohmann::json axes(const std::string& name) { return nlohmann::json::parse(slurp(dir_ / name / "axes.json")); }
  static std::int64_t last_ts() {
    static const std::int64_t ts = [] {
      const std::string text = slurp(market());
      const auto line = text.rfind('\n', text.size() - 2) + 1;
      return std::stoll(text.substr(line, text.find(',', line) - line));
    }();
    return ts;
  }
  static fs::path dir_;
};
fs::path CliWindows::dir_;

TEST_F(CliWindows, ARangePresetDrawsTheLastSpanOfTheData) {
  const auto run = run_cli(compute("range12h", "--range 12h"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto ts = axes("range12h")["column_ts"];
  ASSERT_EQ(ts.size(), 720u) << run.out;  // (end - 12 h, end]: 720 one-minute bars
  EXPECT_EQ(ts.back().get<std::int64_t>(), last_ts());
  EXPECT_EQ(ts.front().get<std::int64_t>(), last_ts() - 719 * kMinute);
  EXPECT_TRUE(has(run.err, "(720 bars), the last 12 h up to the data's last bar")) << run.err;
}

TEST_F(CliWindows, FromMinusASpanCountsBackFromTheDataEnd) {
  const auto run = run_cli(compute("from2h", "--from -2h"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto ts = axes("from2h")["column_ts"];
  ASSERT_EQ(ts.size(), 120u);
  EXPECT_EQ(ts.front().get<std::int64_t>(), last_ts() - 119 * kMinute);
  // With --to the range counts back from --to.
  const std::int64_t to = last_ts() - 300 * kMinute;
  const auto upto = run_cli(compute("range12h-to", "--range 12h --to " + std::to_string(to)));
  ASSERT_EQ(upto.exit_code, 0) << upto.err;
  const auto t = axes("range12h-to")["column_ts"];
  EXPECT_EQ(t.back().get<std::int64_t>(), to);
  EXPECT_EQ(t.size(), 1000u - 300u) << "the data holds fewer than 12 h before --to: all of it";
}

TEST_F(CliWindows, AnUnknownPresetOrASecondStartIsRefused) {
  const auto bad = run_cli(compute("bad", "--range 2h"));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(has(bad.err, "--range '2h': expected one of 12h|24h|3d|1w|1m|3m|6m|1y")) << bad.err;
  const auto both = run_cli(compute("both", "--range 12h --from -2h"));
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_TRUE(has(both.err, "excludes")) << both.err;
  const auto unit = run_cli(compute("unit", "--from -2x"));
  EXPECT_EQ(unit.exit_code, 2);
  EXPECT_TRUE(has(unit.err, "-N followed by min, h, d, w, m (30 days) or y (365 days)")) << unit.err;
  EXPECT_FALSE(fs::exists(dir_ / "bad") || fs::exists(dir_ / "both") || fs::exists(dir_ / "unit"));
}

// The picture and the page open on the same view, at least +-4% of the last close for 12 h
// (the window's own range, widened by 15%, is about +-0.3% on this market).
TEST_F(CliWindows, AShortWindowsPriceViewReachesItsClusters) {
  const auto run = run_cli(compute("view", "--range 12h", "html"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json data = page_data(dir_ / "view");
  ASSERT_TRUE(data.contains("view")) << "heatmap.html names no view";
  const double close = data["close"].back().get<double>();
  EXPECT_LE(data["view"]["price_low"].get<double>(), close * 0.96 + 1e-6);
  EXPECT_GE(data["view"]["price_high"].get<double>(), close * 1.04 - 1e-6);
}

// Messages (issue 27 item 11): a window whose start is after its end says so, instead of "no
// bar lies in the window"; render takes --quiet like every other command.
TEST_F(CliWindows, FromAfterToIsSaidAsSuch) {
  const auto run = run_cli(compute("backwards", "--from " + std::to_string(last_ts()) + " --to " +
                                                    std::to_string(last_ts() - 60 * kMinute)));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(has(run.err, " is after --to ")) << run.err;
  EXPECT_FALSE(has(run.err, "no bar lies")) << run.err;
}

TEST_F(CliWindows, RenderTakesTheSameWindows) {
  const auto run = run_cli(compute("full", "", "npy,html"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path redrawn = dir_ / "redrawn";
  const auto render = run_cli("render " + (dir_ / "full").string() + " --from -2h --out " + redrawn.string());
  ASSERT_EQ(render.exit_code, 0) << render.err;
  const nlohmann::json data = page_data(redrawn);
  ASSERT_TRUE(data.contains("view"));
  EXPECT_EQ(data["view"]["from_ts"].get<std::int64_t>(), last_ts() - 119 * kMinute);
  EXPECT_EQ(data["view"]["to_ts"].get<std::int64_t>(), last_ts());
  const auto preset = run_cli("render " + (dir_ / "full").string() + " --range 12h --quiet --out " + redrawn.string());
  ASSERT_EQ(preset.exit_code, 0) << preset.err;
  EXPECT_EQ(preset.out, "");  // --quiet
  EXPECT_EQ(page_data(redrawn)["view"]["from_ts"].get<std::int64_t>(), last_ts() - 719 * kMinute);
}

}  // namespace
