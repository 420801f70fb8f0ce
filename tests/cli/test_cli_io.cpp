// The command line with real and malformed data: the acceptance run on the shared BTC files,
// every malformed input failing with its location and no output, options, exit codes.
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
using liqmap::testing::write_file;

fs::path out_dir(const std::string& name) {
  const fs::path dir = liqmap::testing::scratch_dir() / ("out-" + name);
  fs::remove_all(dir);
  return dir;
}

std::vector<std::string> csv_rows(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> rows;
  for (std::string line; std::getline(in, line);) rows.push_back(line);
  return rows;
}

// A small valid market with volume: `bars` hourly bars from 2025-10-06T00:00Z.
std::string small_market(int bars) {
  std::string csv = "timestamp,open,high,low,close,volume\n";
  for (int i = 0; i < bars; ++i) {
    const double price = 100 + (i % 7) - (i % 3);
    csv += std::to_string(1759708800000 + i * 3600000LL) + "," + std::to_string(price) + "," + std::to_string(price + 2) +
           "," + std::to_string(price - 2) + "," + std::to_string(price + 1) + ",10\n";
  }
  return csv;
}

const char* kFast = " --bins 64 --samples 4";

TEST(CliRealData, FourHourCandlesWithCoinglassOpenInterestMapOctoberToApril) {
  const fs::path dir = liqmap::testing::shared_btc_dir();
  if (!fs::exists(dir / "btcusdt_4h_6year.csv") || !fs::exists(dir / "coinglass_oi_4h.csv"))
    GTEST_SKIP() << "no shared BTC data at " << dir << " (../shared beside the repository)";
  const fs::path out = out_dir("real");
  const auto run = run_cli("compute --market " + (dir / "btcusdt_4h_6year.csv").string() + " --oi " +
                           (dir / "coinglass_oi_4h.csv").string() + " --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // 30 days of warm-up candles before the first OI value (docs/model.md section 3)
  EXPECT_NE(run.err.find("kept 180 candle(s) from 2025-09-06T12:00:00Z"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("left out 11883 candle(s)"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("USD (quote)"), std::string::npos) << run.err;
  // Drawn from where the open interest seeds the book (issue 27 item 5): the warm-up is not drawn.
  EXPECT_NE(run.err.find("drawing from 2025-10-06T12:00:00Z, where the open interest seeds the book"), std::string::npos)
      << run.err;
  EXPECT_NE(run.out.find("2025-10-06T12:00:00Z .. 2026-04-05T00:00:00Z"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("of the latest open interest"), std::string::npos) << run.out;

  const auto rows = csv_rows(out / "liquidations.csv");
  ASSERT_EQ(rows.size(), 1 + 1084u);
  EXPECT_EQ(rows[0], "ts,long_usd,short_usd");
  EXPECT_EQ(rows[1].substr(0, 14), "1759752000000,");  // 2025-10-06T12:00:00Z in epoch ms
  std::int64_t previous = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::int64_t ts = std::stoll(rows[i].substr(0, rows[i].find(',')));
    if (i > 1) {
      ASSERT_EQ(ts - previous, 4 * 3600000) << rows[i];
    }
    previous = ts;
  }
  const auto axes = nlohmann::json::parse(std::ifstream(out / "axes.json"));
  EXPECT_EQ(axes["column_ts"].size(), 1084u);
  EXPECT_EQ(axes["config"]["flow"]["oi_unit"], "quote");
  EXPECT_EQ(axes["stats"]["flow_source"], "oi");
  // The map holds at least 95% of the OI at every column drawn, less what is out of range.
  const auto& coverage = axes["coverage"];
  for (std::size_t c = 0; c < axes["column_ts"].size(); ++c)
    ASSERT_GE(coverage["covered_share"][c].get<double>() + coverage["out_of_range_share"][c].get<double>(), 0.95)
        << "column " << c;
  EXPECT_GT(axes["stats"]["liquidated_usd"].get<double>(), 0);
}

// Every malformed input through the command line: exit code 3, the message names file, line,
// column, value and rule, and the output folder is not created.
struct BadInput {
  const char* name;
  std::string text;
  std::vector<std::string> expected;
};

class CliMalformedInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(CliMalformedInput, FailsWithLocationAndWritesNothing) {
  const BadInput& c = GetParam();
  const auto market = write_file(std::string("cli-") + c.name + ".csv", c.text);
  const fs::path out = out_dir(c.name);
  const auto run = run_cli("compute --market " + market + " --out " + out.string());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  for (const std::string& part : c.expected) EXPECT_NE(run.err.find(part), std::string::npos) << part << " not in: " << run.err;
  EXPECT_FALSE(fs::exists(out)) << "a failed run created " << out;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, CliMalformedInput,
    ::testing::Values(
        BadInput{"empty", "", {"cli-empty.csv:1", "empty"}},
        BadInput{"headerless", "1759708801000,10,12,9,11\n", {"cli-headerless.csv:1", "no header row"}},
        BadInput{"missing_column", "ts,open,high,close\n1759708801000,10,12,11\n", {"cli-missing_column.csv:1", "'low'"}},
        BadInput{"non_numeric", "ts,open,high,low,close\n1759708801000,10,12,x9,11\n",
                 {"cli-non_numeric.csv:2", "column 'low'", "value 'x9'", "must be a number"}},
        BadInput{"nan", "ts,open,high,low,close\n1759708801000,10,12,9,NaN\n", {"cli-nan.csv:2", "column 'close'", "'NaN'", "finite"}},
        BadInput{"infinity", "ts,open,high,low,close\n1759708801000,10,12,9,11\n1759708802000,10,-inf,9,11\n",
                 {"cli-infinity.csv:3", "column 'high'", "'-inf'", "finite"}},
        BadInput{"non_increasing", "ts,open,high,low,close\n1759708802000,10,12,9,11\n1759708802000,10,12,9,11.5\n",
                 {"cli-non_increasing.csv:3", "column 'ts'", "conflicting duplicate"}},
        BadInput{"ts_in_1970", "ts,open,high,low,close\n1000,10,12,9,11\n2000,10,12,9,11\n",
                 {"cli-ts_in_1970.csv:2", "column 'ts'", "'1000'", "1990 to 2200"}},
        BadInput{"high_below_low", "ts,open,high,low,close\n1759708801000,10,8,9,10\n",
                 {"cli-high_below_low.csv:2", "column 'high'", "'8'", "must be >= low"}},
        BadInput{"negative_volume", "ts,open,high,low,close,volume\n1759708801000,10,12,9,11,-3\n",
                 {"cli-negative_volume.csv:2", "column 'volume'", "'-3'", ">= 0"}},
        BadInput{"negative_oi", "ts,open,high,low,close,oi\n1759708801000,10,12,9,11,-7\n",
                 {"cli-negative_oi.csv:2", "column 'oi'", "'-7'", ">= 0"}}),
    [](const ::testing::TestParamInfo<BadInput>& param) { return std::string(param.param.name); });

TEST(CliOutput, AFailingRunNeverTouchesAnExistingOutputFolder) {
  const fs::path out = out_dir("existing");
  const auto good = write_file("cli-good.csv", small_market(48));
  ASSERT_EQ(run_cli("compute --market " + good + kFast + " --out " + out.string()).exit_code, 0);
  const std::string before = liqmap::testing::slurp(out / "liquidations.csv");
  const auto names = [&] {
    std::vector<std::string> list;
    for (const auto& entry : fs::directory_iterator(out)) list.push_back(entry.path().filename().string());
    std::sort(list.begin(), list.end());
    return list;
  };
  const auto files_before = names();

  const auto bad = write_file("cli-bad-late.csv", small_market(48) + "1759900000000,10,12,9,nan,1\n");
  const auto run = run_cli("compute --market " + bad + kFast + " --out " + out.string());
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(names(), files_before);
  EXPECT_EQ(liqmap::testing::slurp(out / "liquidations.csv"), before);
}

TEST(CliOutput, DropBadRowsRunsAndReportsWhatWasDropped) {
  const auto market = write_file("cli-drop.csv", small_market(24) + "1759900000000,10,8,9,10,1\n");
  const fs::path out = out_dir("drop");
  const auto run = run_cli("compute --drop-bad-rows --market " + market + kFast + " --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("dropped 1 row(s) that break the rule 'must be >= low (9)'"), std::string::npos) << run.err;
  EXPECT_EQ(csv_rows(out / "liquidations.csv").size(), 1 + 24u);
}

TEST(CliOptions, FromToDrawsTheWindowAndOptionsOverrideTheConfig) {
  const auto market = write_file("cli-window.csv", small_market(48));
  const auto config = write_file("cli-window.json", R"({"grid": {"price_bins": 128}, "positions": {"samples_per_step": 4}})");
  const fs::path out = out_dir("window");
  const auto run = run_cli("compute --market " + market + " --config " + config + " --bins 32 --from 2025-10-06T10:00:00Z" +
                           " --to 1759777200000 --json --out " + out.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto summary = nlohmann::json::parse(run.out);
  EXPECT_TRUE(summary["ok"].get<bool>());
  EXPECT_EQ(summary["first"], "2025-10-06T10:00:00Z");
  EXPECT_EQ(summary["last"], "2025-10-06T19:00:00Z");
  EXPECT_EQ(summary["columns"], 10);
  EXPECT_EQ(summary["price_bins"], 32);
  EXPECT_GT(summary["stats"]["positions_drawn"].get<double>(), 0);
  const auto rows = csv_rows(out / "liquidations.csv");
  ASSERT_EQ(rows.size(), 1 + 10u);
  EXPECT_EQ(rows[1].substr(0, 13), "1759744800000");
  const auto axes = nlohmann::json::parse(std::ifstream(out / "axes.json"));
  EXPECT_EQ(axes["price_edges"].size(), 33u);
  EXPECT_EQ(axes["config"]["positions"]["samples_per_step"], 4);
}

TEST(CliOptions, AWindowWithoutBarsIsAnInputError) {
  const auto market = write_file("cli-nowindow.csv", small_market(10));
  const fs::path out = out_dir("nowindow");
  const auto run = run_cli("compute --market " + market + " --from 2030-01-01 --out " + out.string());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_NE(run.err.find("no bar lies in the window"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliOptions, ReadsStdinAndGlobsOfManyFiles) {
  const auto market = write_file("cli-stdin.csv", small_market(12));
  const fs::path out = out_dir("stdin");
  const auto run = run_cli("compute --market - --quiet" + std::string(kFast) + " --out " + out.string(), market);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_EQ(csv_rows(out / "liquidations.csv").size(), 1 + 12u);

  const std::string all = small_market(12);
  const std::string header = all.substr(0, all.find('\n') + 1);
  const std::string body = all.substr(header.size());
  std::size_t cut = 0;
  for (int i = 0; i < 6; ++i) cut = body.find('\n', cut) + 1;
  write_file("glob/part-2.csv", header + body.substr(cut));
  write_file("glob/part-1.csv", header + body.substr(0, cut));
  const fs::path merged = out_dir("glob");
  const auto glob_run = run_cli("compute --market '" + (liqmap::testing::scratch_dir() / "glob" / "part-*.csv").string() +
                                "'" + kFast + " --out " + merged.string());
  ASSERT_EQ(glob_run.exit_code, 0) << glob_run.err;
  EXPECT_EQ(csv_rows(merged / "liquidations.csv"), csv_rows(out / "liquidations.csv"));
}

TEST(CliOutput, CtrlCCancelsTheRunAndWritesNothing) {
  const fs::path out = out_dir("interrupted");
  const fs::path status = liqmap::testing::scratch_dir() / "interrupted.status";
  // A run of many seconds (400k steps), interrupted after one.
  const std::string script = std::string(LIQMAP_CLI) + " demo --steps 400000 --bins 16 --samples 16 --out " + out.string() +
                             " 2>/dev/null & pid=$!; sleep 1; kill -INT $pid; wait $pid; echo $? > " + status.string();
  ASSERT_EQ(std::system(("sh -c '" + script + "'").c_str()), 0);
  EXPECT_EQ(liqmap::testing::slurp(status), "130\n");
  EXPECT_FALSE(fs::exists(out));
}

TEST(CliSynth, WritesAMarketThatComputeReadsBack) {
  const fs::path csv = liqmap::testing::scratch_dir() / "synth.csv";
  const auto run = run_cli("synth --steps 200 --seed 3 --out " + csv.string());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto rows = csv_rows(csv);
  ASSERT_EQ(rows.size(), 201u);
  EXPECT_EQ(rows[0], "ts,open,high,low,close,volume,oi");
  EXPECT_EQ(run_cli("synth --steps 200 --seed 3 --out -").out, liqmap::testing::slurp(csv));
  const fs::path out = out_dir("synth");
  ASSERT_EQ(run_cli("compute --market " + csv.string() + kFast + " --out " + out.string()).exit_code, 0);
  EXPECT_EQ(csv_rows(out / "liquidations.csv").size(), 201u);
}

TEST(CliInfo, SaysVersionBackendsAndDevices) {
  const auto run = run_cli("info");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("liqmap 0."), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("backends compiled: cpu"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("cuda: "), std::string::npos) << run.out;
  const auto json = nlohmann::json::parse(run_cli("info --json").out);
  EXPECT_EQ(json["backends"][0], "cpu");
}

TEST(CliUsage, HelpHasExamplesAndExitCodesAndBadOptionsExitTwo) {
  const auto help = run_cli("--help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Exit codes: 0 ok"), std::string::npos) << help.out;
  for (const char* sub : {"demo", "compute", "synth", "info"}) {
    const auto sub_help = run_cli(std::string(sub) + " --help");
    EXPECT_EQ(sub_help.exit_code, 0) << sub;
    EXPECT_NE(sub_help.out.find("xample"), std::string::npos) << sub << ": " << sub_help.out;
  }
  EXPECT_EQ(run_cli("compute --out x").exit_code, 2);  // --market missing
  EXPECT_EQ(run_cli("demo --out x --backend gpu").exit_code, 2);
  EXPECT_EQ(run_cli("demo --out x --frobnicate").exit_code, 2);
  const auto bad_time = run_cli("demo --steps 10 --out x --from yesterday");
  EXPECT_EQ(bad_time.exit_code, 2);
  EXPECT_NE(bad_time.err.find("--from 'yesterday'"), std::string::npos) << bad_time.err;
}

}  // namespace
