// What a run may be asked for (issue 30, items 3 and 12): at most kMaxThreads threads; no
// absurd work (a sigma of 10,000 bins, a million samples a bar), refused by build_plan before
// anything runs with a config error naming the key; and a cancel during the smoothing stops it
// within milliseconds instead of after the whole pass.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>

#include "engine/backend.hpp"
#include "engine/smoothing.hpp"
#include "gaussian.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "liqmap/synthetic.hpp"
#include "model/work_limits.hpp"

namespace liqmap {
namespace {

using Clock = std::chrono::steady_clock;

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Market small_market(std::size_t steps) {
  SyntheticOptions o;
  o.steps = steps;
  return synthetic_market(o);
}

Error error_of(const std::function<void()>& run) {
  try {
    run();
  } catch (const Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error";
  return Error(ErrorCode::internal, "none");
}

TEST(RunLimits, MoreThreadsThanTheMaximumAreRefusedBeforeAnyIsMade) {
  const Market market = small_market(50);
  Config config = default_config();
  config.grid.price_bins = 16;
  config.positions.samples_per_step = 1;
  for (int threads : {100000, kMaxThreads + 1, -1}) {
    RunOptions options;
    options.backend = Backend::cpu;
    options.threads = threads;  // 100000 was a SIGSEGV inside libgomp, 5000 "Thread creation failed"
    const Error e = error_of([&] { compute(market, config, options); });
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument) << threads;
    EXPECT_TRUE(has(e.what(), "use 0 (all) to 1024 CPU threads")) << e.what();
  }
  RunOptions two;
  two.backend = Backend::cpu;
  two.threads = 2;
  EXPECT_NO_THROW(compute(market, config, two));
}

TEST(RunLimits, ASigmaWhoseKernelSpansTheGridIsAConfigErrorBeforeTheRun) {
  const Market market = small_market(10080);
  Config config = default_config();  // 2,048 bins x 10,080 columns
  config.smoothing.sigma_price_bins = 10000;  // took 59 s, and Ctrl-C waited for it
  const auto start = Clock::now();
  const Error e = error_of([&] { detail::build_plan(market, config); });
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - start).count(), 5.0);
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_TRUE(has(e.what(), "smoothing.sigma_price_bins 10000 makes every cell a sum of 2.05k price bins")) << e.what();
  EXPECT_TRUE(has(e.what(), "at most 1025 a cell (a sigma up to 128)")) << e.what();

  config.smoothing.sigma_price_bins = 0;
  config.smoothing.sigma_time_steps = 5000;
  const Error time = error_of([&] { detail::build_plan(market, config); });
  EXPECT_EQ(time.code(), ErrorCode::config);
  EXPECT_TRUE(has(time.what(), "smoothing.sigma_time_steps 5000")) << time.what();

  // A wide kernel on a small grid is cheap (it is cut at the grid) and runs.
  Config small = default_config();
  small.grid.price_bins = 64;
  small.positions.samples_per_step = 1;
  small.smoothing.sigma_price_bins = 10000;
  EXPECT_NO_THROW(detail::build_plan(small_market(200), small));
}

TEST(RunLimits, AMillionSamplesABarIsAConfigErrorWithTheCount) {
  const Market market = small_market(10080);
  Config config = default_config();
  config.positions.samples_per_step = 1 << 20;  // ran past a minute with nothing said
  const Error e = error_of([&] { detail::build_plan(market, config); });
  EXPECT_EQ(e.code(), ErrorCode::config);
  EXPECT_TRUE(has(e.what(), "positions.samples_per_step 1048576 over 10.1k bars")) << e.what();
  EXPECT_TRUE(has(e.what(), "a run draws at most 17.2B")) << e.what();
  config.positions.samples_per_step = 64;  // the default
  EXPECT_NO_THROW(detail::check_run_work(config, 10080));
}

// A plan whose smoothing takes a second or two: 1,024 bins x 600 columns, a kernel of 801 cells.
detail::Plan slow_smoothing_plan() {
  Config config = default_config();
  config.grid.price_bins = 1024;
  config.positions.samples_per_step = 1;
  config.smoothing.sigma_price_bins = 100;
  config.smoothing.sigma_time_steps = 100;
  return detail::build_plan(small_market(600), config);
}

TEST(RunLimits, ACancelDuringTheSmoothingStopsItWithinMilliseconds) {
  const detail::Plan plan = slow_smoothing_plan();
  for (const char* stage : {"smooth_price", "smooth_time"}) {
    SCOPED_TRACE(stage);
    int polls_in_stage = 0;
    Clock::time_point cancelled_at{};
    const detail::RunControl control([&](const char* at, double) {
      if (std::string(at) != stage) return true;
      // The first poll is the stage's checkpoint before it starts; the second is inside it.
      if (++polls_in_stage < 2) return true;
      cancelled_at = Clock::now();
      return false;
    });
    const Error e = error_of([&] { detail::find_backend("cpu").run(plan, {}, control); });
    const Clock::time_point stopped = Clock::now();
    EXPECT_EQ(e.code(), ErrorCode::cancelled) << e.what();
    EXPECT_TRUE(has(e.what(), stage)) << e.what();
    ASSERT_GE(polls_in_stage, 2) << "the smoothing never polled inside its pass";
    EXPECT_LT(std::chrono::duration<double>(stopped - cancelled_at).count(), 0.5);
  }
}

TEST(RunLimits, ThePollsInsideTheSmoothingChangeNoValue) {
  Grid raw(300, 40);
  for (std::size_t i = 0; i < raw.data.size(); ++i) raw.data[i] = double((i * 7919) % 101);
  const std::vector<double> kernel = model::gaussian_kernel(30);
  Grid plain(300, 40), polled(300, 40);
  detail::smooth_price_axis(raw, plain, kernel, 2);
  int polls = 0;
  const detail::RunControl control([&](const char*, double) { return ++polls > 0; });
  detail::smooth_price_axis(raw, polled, kernel, 2, {&control, "smooth_price", 0.9, 0.95});
  EXPECT_EQ(plain.data, polled.data);
  for (std::size_t b = 0; b < raw.rows; ++b)  // each cell is the shared kernel's sum
    EXPECT_EQ(polled.at(b, 3), model::smooth_cell(&raw.at(b, 3), 40, std::int64_t(b), 300, kernel.data(), 120));
}

}  // namespace
}  // namespace liqmap
