#include "engine/device_backend.hpp"

#include "engine/smoothing.hpp"
#include "gaussian.hpp"

namespace liqmap::detail {
namespace {

device::DeviceJob device_job(const Plan& plan, const PassageTables& tables) {
  device::DeviceJob job;
  job.scatter = scatter_inputs(plan, tables, nullptr, nullptr);
  job.bracket_count = plan.brackets.size();
  job.active_steps = active_steps(plan);
  job.recurrence = recurrence_inputs(plan);
  job.price_kernel = model::gaussian_kernel(plan.sigma_price_bins);
  job.time_kernel = model::gaussian_kernel(plan.sigma_time_steps);
  return job;
}

}  // namespace

BackendOutput run_device_pipeline(const Plan& plan, const BackendSettings& settings,
                                  const RunControl& control, RunPipeline run,
                                  device::DeviceMemory* memory) {
  BackendOutput out;
  out.threads = resolve_threads(settings.threads);
  StageClock clock(out.stages);

  control.checkpoint("passage_tables", progress_at::passage_tables);
  const PassageTables tables = build_passage_tables(plan, out.threads);
  clock.lap("passage_tables");

  device::DeviceJob job = device_job(plan, tables);
  job.memory_limit_bytes = settings.device_memory_limit;
  job.keep_delta = settings.keep_delta;
  if (settings.recurrence_threads > 0) job.recurrence_threads = settings.recurrence_threads;
  job.control = &control;
  job.memory = memory;

  device::DeviceResult result = run(job);
  out.stages.insert(out.stages.end(), result.stages.begin(), result.stages.end());
  out.raw_long = std::move(result.raw[model::kLong]);
  out.raw_short = std::move(result.raw[model::kShort]);
  out.liquidated_fixed = std::move(result.liquidated_fixed);
  out.totals = result.totals;
  out.delta = std::move(result.delta);
  out.device_slices = result.slices;
  if (!result.smooth[model::kLong].data.empty()) {
    out.smooth_long = std::move(result.smooth[model::kLong]);
    out.smooth_short = std::move(result.smooth[model::kShort]);
  } else {  // sliced: the Gaussian over price needs the neighbouring slices
    control.checkpoint("smooth_price", progress_at::smooth_price);
    clock.restart();
    out.smooth_long = smooth_grid(out.raw_long, plan.sigma_price_bins, plan.sigma_time_steps, out.threads, &control);
    out.smooth_short = smooth_grid(out.raw_short, plan.sigma_price_bins, plan.sigma_time_steps, out.threads, &control);
    clock.lap("smooth_host");
  }
  control.checkpoint("done", progress_at::done);
  return out;
}

std::size_t device_memory_needed(const Plan& plan, int bins_per_slice, bool smooth_on_device,
                                 bool keep_delta) {
  const PassageTables tables = build_passage_tables(plan, 1);
  device::DeviceJob job = device_job(plan, tables);
  job.keep_delta = keep_delta;
  return device::device_bytes_needed(job, bins_per_slice, smooth_on_device);
}

bool omp_device_usable(std::string& reason) {
#if defined(LIQMAP_HAVE_OMP_DEVICE)
  reason = "the device pipeline on the host's CPU threads (Thrust OpenMP system)";
  return true;
#else
  reason = "this build has no OpenMP device pipeline (configured with -DLIQMAP_OMP_DEVICE=OFF)";
  return false;
#endif
}

BackendOutput run_omp_device([[maybe_unused]] const Plan& plan, [[maybe_unused]] const BackendSettings& settings,
                             [[maybe_unused]] const RunControl& control) {
#if defined(LIQMAP_HAVE_OMP_DEVICE)
  return run_device_pipeline(plan, settings, control, device::run_pipeline_omp);
#else
  std::string reason;
  omp_device_usable(reason);
  throw Error(ErrorCode::device, reason);
#endif
}

}  // namespace liqmap::detail
