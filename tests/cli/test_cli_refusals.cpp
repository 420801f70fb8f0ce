// Inputs that used to hang, crash or give a map that means nothing (issue 18): each is refused
// with exit code 3 or 2 and a message, within seconds, and writes nothing.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "cli_run.hpp"
#include "io_files.hpp"
#include "liqmap/error.hpp"
#include "outputs/outputs.hpp"

namespace {

namespace fs = std::filesystem;
using liqmap::testing::run_cli;

fs::path scratch(const std::string& name) { return liqmap::testing::scratch_dir() / name; }

fs::path csv(const std::string& name, const std::string& text) {
  const fs::path path = scratch(name);
  std::ofstream(path) << text;
  return path;
}

void expect_refused(const std::string& args, int code, const std::string& part, const fs::path& out) {
  const auto run = run_cli(args + " --out " + out.string());
  EXPECT_EQ(run.exit_code, code) << run.err;
  EXPECT_NE(run.err.find(part), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << "a refused run wrote " << out;
}

const std::string kTwoBars = "ts,open,high,low,close,volume\n1759708800000,10,12,9,11,5\n1759708860000,11,13,10,12,5\n";

TEST(CliRefusals, TheForcedKlineLayoutOnANarrowFileIsAnErrorNotASegfault) {
  expect_refused("compute --market " + csv("x.csv", "m\n1").string() + " --format binance-klines", 3,
                 "x.csv:1: the header has no time column", scratch("out-narrow"));
}

TEST(CliRefusals, APriceRangeAFewUlpsWideFailsFastInsteadOfHanging) {
  expect_refused("compute --market " + csv("two.csv", kTwoBars).string() +
                     " --price-min 100 --price-max 100.00000000000001",
                 3, "'grid.price_max' leaves 2048 bin(s)", scratch("out-ulps"));
}

TEST(CliRefusals, OneBarIsNoMap) {
  expect_refused("compute --market " + csv("one.csv", "ts,open,high,low,close,volume\n1759708800000,10,12,9,11,5\n").string(),
                 3, "a map needs 2 or more bars", scratch("out-one"));
  expect_refused("compute --market " + csv("two-w.csv", kTwoBars).string() + " --from 2025-10-06T00:01", 3,
                 "only 1 bar (2025-10-06T00:01:00Z) is in the window", scratch("out-window"));
}

TEST(CliRefusals, NoOpenedNotionalIsNoMap) {
  expect_refused("compute --market " +
                     csv("zero-oi.csv", "ts,open,high,low,close,oi\n1759708800000,10,12,9,11,0\n1759708860000,11,13,10,12,0\n")
                         .string(),
                 3, "no position opened over the 2 bars (flow from oi: no open interest and no traded volume)", scratch("out-flat"));
}

TEST(CliRefusals, ProductsThatOverflowAreRefusedNotDrawnAsNaN) {
  expect_refused("compute --market " +
                     csv("huge.csv", "ts,open,high,low,close,volume\n1759708800000,1e200,1e200,1e200,1e200,1e200\n"
                                     "1759708860000,1e200,1e200,1e200,1e200,1e200\n")
                         .string(),
                 3, "not a finite number", scratch("out-huge"));
}

TEST(CliRefusals, AConfigNumberNoDoubleHoldsIsAConfigError) {
  const fs::path config = scratch("c.json");
  std::ofstream(config) << R"({"grid": {"range_margin": 1e400}})";
  expect_refused("compute --market " + csv("two-c.csv", kTwoBars).string() + " --config " + config.string(), 3,
                 "c.json: not valid JSON: number overflow", scratch("out-1e400"));
}

TEST(CliRefusals, AGlobMatchingNothingSaysSo) {
  expect_refused("compute --market '" + scratch("BTCUSDT-1m-*.zip").string() + "'", 4, "no file matches",
                 scratch("out-glob"));
}

TEST(CliRefusals, RenderTimeTooLargeForMillisecondsIsAUsageError) {
  const auto run = run_cli("render " + scratch("").string() + " --at 99999999999999999999999");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("too large"), std::string::npos) << run.err;
}

TEST(CliRefusals, AYearPastTheDataRangeIsSaidAsItWasWritten) {
  // Was "the time asked for (-190732551-12-26 14:16 UTC) is before ...": timegm overflowed.
  const auto run = run_cli("render " + scratch("").string() + " --at 2147483647-01-01");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_NE(run.err.find("the time '2147483647-01-01': the year 2147483647 is outside 1990..2200"), std::string::npos)
      << run.err;
}

TEST(CliRefusals, AFileNamedForACoinWithNoScheduleIsRefusedNotMappedWithBtc) {
  expect_refused("compute --market " + csv("DOGEUSDT-1m-2025-10.csv", kTwoBars).string(), 3,
                 "no built-in USD-margined margin schedule for DOGE on binance; the bundled schedules are",
                 scratch("out-doge"));
}

// Said rather than refused: how an epoch --from was read, and the decay of candles-only flow.
TEST(CliNotices, EpochSecondsInFromAndTheDefaultHalfLifeOfVolumeFlowAreSaid) {
  std::string text = "ts,open,high,low,close,volume\n";
  for (int m = 0; m < 30; ++m)
    text += std::to_string(1759708800000 + m * 60000) + ",100,101,99,100.5," + std::to_string(5 + m % 3) + "\n";
  const fs::path out = scratch("out-notices");
  const auto run = run_cli("compute --market " + csv("BTCUSDT-1m-notices.csv", text).string() +
                           " --from 1759708860 --bins 64 --samples 2 --out " + out.string());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.err.find("--from 1759708860 read as epoch seconds: 2025-10-06T00:01:00Z"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("positions opened from volume decay with a half-life of 7 d (168 h)"), std::string::npos)
      << run.err;
  EXPECT_NE(liqmap::testing::slurp(out / "axes.json").find("\"half_life_hours\": 168"), std::string::npos);
}

// A .npy whose shape claims more than the file holds: was an overflowing size and a write past
// the buffer in `render`.
TEST(NpyRead, AShapeLargerThanTheFileIsRefusedBeforeAllocating) {
  for (const std::string shape : {"(4611686018427387904, 4)", "(1000000, 1000000)", "(99999999999999999999999, 1)"}) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    header.resize(118, ' ');
    header += '\n';
    const fs::path path = scratch("crafted.npy");
    std::ofstream(path, std::ios::binary) << std::string("\x93NUMPY\x01\x00", 8) << static_cast<char>(header.size())
                                          << '\0' << header << std::string(16, '\0');
    try {
      liqmap::detail::read_npy(path.string());
      ADD_FAILURE() << "no error for shape " << shape;
    } catch (const liqmap::Error& e) {
      EXPECT_EQ(e.code(), liqmap::ErrorCode::io) << e.what();
    }
  }
}

