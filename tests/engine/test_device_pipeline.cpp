// The device pipeline (kernels/device_pipeline.inl) against the CPU backend on random markets
// and configs. Built twice: on Thrust's OpenMP system (runs everywhere, CI included) and, with
// LIQMAP_TEST_CUDA, on the GPU (label `gpu`, skipped with the reason when there is no device).
// Integer deltas, R and the totals must be equal bit for bit; raw grids within 1e-9 of the
// column total (exact when survival is constant); smoothed grids within 1e-6 of it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "engine/device_backend.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "model/plan.hpp"
#include "random_market.hpp"

namespace liqmap {
namespace {

using test_support::random_config;
using test_support::random_market;

#if defined(LIQMAP_TEST_CUDA)
constexpr const char* kBackend = "cuda";
#else
constexpr const char* kBackend = "omp";
#endif

detail::BackendOutput run_device(const detail::Plan& plan, const detail::BackendSettings& settings) {
  return detail::find_backend(kBackend).run(plan, settings, detail::RunControl{});
}

// The CPU's delta grid ([side][bin][step]), from the same scatter the CPU backend runs.
std::vector<std::int64_t> cpu_delta(const detail::Plan& plan) {
  const detail::PassageTables tables = detail::build_passage_tables(plan, 1);
  std::vector<std::int64_t> delta(2 * std::size_t(plan.bins) * plan.steps, 0);
  std::vector<std::int64_t> liquidated(2 * plan.steps, 0);
  const model::ScatterInputs in = detail::scatter_inputs(plan, tables, delta.data(), liquidated.data());
  model::ScatterTotals totals;
  for (std::int64_t t = 0; t < plan.steps; ++t)
    for (std::uint32_t k = 0; k < plan.samples_per_step; ++k) model::scatter_sample(in, t, k, totals);
  return delta;
}

void expect_totals_equal(const model::ScatterTotals& a, const model::ScatterTotals& b) {
  EXPECT_EQ(a.positions, b.positions);
  EXPECT_EQ(a.in_range, b.in_range);
  EXPECT_EQ(a.out_of_range, b.out_of_range);
  EXPECT_EQ(a.unliquidatable, b.unliquidatable);
  EXPECT_EQ(a.liquidated, b.liquidated);
  EXPECT_EQ(a.in_range_fixed, b.in_range_fixed);
  EXPECT_EQ(a.out_of_range_fixed, b.out_of_range_fixed);
  EXPECT_EQ(a.unliquidatable_fixed, b.unliquidatable_fixed);
}

// |device - cpu| <= tolerance * (the CPU column's total, at least 1 USD) in every cell.
void expect_grids_close(const Grid& device, const Grid& cpu, double tolerance, bool exact,
                        const char* what) {
  ASSERT_EQ(device.rows, cpu.rows);
  ASSERT_EQ(device.cols, cpu.cols);
  for (std::size_t c = 0; c < cpu.cols; ++c) {
    const double allowed = tolerance * std::max(1.0, cpu.column_sum(c));
    for (std::size_t r = 0; r < cpu.rows; ++r) {
      if (exact) ASSERT_EQ(device.at(r, c), cpu.at(r, c)) << what << " bin " << r << " column " << c;
      else ASSERT_NEAR(device.at(r, c), cpu.at(r, c), allowed) << what << " bin " << r << " column " << c;
    }
  }
}

void expect_matches_cpu(const detail::Plan& plan, const detail::BackendSettings& device_settings,
                        int* slices_out = nullptr) {
  detail::BackendSettings settings = device_settings;
  settings.keep_delta = true;
  const detail::BackendOutput device = run_device(plan, settings);
  const detail::BackendOutput cpu = detail::find_backend("cpu").run(plan, {}, detail::RunControl{});
  const int slices = device.device_slices;
  if (slices_out) *slices_out = slices;

  EXPECT_TRUE(device.delta == cpu_delta(plan)) << "integer delta grids differ";
  EXPECT_TRUE(device.liquidated_fixed == cpu.liquidated_fixed) << "R series differ";
  expect_totals_equal(device.totals, cpu.totals);
  expect_grids_close(device.raw_long, cpu.raw_long, 1e-9, plan.survival_is_constant, "raw long");
  expect_grids_close(device.raw_short, cpu.raw_short, 1e-9, plan.survival_is_constant, "raw short");

  // Smoothing is every backend's job, sliced or not (a sliced device run smooths on the host).
  const bool host_smoothed = std::any_of(device.stages.begin(), device.stages.end(),
                                         [](const StageTime& s) { return s.stage == "smooth_host"; });
  EXPECT_EQ(host_smoothed, slices > 1) << "only a sliced run leaves the smoothing to the host";
  expect_grids_close(device.smooth_long, cpu.smooth_long, 1e-6, false, "smoothed long");
  expect_grids_close(device.smooth_short, cpu.smooth_short, 1e-6, false, "smoothed short");
}

// Distinct suite names for the two builds, so that ctest's names (and labels) do not collide.
#if defined(LIQMAP_TEST_CUDA)
#define LIQMAP_PIPELINE_SUITE CudaDevicePipeline
#else
#define LIQMAP_PIPELINE_SUITE OmpDevicePipeline
#endif
#define LIQMAP_PIPELINE_TEST_IN(suite, name) TEST_F(suite, name)
#define LIQMAP_PIPELINE_TEST(name) LIQMAP_PIPELINE_TEST_IN(LIQMAP_PIPELINE_SUITE, name)

class LIQMAP_PIPELINE_SUITE : public ::testing::Test {
 protected:
  void SetUp() override {
#if defined(LIQMAP_TEST_CUDA)
    std::string reason;
    if (!detail::find_backend("cuda").usable(reason)) GTEST_SKIP() << "no CUDA device: " << reason;
#endif
  }
};

LIQMAP_PIPELINE_TEST(MatchesCpuBackendOnRandomMarketsAndConfigs) {
  std::mt19937_64 rng(20261124);
  for (int trial = 0; trial < 60; ++trial) {
    SCOPED_TRACE("trial " + std::to_string(trial));
    const std::size_t steps = 2 + rng() % 300;
    const Market market = random_market(rng, steps, rng() % 5 != 0);
    const Config config = random_config(rng);
    // From one chunk of steps per row (fewer threads than rows) to chunks of one step.
    detail::BackendSettings options;
    options.recurrence_threads = trial % 4 == 3 ? 0 : 1 + rng() % 3000;
    expect_matches_cpu(detail::build_plan(market, config), options);
    if (HasFatalFailure()) return;
  }
}

// Entry "path": each entry at its own point of the bar's path (the sample's leg) on the device too.
LIQMAP_PIPELINE_TEST(PathEntriesMatchCpuBackend) {
  std::mt19937_64 rng(20261207);
  for (int trial = 0; trial < 30; ++trial) {
    SCOPED_TRACE("path trial " + std::to_string(trial));
    const Market market = random_market(rng, 2 + rng() % 300, rng() % 5 != 0);
    Config config = random_config(rng);
    config.positions.entry = EntryMode::path;
    config.positions.same_bar = trial % 3 != 0;
    expect_matches_cpu(detail::build_plan(market, config), {});
    if (HasFatalFailure()) return;
  }
}

LIQMAP_PIPELINE_TEST(ConstantSurvivalGivesIdenticalRawGrids) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 10; ++trial) {
    Market market = random_market(rng, 50 + rng() % 100, false);  // volume flow: nothing closes
    Config config = random_config(rng);
    config.flow.source = FlowSource::volume;
    config.flow.half_life_hours.reset();
    const detail::Plan plan = detail::build_plan(market, config);
    ASSERT_TRUE(plan.survival_is_constant);
    expect_matches_cpu(plan, {});
  }
}

