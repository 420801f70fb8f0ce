#include "engine/device_backend.hpp"

#include <chrono>
#include <omp.h>

#include "device_pipeline.hpp"
#include "engine/smoothing.hpp"

namespace liqmap::detail {
namespace {

using Clock = std::chrono::steady_clock;
using RunPipeline = device::DeviceResult (*)(const device::DeviceJob&);

device::DeviceJob device_job(const Plan& plan, const PassageTables& tables) {
  device::DeviceJob job;
  job.scatter = scatter_inputs(plan, tables, nullptr, nullptr);
  job.bracket_count = plan.brackets.size();
  for (std::int64_t t = 0; t < plan.steps; ++t)
    if (plan.opened_usd[t] > 0) job.active_steps.push_back(t);
  job.recurrence = recurrence_inputs(plan);
  job.price_kernel = gaussian_kernel(plan.sigma_price_bins);
  job.time_kernel = gaussian_kernel(plan.sigma_time_steps);
  return job;
}

[[maybe_unused]] BackendOutput run_device_pipeline(const Plan& plan, const RunOptions& options,
                                                   const DevicePipelineOptions& device,
                                                   RunPipeline run) {
  BackendOutput out;
  out.threads = options.threads > 0 ? options.threads : omp_get_max_threads();

  auto start = Clock::now();
  const PassageTables tables = build_passage_tables(plan, out.threads);
  out.stages.push_back({"passage_tables", std::chrono::duration<double>(Clock::now() - start).count()});

  device::DeviceJob job = device_job(plan, tables);
  job.memory_limit_bytes = device.memory_limit_bytes;
  job.keep_delta = device.delta != nullptr;
  if (device.recurrence_threads > 0) job.recurrence_threads = device.recurrence_threads;

  device::DeviceResult result = run(job);
  for (auto& [stage, seconds] : result.stages) out.stages.push_back({stage, seconds});
  out.raw_long = Grid(plan.bins, plan.columns);
  out.raw_short = Grid(plan.bins, plan.columns);
  out.raw_long.data = std::move(result.raw[model::kLong]);
  out.raw_short.data = std::move(result.raw[model::kShort]);
  if (!result.smooth[model::kLong].empty()) {
    out.smooth_long = Grid(plan.bins, plan.columns);
    out.smooth_short = Grid(plan.bins, plan.columns);
    out.smooth_long.data = std::move(result.smooth[model::kLong]);
    out.smooth_short.data = std::move(result.smooth[model::kShort]);
  }
  out.liquidated_fixed = std::move(result.liquidated_fixed);
  out.totals = result.totals;
  if (device.delta) *device.delta = std::move(result.delta);
  if (device.slices) *device.slices = result.slices;
  return out;
}

}  // namespace

std::size_t device_memory_needed(const Plan& plan, int bins_per_slice, bool smooth_on_device,
                                 bool keep_delta) {
  const PassageTables tables = build_passage_tables(plan, 1);
  device::DeviceJob job = device_job(plan, tables);
  job.keep_delta = keep_delta;
  return device::device_bytes_needed(job, bins_per_slice, smooth_on_device);
}

#if defined(LIQMAP_HAVE_OMP_DEVICE)
BackendOutput run_omp_device_pipeline(const Plan& plan, const RunOptions& options,
                                      const DevicePipelineOptions& device) {
  return run_device_pipeline(plan, options, device, device::run_pipeline_omp);
}
#endif

#if defined(LIQMAP_HAVE_CUDA)
BackendOutput run_cuda_device_pipeline(const Plan& plan, const RunOptions& options,
                                       const DevicePipelineOptions& device) {
  return run_device_pipeline(plan, options, device, device::run_pipeline_cuda);
}
#endif

}  // namespace liqmap::detail