// --threads 100000 was a SIGSEGV inside libgomp and 5000 "Thread creation failed" (exit 1);
// --seed -1 became 2^64-1 and 2^64 wrapped (issue 30, items 3 and 10).
TEST(CliRefusals, ThreadsAboveTheMaximumAndSeedsThatWouldWrapAreRefused) {
  for (const char* threads : {"100000", "5000", "1025", "-1"})
    expect_refused(std::string("demo --steps 200 --bins 64 --samples 2 --threads ") + threads, 2,
                   "use 0 (all) to 1024 CPU threads", scratch(std::string("out-threads-") + threads));
  const auto batch = run_cli("batch " + csv("m.csv", "market,out\nx.csv,y\n").string() + " --threads 5000");
  EXPECT_EQ(batch.exit_code, 2) << batch.err;
  EXPECT_NE(batch.err.find("use 0 (all) to 1024 CPU threads"), std::string::npos) << batch.err;
  for (const char* seed : {"-1", "18446744073709551616", "1e3"})
    expect_refused(std::string("demo --steps 200 --bins 64 --samples 2 --seed ") + seed, 2,
                   "a seed is a whole number from 0 to 18446744073709551615", scratch(std::string("out-seed-") + seed));
  const auto largest = run_cli("demo --steps 200 --bins 64 --samples 2 -q --seed 18446744073709551615 --out " +
                               scratch("out-seed-max").string());
  EXPECT_EQ(largest.exit_code, 0) << largest.err;
}

// A million samples a bar ran past a minute with nothing said; a sigma of 10,000 bins took 59 s
// and Ctrl-C waited for it (issue 30, item 12): config errors before the run.
TEST(CliRefusals, AbsurdWorkIsAConfigErrorBeforeTheRun) {
  expect_refused("demo --steps 10080 --samples 1048576", 3, "positions.samples_per_step 1048576 over 10.1k bars",
                 scratch("out-samples"));
  const fs::path config = csv("wide-sigma.json", R"({"smoothing": {"sigma_price_bins": 10000}})");
  expect_refused("demo --steps 10080 --config " + config.string(), 3,
                 "smoothing.sigma_price_bins 10000 makes every cell a sum of 2.05k price bins", scratch("out-sigma"));
}

}  // namespace
