// The device pipeline's plain interface: the plan's arrays in (host pointers and sizes), the
// grids out (host grids). Nothing heavier than the standard library and the shared math, so
// nvcc compiles it quickly and the host side (plan, config, JSON) stays out of .cu files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "device_memory.hpp"
#include "liqmap/result.hpp"
#include "recurrence.hpp"
#include "run_control.hpp"
#include "scatter.hpp"

namespace liqmap::device {

struct DeviceJob {
  // Host pointers of every array the scatter reads; its delta, liquidated, strides and slice
  // fields are set by the pipeline.
  model::ScatterInputs scatter{};
  std::size_t bracket_count = 0;
  std::vector<std::int64_t> active_steps;  // steps with N_t > 0, increasing
  model::RecurrenceInputs recurrence{};    // host pointers
  std::vector<double> price_kernel, time_kernel;  // Gaussian weights; {1} when off
  // Device memory the pipeline may use; 0 means what the device reports free. A grid that
  // does not fit is processed in slices of price bins (tests set a small limit to force it).
  std::size_t memory_limit_bytes = 0;
  bool keep_delta = false;  // return the delta grid too (tests compare it with the CPU's)
  // About how many threads the recurrence runs (rows x chunks of steps): enough to keep an
  // H100's 132 SMs busy while each waits on memory. Tests vary it to vary the chunks.
  std::size_t recurrence_threads = std::size_t(1) << 18;
  const detail::RunControl* control = nullptr;  // polled before each stage of each slice
  DeviceMemory* memory = nullptr;               // null: the system's own, allocated per run
};

struct DeviceResult {
  Grid raw[2];     // [side] bins x columns
  Grid smooth[2];  // empty when sliced: the host then smooths
  std::vector<std::int64_t> liquidated_fixed;  // [side][step]
  model::ScatterTotals totals;
  std::vector<StageTime> stages;    // seconds, device synchronised
  std::vector<std::int64_t> delta;  // [side][bin][step] when keep_delta
  int slices = 0;
};

// Bytes the pipeline needs on the device with `bins_per_slice` bins at a time: the inputs,
// plus per bin the delta rows (both sides, every step) and the output grids (every column).
inline std::size_t device_bytes_needed(const DeviceJob& job, std::int64_t bins_per_slice,
                                       bool smooth_on_device) {
  const model::ScatterInputs& in = job.scatter;
  const std::size_t steps = std::size_t(in.steps);
  const std::size_t columns = std::size_t(job.recurrence.columns);
  const std::size_t inputs = steps * 9 * 8 + std::size_t(in.levels) * steps * 16 +
                             std::size_t(in.tier_count) * 16 +
                             std::size_t(in.exchange_count) * sizeof(model::ExchangeParams) +
                             job.bracket_count * sizeof(model::BracketRow) +
                             std::size_t(in.bins + 1) * 8 + columns * 8 +
                             job.active_steps.size() * 8 + 2 * (2 * steps * 8) +
                             job.recurrence_threads * 8 * 3;  // recurrence chunks
  const std::size_t grids = smooth_on_device ? 3 : 2;  // recurrence, transposed (+ smoothing)
  const std::size_t per_bin = 2 * steps * 8 + grids * 2 * columns * 8 +
                              2 * sizeof(model::RecurrenceState);
  return inputs + std::size_t(bins_per_slice) * per_bin;
}

// The same pipeline source (device_pipeline.inl) for two Thrust device systems.
DeviceResult run_pipeline_omp(const DeviceJob& job);
DeviceResult run_pipeline_cuda(const DeviceJob& job);

// The systems' own memory (what a pooling DeviceMemory draws from).
DeviceMemory& omp_default_memory();
DeviceMemory& cuda_default_memory();

// CUDA devices: whether one is usable (else why not, with CUDA's text), and their description.
bool cuda_usable(std::string& reason);
std::vector<std::string> cuda_device_descriptions();

}  // namespace liqmap::device
