// Cancellation per stage and per backend: a poll that answers false at a stage stops the run
// there (Error(cancelled) naming the stage), nothing is polled or run after it, and compute()
// throws instead of returning grids (so the CLI writes nothing). Driven by the stage names the
// backends poll, not by timing.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "engine/backend.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "random_market.hpp"

namespace liqmap {
namespace {

detail::Plan smoothed_plan() {
  std::mt19937_64 rng(42);
  Config config = test_support::random_config(rng);
  config.smoothing.sigma_price_bins = 1.5;
  config.smoothing.sigma_time_steps = 1.0;  // both smoothing stages run
  return detail::build_plan(test_support::random_market(rng, 400), config);
}

// The stages a backend polls, in order, on an uncancelled run.
std::vector<std::string> polled_stages(const detail::BackendEntry& backend, const detail::Plan& plan) {
  std::vector<std::string> stages;
  const detail::RunControl control([&](const char* stage, double) {
    if (stages.empty() || stages.back() != stage) stages.emplace_back(stage);
    return true;
  });
  backend.run(plan, {}, control);
  return stages;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

class EveryBackend : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::string reason;
    if (!detail::find_backend(GetParam()).usable(reason)) GTEST_SKIP() << reason;
  }
};

TEST_P(EveryBackend, PollsBeforeEveryStageAndAtTheEnd) {
  const std::vector<std::string> stages = polled_stages(detail::find_backend(GetParam()), smoothed_plan());
  for (const char* stage : {"passage_tables", "scatter_deltas", "survival_recurrence", "smooth_price",
                            "smooth_time", "done"})
    EXPECT_TRUE(contains(stages, stage)) << GetParam() << " never polls before " << stage;
  EXPECT_EQ(stages.back(), "done");
}

TEST_P(EveryBackend, ACancelAtAnyStageStopsTheRunThere) {
  const detail::BackendEntry& backend = detail::find_backend(GetParam());
  const detail::Plan plan = smoothed_plan();
  for (const std::string& cancel_at : polled_stages(backend, plan)) {
    SCOPED_TRACE(std::string(GetParam()) + " cancelled at " + cancel_at);
    bool cancelled = false;
    int polls_after_cancel = 0;
    const detail::RunControl control([&](const char* stage, double) {
      if (cancelled) ++polls_after_cancel;
      if (stage == cancel_at) cancelled = true;
      return !cancelled;
    });
    try {
      backend.run(plan, {}, control);
      ADD_FAILURE() << "the run finished although it was cancelled";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::cancelled);
      EXPECT_NE(std::string(e.what()).find(cancel_at), std::string::npos) << e.what();
    }
    EXPECT_EQ(polls_after_cancel, 0) << "stages ran after the cancel";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, EveryBackend, ::testing::Values("cpu", "omp", "cuda"));

// What the CLI's Ctrl-C does: the progress callback answers false once the run is in its
// smoothing; compute() then throws, so no grids reach the output writers.
TEST(Compute, ACancelDuringSmoothingThrowsCancelled) {
  std::mt19937_64 rng(8);
  const Market market = test_support::random_market(rng, 300);
  RunOptions options;
  options.backend = Backend::cpu;
  double last_fraction = 0;
  options.progress = [&](double fraction) {
    last_fraction = fraction;
    return fraction < detail::progress_at::smooth_price;
  };
  try {
    compute(market, default_config(), options);
    FAIL() << "expected Error(cancelled)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
    EXPECT_NE(std::string(e.what()).find("smooth_price"), std::string::npos) << e.what();
  }
  EXPECT_EQ(last_fraction, detail::progress_at::smooth_price);
}

// The plan's longest part (every position's fate, for the open-interest flow) polls as it goes:
// a Ctrl-C during a long plan stops it there, without waiting for the plan to finish.
TEST(Compute, ACancelInsideThePlanStopsItThere) {
  std::mt19937_64 rng(10);
  const Market market = test_support::random_market(rng, 3000);
  ASSERT_TRUE(market.has_oi());  // the open-interest flow walks the positions
  RunOptions options;
  options.backend = Backend::cpu;
  options.threads = 1;
  int polls = 0;
  options.progress = [&](double) { return ++polls < 2; };  // the first poll inside the plan cancels
  try {
    compute(market, default_config(), options);
    FAIL() << "expected Error(cancelled)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::cancelled);
    EXPECT_NE(std::string(e.what()).find("plan"), std::string::npos) << e.what();
  }
  EXPECT_EQ(polls, 2) << "polled again after the cancel";
}

TEST(Compute, ProgressReachesOneOnAFinishedRun) {
  std::mt19937_64 rng(9);
  RunOptions options;
  options.backend = Backend::cpu;
  std::vector<double> fractions;
  options.progress = [&](double fraction) {
    fractions.push_back(fraction);
    return true;
  };
  compute(test_support::random_market(rng, 200), default_config(), options);
  ASSERT_FALSE(fractions.empty());
  EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
  EXPECT_EQ(fractions.back(), 1.0);
}

}  // namespace
}  // namespace liqmap
