// The device pipeline, written once over Thrust and compiled for two device systems:
// cuda_pipeline.cu (nvcc, CUDA) and omp_pipeline.cpp (g++, THRUST_DEVICE_SYSTEM_OMP), so the
// logic the GPU runs is tested on every machine. The includer defines a System with
//   policy()        the execution policy, on the run's stream,
//   synchronize()   waits for the work queued so far (stage times are measured after it),
//   free_bytes()    device memory free now,
//   stream()        the run's stream as void* (null on OpenMP),
//   memory()        the system's own DeviceMemory,
//   upload(device, host, bytes) and download(host, device, bytes).
// The plan is uploaded once into a DevicePlan that owns its buffers and hands the stages
// (device_stages.inl) plain views; buffers are uninitialised, and only what accumulates is
// zeroed.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "device_pipeline.hpp"
#include "device_stages.inl"
#include "liqmap/error.hpp"

namespace liqmap::device {
namespace {

// `count` uninitialised values in device memory, given back when it goes (never throwing).
template <class T>
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  DeviceBuffer(DeviceMemory& memory, void* stream, std::size_t count)
      : memory_(&memory), stream_(stream), count_(count) {
    if (count_ > 0) data_ = static_cast<T*>(memory.allocate(count_ * sizeof(T), stream_));
  }
  ~DeviceBuffer() {
    if (data_) memory_->deallocate(data_, count_ * sizeof(T), stream_);
  }
  DeviceBuffer(DeviceBuffer&& other) noexcept { swap(other); }
  DeviceBuffer& operator=(DeviceBuffer&& other) noexcept {
    swap(other);
    return *this;
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;

  T* data() const { return data_; }
  std::size_t size() const { return count_; }

 private:
  void swap(DeviceBuffer& other) noexcept {
    std::swap(memory_, other.memory_);
    std::swap(stream_, other.stream_);
    std::swap(count_, other.count_);
    std::swap(data_, other.data_);
  }
  DeviceMemory* memory_ = nullptr;
  void* stream_ = nullptr;
  std::size_t count_ = 0;
  T* data_ = nullptr;
};

// The job's arrays on the device, uploaded once per run, and the views the stages read.
struct DevicePlan {
  DeviceBuffer<double> open, low, high, close, opened, long_share, mantissa, min_low, max_high,
      tier_leverage, tier_weight, edges, step_factor, price_kernel, time_kernel;
  DeviceBuffer<Index> exponent, wipes, active;
  DeviceBuffer<model::ExchangeParams> exchanges;
  DeviceBuffer<model::BracketRow> brackets;
  DeviceBuffer<std::size_t> column_step;
  model::ScatterInputs scatter{};         // device pointers; delta and slice set per stage
  model::RecurrenceInputs recurrence{};  // device pointers
};

template <class System, class T>
DeviceBuffer<T> upload(System& system, DeviceMemory& memory, const T* host, std::size_t count) {
  DeviceBuffer<T> buffer(memory, system.stream(), count);
  if (count > 0) system.upload(buffer.data(), host, count * sizeof(T));
  return buffer;
}

// The one place that wires device pointers into the shared math's inputs.
template <class System>
DevicePlan upload_plan(const DeviceJob& job, System& system, DeviceMemory& memory) {
  const model::ScatterInputs& host = job.scatter;
  const std::size_t steps = std::size_t(host.steps), tables = std::size_t(host.levels) * steps;
  DevicePlan plan;
  plan.open = upload(system, memory, host.open, steps);
  plan.low = upload(system, memory, host.low, steps);
  plan.high = upload(system, memory, host.high, steps);
  plan.close = upload(system, memory, host.close, steps);
  plan.opened = upload(system, memory, host.opened_usd, steps);
  plan.long_share = upload(system, memory, host.long_share, steps);
  plan.mantissa = upload(system, memory, host.survival_mantissa, steps);
  plan.exponent = upload(system, memory, host.survival_exponent, steps);
  plan.wipes = upload(system, memory, host.survival_wipes, steps);
  plan.min_low = upload(system, memory, host.min_low, tables);
  plan.max_high = upload(system, memory, host.max_high, tables);
  plan.tier_leverage = upload(system, memory, host.tier_leverage, std::size_t(host.tier_count));
  plan.tier_weight = upload(system, memory, host.tier_weight, std::size_t(host.tier_count));
  plan.exchanges = upload(system, memory, host.exchanges, std::size_t(host.exchange_count));
  plan.brackets = upload(system, memory, host.brackets, job.bracket_count);
  plan.edges = upload(system, memory, host.edges, std::size_t(host.bins) + 1);
  plan.active = upload(system, memory, job.active_steps.data(), job.active_steps.size());
  plan.step_factor = upload(system, memory, job.recurrence.step_factor, steps);
  plan.column_step = upload(system, memory, job.recurrence.column_step, std::size_t(job.recurrence.columns));
  plan.price_kernel = upload(system, memory, job.price_kernel.data(), job.price_kernel.size());
  plan.time_kernel = upload(system, memory, job.time_kernel.data(), job.time_kernel.size());

  model::ScatterInputs& in = plan.scatter;
  in = host;
  in.open = plan.open.data();
  in.low = plan.low.data(); in.high = plan.high.data(); in.close = plan.close.data();
  in.opened_usd = plan.opened.data(); in.long_share = plan.long_share.data();
  in.survival_mantissa = plan.mantissa.data(); in.survival_exponent = plan.exponent.data();
  in.survival_wipes = plan.wipes.data();
  in.min_low = plan.min_low.data(); in.max_high = plan.max_high.data();
  in.tier_leverage = plan.tier_leverage.data(); in.tier_weight = plan.tier_weight.data();
  in.exchanges = plan.exchanges.data(); in.brackets = plan.brackets.data();
  in.edges = plan.edges.data();
  in.delta = nullptr; in.liquidated = nullptr;
  plan.recurrence = job.recurrence;
  plan.recurrence.step_factor = plan.step_factor.data();
  plan.recurrence.column_step = plan.column_step.data();
  return plan;
}

std::string mib(std::size_t bytes) {
  return bytes < (std::size_t(1) << 20) ? std::to_string(bytes >> 10) + " KiB"
                                        : std::to_string(bytes >> 20) + " MiB";
}

// The number of bins per slice: all of them when they fit with the smoothing on the device,
// else the most that fit without it (the host smooths the assembled grid: the Gaussian over
// price needs neighbouring slices).
Index bins_per_slice(const DeviceJob& job, std::size_t budget, bool& smooth_on_device) {
  const Index bins = job.scatter.bins;
  smooth_on_device = device_bytes_needed(job, bins, true) <= budget;
  if (smooth_on_device) return bins;
  const std::size_t fixed = device_bytes_needed(job, 0, false);
  const std::size_t per_bin = device_bytes_needed(job, 1, false) - fixed;
  const Index fit = budget > fixed ? Index((budget - fixed) / per_bin) : 0;
  if (fit < 1)
    throw Error(ErrorCode::out_of_memory,
                "device memory: the run needs " + mib(device_bytes_needed(job, 1, false)) +
                    " for one price bin at a time (" + mib(device_bytes_needed(job, bins, true)) +
                    " for the whole grid) and " + mib(budget) +
                    " is available; use fewer steps or grid.time_group");
  return std::min(fit, bins);
}

// Before each stage of each slice: the run's progress, and the place a cancel takes effect.
void checkpoint(const DeviceJob& job, const char* stage, Slice slice, Index bins, double stage_start) {
  if (!job.control) return;
  const double per_slice = detail::progress_at::smooth_price - detail::progress_at::scatter_deltas;
  job.control->checkpoint(stage, std::max(stage_start, detail::progress_at::scatter_deltas +
                                                           per_slice * double(slice.first) / double(bins)));
}

// The slice's [side][step][bin] deltas into the host's [side][bin][step], transposed on the
// host (tests only).
template <class System>
void download_delta(System& system, const Index* delta, Slice slice, Index bins, Index steps, Index* host) {
  std::vector<Index> cells(std::size_t(2 * steps * slice.count));
  system.download(cells.data(), delta, cells.size() * sizeof(Index));
  for (Index side = 0; side < 2; ++side)
    for (Index t = 0; t < steps; ++t)
      for (Index b = 0; b < slice.count; ++b)
        host[(side * bins + slice.first + b) * steps + t] = cells[(side * steps + t) * slice.count + b];
}

template <class System>
DeviceResult run_pipeline(const DeviceJob& job, System& system) {
  DeviceResult result;
  detail::StageClock clock(result.stages);
  const auto sync = [&system] { system.synchronize(); };
  const Index steps = job.scatter.steps, bins = job.scatter.bins, columns = job.recurrence.columns;
  DeviceMemory& memory = job.memory ? *job.memory : system.memory();
  void* const stream = system.stream();

  // Leave a tenth of the free memory to Thrust's temporaries (the reduction's).
  const std::size_t budget =
      job.memory_limit_bytes ? job.memory_limit_bytes : system.free_bytes() / 10 * 9;
  bool smooth_on_device = false;
  const Index slice_bins = bins_per_slice(job, budget, smooth_on_device);
  result.slices = int((bins + slice_bins - 1) / slice_bins);

  checkpoint(job, "upload", Slice{0, slice_bins}, bins, detail::progress_at::passage_tables);
  const DevicePlan plan = upload_plan(job, system, memory);
  const std::size_t grid_cells = std::size_t(2 * slice_bins * columns);
  DeviceBuffer<Index> liquidated(memory, stream, 2 * std::size_t(steps));
  DeviceBuffer<Index> other_slices_liquidated(memory, stream, result.slices > 1 ? 2 * std::size_t(steps) : 0);
  DeviceBuffer<Index> delta(memory, stream, 2 * std::size_t(slice_bins * steps));
  DeviceBuffer<double> grid(memory, stream, grid_cells), bin_major(memory, stream, grid_cells);
  DeviceBuffer<double> by_price(memory, stream, smooth_on_device ? grid_cells : 0);
  DeviceBuffer<model::RecurrenceState> states(memory, stream, job.recurrence_threads + 2 * std::size_t(slice_bins));
  DeviceBuffer<double> chunk_survival(memory, stream, std::min<std::size_t>(steps, job.recurrence_threads));
  thrust::fill(system.policy(), liquidated.data(), liquidated.data() + liquidated.size(), Index(0));
  const RecurrenceScratch scratch{states.data(), chunk_survival.data(), Index(job.recurrence_threads)};

  for (int s = 0; s < 2; ++s) {
    result.raw[s] = Grid::uninitialized(bins, columns);
    if (smooth_on_device) result.smooth[s] = Grid::uninitialized(bins, columns);
  }
  double* const raw_sides[2] = {result.raw[0].data.data(), result.raw[1].data.data()};
  double* const smooth_sides[2] = {result.smooth[0].data.data(), result.smooth[1].data.data()};
  if (job.keep_delta) result.delta.resize(2 * std::size_t(bins) * steps);
  result.liquidated_fixed.resize(2 * steps);
  clock.lap("upload", sync);

  const Index samples = Index(job.active_steps.size()) * job.scatter.samples_per_step;
  const Index price_radius = Index(job.price_kernel.size() / 2), time_radius = Index(job.time_kernel.size() / 2);
  for (Index first = 0; first < bins; first += slice_bins) {
    const Slice slice{first, std::min(slice_bins, bins - first)};
    // Every slice draws every position again but writes only its own bins; R and the totals
    // are taken from the first slice.
    checkpoint(job, "scatter_deltas", slice, bins, detail::progress_at::scatter_deltas);
    const model::ScatterTotals totals = scatter_deltas(
        system, plan.scatter, plan.active.data(), samples, slice, delta.data(),
        first == 0 ? liquidated.data() : other_slices_liquidated.data());
    if (first == 0) result.totals = totals;
    clock.lap("scatter_deltas", sync);

    checkpoint(job, "survival_recurrence", slice, bins, detail::progress_at::scatter_deltas);
    survival_recurrence(system, plan.recurrence, slice, delta.data(), grid.data(), scratch);
    clock.lap("survival_recurrence", sync);

    checkpoint(job, "download", slice, bins, detail::progress_at::scatter_deltas);
    to_bin_major(system, grid.data(), bin_major.data(), slice, columns);
    clock.lap("to_bin_major", sync);
    download(system, bin_major.data(), slice, columns, raw_sides);
    if (job.keep_delta) download_delta(system, delta.data(), slice, bins, steps, result.delta.data());
    clock.lap("download", sync);

    if (!smooth_on_device) continue;
    // The raw grid is on the host now: each pass writes the buffer it does not read.
    const double* smoothed = grid.data();
    if (price_radius > 0) {
      checkpoint(job, "smooth_price", slice, bins, detail::progress_at::smooth_price);
      smooth_price(system, smoothed, by_price.data(), slice, columns, plan.price_kernel.data(), price_radius);
      smoothed = by_price.data();
      clock.lap("smooth_price", sync);
    }
    if (time_radius > 0) {
      checkpoint(job, "smooth_time", slice, bins, detail::progress_at::smooth_time);
      double* target = smoothed == grid.data() ? by_price.data() : grid.data();
      smooth_time(system, smoothed, target, slice, columns, plan.time_kernel.data(), time_radius);
      smoothed = target;
      clock.lap("smooth_time", sync);
    }
    to_bin_major(system, smoothed, bin_major.data(), slice, columns);
    clock.lap("to_bin_major", sync);
    download(system, bin_major.data(), slice, columns, smooth_sides);
    clock.lap("download", sync);
  }
  system.download(result.liquidated_fixed.data(), liquidated.data(), liquidated.size() * sizeof(Index));
  clock.lap("download", sync);
  return result;
}

}  // namespace
}  // namespace liqmap::device