LIQMAP_PIPELINE_TEST(GridLargerThanTheMemoryLimitRunsInSlicesOfPriceBins) {
  std::mt19937_64 rng(99);
  for (int trial = 0; trial < 8; ++trial) {
    const Market market = random_market(rng, 100 + rng() % 200);
    Config config = random_config(rng);
    config.grid.price_bins = 40 + static_cast<int>(rng() % 50);
    const detail::Plan plan = detail::build_plan(market, config);
    // Room for a third of the bins (unsmoothed): three or four slices.
    detail::BackendSettings options;
    options.device_memory_limit = detail::device_memory_needed(plan, plan.bins / 3, false, true);
    int slices = 0;
    expect_matches_cpu(plan, options, &slices);
    EXPECT_GE(slices, 3);
    EXPECT_LE(slices, 4);
  }
}

LIQMAP_PIPELINE_TEST(TooLittleMemoryForOneBinIsAnOutOfMemoryErrorNamingTheNeed) {
  std::mt19937_64 rng(5);
  const detail::Plan plan = detail::build_plan(random_market(rng, 200), random_config(rng));
  detail::BackendSettings options;
  options.device_memory_limit = 1024;
  try {
    run_device(plan, options);
    FAIL() << "expected an out-of-memory error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::out_of_memory);
    EXPECT_NE(std::string(e.what()).find("MiB"), std::string::npos) << e.what();
  }
}

