// A saved run (the folder compute --out wrote) is checked whole when backtest, cascade or render
// read it back: a tampered or damaged folder is refused with exit 4 naming the file and the
// rule, never read out of bounds (SIGSEGV), looped over for seconds or drawn as nonsense.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "io_files.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::CliRun;
using liqmap::testing::run_cli;
using liqmap::testing::slurp;
using nlohmann::json;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class SavedRuns : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path dir = liqmap::testing::scratch_dir();
    market_ = new std::string((dir / "market.csv").string());
    ASSERT_EQ(run_cli("synth --steps 600 --seed 3 --out " + *market_).exit_code, 0);
    const auto run = run_cli("compute --market " + *market_ + " --bins 64 --samples 4 --threads 2 --backend cpu "
                             "--outputs npy -q --out " + (dir / "original").string());
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  static void TearDownTestSuite() { delete market_; }

  // A fresh copy of the saved run to tamper with.
  static fs::path copy_of_run(const std::string& name) {
    const fs::path copy = liqmap::testing::scratch_dir() / ("tampered-" + name);
    fs::remove_all(copy);
    fs::copy(liqmap::testing::scratch_dir() / "original", copy, fs::copy_options::recursive);
    return copy;
  }
  static json axes_of(const fs::path& run) { return json::parse(slurp(run / "axes.json")); }
  static void write_axes(const fs::path& run, const json& axes) { std::ofstream(run / "axes.json") << axes.dump(); }

  // The refusal every reader of the run gives: exit 4, naming `file` and `rule`.
  static void expect_refused(const CliRun& run, const fs::path& file, const std::string& rule) {
    EXPECT_EQ(run.exit_code, 4) << run.err;
    EXPECT_TRUE(has(run.err, file.string())) << run.err;
    EXPECT_TRUE(has(run.err, rule)) << run.err;
  }
  static std::string* market_;
};
std::string* SavedRuns::market_ = nullptr;

TEST_F(SavedRuns, TheUntouchedRunIsRead) {
  const fs::path run = copy_of_run("untouched");
  const auto backtest = run_cli("backtest " + run.string() + " --horizons 30m -q");
  EXPECT_EQ(backtest.exit_code, 0) << backtest.err;
  const auto cascade = run_cli("cascade " + run.string() + " --shock -1% --market " + *market_ + " -q");
  EXPECT_EQ(cascade.exit_code, 0) << cascade.err;
}

TEST_F(SavedRuns, AColumnStepPastTheRunIsRefusedByBacktestCascadeAndRender) {
  const fs::path run = copy_of_run("column-step");
  json axes = axes_of(run);
  axes["column_step"][1] = 1000000000;  // was a SIGSEGV in backtest, _M_range_check in cascade/render
  write_axes(run, axes);
  expect_refused(run_cli("backtest " + run.string() + " --horizons 30m"), run / "axes.json", "column_step must rise");
  expect_refused(run_cli("cascade " + run.string() + " --shock -1% --market " + *market_), run / "axes.json",
                 "column_step must rise");
  expect_refused(run_cli("render " + run.string() + " --at 2025-01-01 --out " + (run / "drawn").string()),
                 run / "axes.json", "column_step must rise");
}

TEST_F(SavedRuns, ColumnTimesThatAreNotThoseOfTheirStepsAreRefused) {
  const fs::path run = copy_of_run("column-ts");
  json axes = axes_of(run);
  axes["column_ts"].back() = std::int64_t(9000000000000000000);  // a span past int64: render looped for seconds
  write_axes(run, axes);
  expect_refused(run_cli("render " + run.string() + " --out " + (run / "drawn").string()), run / "axes.json",
                 "is not the time of its step in prices.csv");
}

TEST_F(SavedRuns, FallingPriceEdgesAreRefused) {
  const fs::path run = copy_of_run("edges");
  json axes = axes_of(run);
  std::swap(axes["price_edges"][10], axes["price_edges"][11]);
  write_axes(run, axes);
  expect_refused(run_cli("cascade " + run.string() + " --shock -1% --market " + *market_), run / "axes.json",
                 "price_edges must rise, at 11");
}

TEST_F(SavedRuns, AGridOfAnotherShapeOrWithNaNIsRefused) {
  const fs::path run = copy_of_run("nan");
  // The first value of long.npy (float32 unless told otherwise) made NaN.
  std::string bytes = slurp(run / "long.npy");
  ASSERT_GT(bytes.size(), 14u);
  const std::size_t header = 10 + std::size_t(std::uint8_t(bytes[8])) + 256 * std::size_t(std::uint8_t(bytes[9]));
  ASSERT_TRUE(has(bytes.substr(0, header), "'<f4'"));
  const std::uint32_t nan_bits = 0x7fc00000u;
  std::memcpy(&bytes[header], &nan_bits, 4);
  std::ofstream(run / "long.npy", std::ios::binary) << bytes;
  expect_refused(run_cli("render " + run.string() + " --out " + (run / "drawn").string()), run / "long.npy",
                 "the value at (0, 0) is not a number or negative");

  const fs::path other = copy_of_run("shape");
  fs::copy_file(run / "axes.json", other / "axes.json", fs::copy_options::overwrite_existing);
  json axes = axes_of(other);
  axes["price_centres"].erase(axes["price_centres"].size() - 1);
  axes["price_edges"].erase(axes["price_edges"].size() - 1);
  write_axes(other, axes);
  expect_refused(run_cli("backtest " + other.string() + " --horizons 30m"), other / "long.npy",
                 "is not axes.json's (63, 600)");
}

TEST_F(SavedRuns, AxesJsonAsAFolderAndPricesOutOfOrderAreRefused) {
  const fs::path run = copy_of_run("folder");
  fs::remove(run / "axes.json");
  fs::create_directory(run / "axes.json");  // was an internal error (exit 1)
  expect_refused(run_cli("backtest " + run.string() + " --horizons 30m"), run / "axes.json", "is not a file");

  const fs::path prices = copy_of_run("prices");
  std::string text = slurp(prices / "prices.csv");
  const std::size_t second = text.find('\n') + 1, third = text.find('\n', second) + 1, fourth = text.find('\n', third) + 1;
  text = text.substr(0, second) + text.substr(third, fourth - third) + text.substr(second, third - second) + text.substr(fourth);
  std::ofstream(prices / "prices.csv") << text;  // rows 2 and 3 swapped: times fall
  const auto refused = run_cli("backtest " + prices.string() + " --horizons 30m");
  EXPECT_EQ(refused.exit_code, 4) << refused.err;
  EXPECT_TRUE(has(refused.err, (prices / "prices.csv").string())) << refused.err;
}

TEST_F(SavedRuns, ANumberThatIsNotFiniteInTheCsvFilesIsRefused) {
  const fs::path run = copy_of_run("liquidations");
  std::string text = slurp(run / "liquidations.csv");
  const std::size_t second = text.find('\n') + 1;
  const std::size_t comma = text.find(',', second);
  text = text.substr(0, comma + 1) + "nan" + text.substr(text.find(',', comma + 1));
  std::ofstream(run / "liquidations.csv") << text;
  expect_refused(run_cli("backtest " + run.string() + " --horizons 30m"), run / "liquidations.csv",
                 "is not a finite number");
}

}  // namespace
