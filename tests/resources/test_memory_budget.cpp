// A job that cannot fit in memory is refused before anything is allocated, with what it needs
// and what there is.
#include <gtest/gtest.h>

#include <string>

#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "liqmap/synthetic.hpp"
#include "resources/memory_budget.hpp"
#include "cli_run.hpp"

namespace {

using namespace liqmap;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(MemoryBudget, TheEstimateCountsTheGridsAndTheDeltaPlanesWithoutWrapping) {
  const double demo = detail::engine_memory_bytes(2048, 10080, 10080, true);
  // 5 grids of 2,048 x 10,080 doubles and 2 delta planes of 2,048 x 10,080 int64.
  EXPECT_NEAR(demo, 7.0 * 2048 * 10080 * 8, 10080 * 256 + 1);
  EXPECT_LT(detail::engine_memory_bytes(2048, 10080, 10080, false), demo);
  const double absurd = detail::engine_memory_bytes(std::size_t(1) << 40, std::size_t(1) << 40, std::size_t(1) << 40, true);
  EXPECT_GT(absurd, 1e25);  // a size_t product would have wrapped to a small number
}

TEST(MemoryBudget, ARefusalSaysWhatItNeedsAndWhatThereIs) {
  const detail::MemoryAvailable small{2e9, "a test's budget"};
  EXPECT_NO_THROW(detail::require_memory(1.5e9, small, "a job"));
  try {
    detail::require_memory(27.5e12, small, "a job of 16.0M bins");
    FAIL() << "not refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::out_of_memory);
    const std::string m = e.what();
    EXPECT_TRUE(has(m, "a job of 16.0M bins needs about 27.5 TB")) << m;
    EXPECT_TRUE(has(m, "2.00 GB is available (a test's budget)")) << m;
  }
  EXPECT_NO_THROW(detail::require_memory(1e30, {-1, ""}, "unknown"));  // nothing to check against
}

TEST(MemoryBudget, TheMachineReportsSomeAvailableMemory) {
  const detail::MemoryAvailable here = detail::available_memory();
  EXPECT_GT(here.bytes, 0);
  EXPECT_FALSE(here.source.empty());
}

TEST(MemoryBudget, ComputeRefusesAJobLargerThanTheMachineBeforeAllocatingIt) {
  SyntheticOptions o;
  o.steps = 100000;
  const Market market = synthetic_market(o);
  Config config = default_config();
  config.grid.price_bins = 1 << 24;  // 16.8M bins x 100k steps: petabytes
  try {
    compute(market, config);
    FAIL() << "not refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::out_of_memory);
    EXPECT_TRUE(has(e.what(), "16.8M price bins x 100k columns")) << e.what();
  }
}

TEST(MemoryBudget, TheCommandLineRefusesItWithTheResourceExitCode) {
  const auto run = liqmap::testing::run_cli("demo --steps 100000 --bins 16777216 --out /tmp/liqmap-never-written");
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_TRUE(has(run.err, "out_of_memory")) << run.err;
  EXPECT_TRUE(has(run.err, "is available")) << run.err;
  const auto absurd = liqmap::testing::run_cli("demo --bins 1000000000 --out /tmp/liqmap-never-written");
  EXPECT_EQ(absurd.exit_code, 2);  // out of the option's range, before anything runs
}

}  // namespace