#if defined(LIQMAP_TEST_CUDA)
device::DeviceMemory& system_memory() { return device::cuda_default_memory(); }
constexpr detail::RunPipeline kPipeline = device::run_pipeline_cuda;
#else
device::DeviceMemory& system_memory() { return device::omp_default_memory(); }
constexpr detail::RunPipeline kPipeline = device::run_pipeline_omp;
#endif

LIQMAP_PIPELINE_TEST(APoolingMemoryServesASecondRunWithoutAllocatingAgain) {
  std::mt19937_64 rng(11);
  const detail::Plan plan = detail::build_plan(random_market(rng, 150), random_config(rng));
  device::PoolingDeviceMemory pool(system_memory());
  const detail::BackendOutput first = detail::run_device_pipeline(plan, {}, detail::RunControl{}, kPipeline, &pool);
  const std::size_t allocations = pool.upstream_allocations();
  EXPECT_GE(allocations, 20u) << "the plan's arrays and the work buffers come from the pool";
  const detail::BackendOutput second = detail::run_device_pipeline(plan, {}, detail::RunControl{}, kPipeline, &pool);
  EXPECT_EQ(pool.upstream_allocations(), allocations);
  EXPECT_EQ(first.raw_long.data, second.raw_long.data);
  EXPECT_EQ(first.smooth_short.data, second.smooth_short.data);
}

#if defined(LIQMAP_TEST_CUDA)
// compute() with `automatic`: a CUDA run that cannot fit one price bin in its device memory is
// out of memory, and the CPU computes the map instead, saying why.
LIQMAP_PIPELINE_TEST(AutoFallsBackToTheCpuWhenTheDeviceIsOutOfMemory) {
  std::mt19937_64 rng(21);
  const Market market = random_market(rng, 200);
  const Config config = random_config(rng);
  RunOptions options;
  options.backend = Backend::automatic;
  options.device_memory_limit = 1024;
  const Result fallback = compute(market, config, options);
  EXPECT_EQ(fallback.stats.backend, "cpu");
  EXPECT_NE(fallback.stats.backend_note.find("CUDA backend failed (device memory"), std::string::npos)
      << fallback.stats.backend_note;
  RunOptions cpu;
  cpu.backend = Backend::cpu;
  const Result reference = compute(market, config, cpu);
  EXPECT_EQ(fallback.raw_long.data, reference.raw_long.data);
  EXPECT_EQ(fallback.smooth_short.data, reference.smooth_short.data);
  EXPECT_EQ(fallback.liq_long, reference.liq_long);

  options.device_memory_limit = 0;  // the device's own memory: the same map on the GPU
  const Result on_device = compute(market, config, options);
  EXPECT_EQ(on_device.stats.backend, "cuda");
  EXPECT_EQ(on_device.liq_short, reference.liq_short);
}
#endif

}  // namespace
}  // namespace liqmap
