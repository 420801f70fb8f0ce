// The device pipeline, written once over Thrust and compiled for two device systems:
// cuda_pipeline.cu (nvcc, CUDA) and omp_pipeline.cpp (g++, THRUST_DEVICE_SYSTEM_OMP), so the
// logic the GPU runs is tested on every machine. The includer defines a System with
//   policy()      the execution policy (a stream of its own on CUDA),
//   synchronize() waits for the work queued so far (stage times are measured after it),
//   free_bytes()  device memory free now.
// Every stage is a Thrust algorithm over an index range whose functor calls the shared math
// (scatter.hpp, recurrence.hpp), so the arithmetic is the CPU backend's, operation for operation.
//
// Layout on the device: time-major, [side][step][bin] for the deltas and [side][column][bin]
// for the grids. One thread per price bin runs the recurrence over time; neighbouring threads
// then touch neighbouring addresses at every step (coalesced), and the smoothing over price
// reads contiguous bins. The grids are transposed to the host's [side][bin][column] at the end.
#pragma once

#include <thrust/copy.h>
#include <thrust/device_vector.h>
#include <thrust/fill.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform.h>
#include <thrust/transform_reduce.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>

#include "device_pipeline.hpp"
#include "liqmap/error.hpp"

namespace liqmap::device {
namespace {  // each system's copy stays private to its translation unit

using Index = std::int64_t;
using Clock = std::chrono::steady_clock;


struct ScatterSamples {
  model::ScatterInputs in;
  const Index* active_steps;
  std::uint32_t samples_per_step;

  LIQMAP_HD model::ScatterTotals operator()(Index sample) const {
    model::ScatterTotals totals;
    model::scatter_sample(in, active_steps[sample / samples_per_step],
                          static_cast<std::uint32_t>(sample % samples_per_step), totals);
    return totals;
  }
};

struct AddTotals {
  LIQMAP_HD model::ScatterTotals operator()(model::ScatterTotals a,
                                            const model::ScatterTotals& b) const {
    a.add(b);
    return a;
  }
};

// The recurrence in chunks of steps, so that there are enough threads to hide the memory's
// latency (one per row would be 4,096 threads for 2,048 bins): (1) every (chunk, row) runs its
// steps from zero; (2) every row carries the state across its chunks, H_end = H_start *
// prod(g) + H_from_zero (exact integers when survival is constant); (3) every (chunk, row)
// runs again from its carried state and writes its columns. Cell i of a pass is chunk
// i / rows, row i % rows: neighbouring threads take neighbouring bins (coalesced). Rows are
// (side, bin) of a slice of `bins` bins, laid out [side][step][bin].
struct RecurrenceChunks {
  model::RecurrenceInputs in;
  const Index* delta;
  double* grid;  // [side][column][bin]
  Index bins, chunk_length;

  LIQMAP_HD model::RecurrenceState run(Index i, model::RecurrenceState from, bool write) const {
    const Index rows = 2 * bins, chunk = i / rows, row = i % rows;
    const Index side = row / bins, bin = row % bins;
    const Index begin = chunk * chunk_length;
    const Index end = begin + chunk_length < in.steps ? begin + chunk_length : in.steps;
    return model::survival_recurrence_steps(in, delta + side * bins * in.steps + bin, bins,
                                            write ? grid + side * bins * in.columns + bin : nullptr,
                                            bins, begin, end, from);
  }
};

struct SurvivalRecurrenceFromZero {
  RecurrenceChunks chunks;
  LIQMAP_HD model::RecurrenceState operator()(Index i) const {
    return chunks.run(i, model::RecurrenceState{0, 0.0}, false);
  }
};

// prod(g) over each chunk's steps.
struct ChunkSurvival {
  const double* step_factor;
  Index steps, chunk_length;
  LIQMAP_HD double operator()(Index chunk) const {
    double product = 1;
    const Index end = (chunk + 1) * chunk_length < steps ? (chunk + 1) * chunk_length : steps;
    for (Index t = chunk * chunk_length; t < end; ++t) product *= step_factor[t];
    return product;
  }
};

// Turns each (chunk, row)'s from-zero state into the state entering it, in place.
struct CarryAcrossChunks {
  model::RecurrenceState* states;
  const double* chunk_survival;
  Index rows, chunk_count;
  LIQMAP_HD void operator()(Index row) const {
    model::RecurrenceState carry{0, 0.0};
    for (Index chunk = 0; chunk < chunk_count; ++chunk) {
      const model::RecurrenceState from_zero = states[chunk * rows + row];
      states[chunk * rows + row] = carry;
      carry.running += from_zero.running;
      carry.h = carry.h * chunk_survival[chunk] + from_zero.h;
    }
  }
};

struct SurvivalRecurrenceFromCarry {
  RecurrenceChunks chunks;
  const model::RecurrenceState* states;
  LIQMAP_HD void operator()(Index i) const { chunks.run(i, states[i], true); }
};

// MODEL.md section 5's Gaussian over price bins, in the CPU's order of summation
// (smoothing.cpp), so both backends round alike. Cell i of [side][column][bin].
struct SmoothPriceAxis {
  const double* grid;
  const double* kernel;
  int radius;
  Index bins;

  LIQMAP_HD double operator()(Index i) const {
    const Index bin = i % bins;
    const double* row = grid + (i - bin);
    double sum = 0;
    for (int j = -radius; j <= radius; ++j) {
      const Index b = bin + j;
      if (b < 0 || b >= bins) continue;
      sum += kernel[j + radius] * row[b];
    }
    return sum;
  }
};

struct SmoothTimeAxis {
  const double* grid;
  const double* kernel;
  Index radius;
  Index bins, columns;

  LIQMAP_HD double operator()(Index i) const {
    const Index plane = bins * columns;
    const Index side = i / plane, column = (i % plane) / bins, bin = i % bins;
    const Index first = column < radius ? -column : -radius;
    const Index last = columns - 1 - column < radius ? columns - 1 - column : radius;
    double sum = 0;
    for (Index j = first; j <= last; ++j)
      sum += kernel[j + radius] * grid[side * plane + (column + j) * bins + bin];
    return sum;
  }
};

// [side][inner][bin] -> [side][bin][inner], as a gather: the writes are coalesced.
template <class T>
struct TransposeToBinMajor {
  const T* source;
  Index bins, inner;

  LIQMAP_HD T operator()(Index i) const {
    const Index plane = bins * inner;
    const Index side = i / plane, bin = (i % plane) / inner, k = i % inner;
    return source[side * plane + k * bins + bin];
  }
};

template <class T>
thrust::device_vector<T> to_device(const T* host, std::size_t count) {
  return thrust::device_vector<T>(host, host + count);
}

template <class T>
T* raw(thrust::device_vector<T>& v) {
  return thrust::raw_pointer_cast(v.data());
}

template <class T>
const T* raw(const thrust::device_vector<T>& v) {
  return thrust::raw_pointer_cast(v.data());
}

class StageClock {
 public:
  explicit StageClock(DeviceResult& result) : result_(result), start_(Clock::now()) {}

  // Adds the time since the last lap to `stage` (summed over slices).
  template <class System>
  void lap(System& system, const char* stage) {
    system.synchronize();
    const auto now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - start_).count();
    start_ = now;
    for (auto& entry : result_.stages)
      if (entry.first == stage) {
        entry.second += seconds;
        return;
      }
    result_.stages.emplace_back(stage, seconds);
  }

 private:
  DeviceResult& result_;
  Clock::time_point start_;
};

// Copies rows [first, first + count) of both sides from the device's bin-major slice into the
// host's full [side][bin][inner] array.
template <class T>
void copy_rows_to_host(const thrust::device_vector<T>& slice, Index count, Index first,
                       Index inner, Index bins, std::vector<T>* host_sides, bool one_array) {
  for (Index side = 0; side < 2; ++side) {
    const auto from = slice.begin() + side * count * inner;
    T* to = one_array ? host_sides->data() + (side * bins + first) * inner
                      : host_sides[side].data() + first * inner;
    thrust::copy(from, from + count * inner, to);
  }
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

template <class System>
DeviceResult run_pipeline(const DeviceJob& job, System& system) {
  DeviceResult result;
  StageClock clock(result);
  const model::ScatterInputs& host = job.scatter;
  const Index steps = host.steps, bins = host.bins, columns = job.recurrence.columns;
  const std::size_t levels_x_steps = std::size_t(host.levels) * std::size_t(steps);

  // Leave a tenth of the free memory to Thrust's temporaries (the reduction, the allocator).
  const std::size_t budget =
      job.memory_limit_bytes ? job.memory_limit_bytes : system.free_bytes() / 10 * 9;
  bool smooth_on_device = false;
  const Index slice = bins_per_slice(job, budget, smooth_on_device);
  result.slices = int((bins + slice - 1) / slice);

  const auto low = to_device(host.low, steps), high = to_device(host.high, steps);
  const auto close = to_device(host.close, steps), opened = to_device(host.opened_usd, steps);
  const auto open = to_device(host.open, steps);
  const auto long_share = to_device(host.long_share, steps);
  const auto mantissa = to_device(host.survival_mantissa, steps);
  const auto exponent = to_device(host.survival_exponent, steps);
  const auto wipes = to_device(host.survival_wipes, steps);
  const auto min_low = to_device(host.min_low, levels_x_steps);
  const auto max_high = to_device(host.max_high, levels_x_steps);
  const auto tier_leverage = to_device(host.tier_leverage, host.tier_count);
  const auto tier_weight = to_device(host.tier_weight, host.tier_count);
  const auto exchanges = to_device(host.exchanges, host.exchange_count);
  const auto brackets = to_device(host.brackets, job.bracket_count);
  const auto edges = to_device(host.edges, std::size_t(bins) + 1);
  const auto active = to_device(job.active_steps.data(), job.active_steps.size());
  const auto step_factor = to_device(job.recurrence.step_factor, steps);
  const auto column_step = to_device(job.recurrence.column_step, columns);
  const auto price_kernel = to_device(job.price_kernel.data(), job.price_kernel.size());
  const auto time_kernel = to_device(job.time_kernel.data(), job.time_kernel.size());
  thrust::device_vector<Index> liquidated(2 * steps, 0);
  thrust::device_vector<Index> other_slices_liquidated(result.slices > 1 ? 2 * steps : 0);
  thrust::device_vector<Index> delta(2 * slice * steps);
  thrust::device_vector<double> grid(2 * slice * columns), bin_major(2 * slice * columns);
  thrust::device_vector<double> by_price(smooth_on_device ? 2 * slice * columns : 0);
  thrust::device_vector<Index> delta_bin_major(job.keep_delta ? 2 * slice * steps : 0);
  thrust::device_vector<model::RecurrenceState> states(Index(job.recurrence_threads) + 2 * slice);
  thrust::device_vector<double> chunk_survival(std::min<Index>(steps, Index(job.recurrence_threads)));

  model::ScatterInputs in = host;
  in.open = raw(open);
  in.low = raw(low); in.high = raw(high); in.close = raw(close); in.opened_usd = raw(opened);
  in.long_share = raw(long_share);
  in.survival_mantissa = raw(mantissa); in.survival_exponent = raw(exponent);
  in.survival_wipes = raw(wipes);
  in.min_low = raw(min_low); in.max_high = raw(max_high);
  in.tier_leverage = raw(tier_leverage); in.tier_weight = raw(tier_weight);
  in.exchanges = raw(exchanges); in.brackets = raw(brackets); in.edges = raw(edges);
  in.bin_stride = 1;
  model::RecurrenceInputs recurrence = job.recurrence;
  recurrence.step_factor = raw(step_factor);
  recurrence.column_step = raw(column_step);

  for (int s = 0; s < 2; ++s) result.raw[s].resize(std::size_t(bins) * columns);
  if (smooth_on_device)
    for (int s = 0; s < 2; ++s) result.smooth[s].resize(std::size_t(bins) * columns);
  if (job.keep_delta) result.delta.resize(2 * std::size_t(bins) * steps);
  result.liquidated_fixed.resize(2 * steps);
  clock.lap(system, "upload");

  const Index samples = Index(job.active_steps.size()) * host.samples_per_step;
  const thrust::counting_iterator<Index> zero(0);
  for (Index first = 0; first < bins; first += slice) {
    const Index count = std::min(slice, bins - first);
    const Index cells = 2 * count * columns;
    in.delta = raw(delta);
    in.step_stride = count;
    in.bin_first = int(first);
    in.bin_count = int(count);
    // Every slice draws every position again but writes only its own bins; R and the totals
    // are taken from the first slice.
    in.liquidated = first == 0 ? raw(liquidated) : raw(other_slices_liquidated);
    thrust::fill(system.policy(), delta.begin(), delta.begin() + 2 * count * steps, Index(0));
    const model::ScatterTotals totals =
        thrust::transform_reduce(system.policy(), zero, zero + samples,
                                 ScatterSamples{in, raw(active), host.samples_per_step},
                                 model::ScatterTotals{}, AddTotals{});
    if (first == 0) result.totals = totals;
    clock.lap(system, "scatter");

    const Index rows = 2 * count;
    const Index threads = Index(job.recurrence_threads);
    const Index chunk_length = std::max<Index>(1, (steps * rows + threads - 1) / threads);
    const Index chunk_count = (steps + chunk_length - 1) / chunk_length;
    const RecurrenceChunks chunks{recurrence, raw(delta), raw(grid), count, chunk_length};
    thrust::transform(system.policy(), zero, zero + rows * chunk_count, states.begin(),
                      SurvivalRecurrenceFromZero{chunks});
    thrust::transform(system.policy(), zero, zero + chunk_count, chunk_survival.begin(),
                      ChunkSurvival{raw(step_factor), steps, chunk_length});
    thrust::for_each(system.policy(), zero, zero + rows,
                     CarryAcrossChunks{raw(states), raw(chunk_survival), rows, chunk_count});
    thrust::for_each(system.policy(), zero, zero + rows * chunk_count,
                     SurvivalRecurrenceFromCarry{chunks, raw(states)});
    clock.lap(system, "recurrence");

    thrust::transform(system.policy(), zero, zero + cells, bin_major.begin(),
                      TransposeToBinMajor<double>{raw(grid), count, columns});
    copy_rows_to_host(bin_major, count, first, columns, bins, result.raw, false);
    clock.lap(system, "download");

    if (smooth_on_device) {  // the raw grid is on the host now: its buffer takes a pass's output
      // Each pass writes the buffer it does not read: grid -> by_price -> grid.
      thrust::device_vector<double>* smoothed = &grid;
      if (job.price_kernel.size() > 1) {
        thrust::transform(system.policy(), zero, zero + cells, by_price.begin(),
                          SmoothPriceAxis{raw(grid), raw(price_kernel),
                                          int(job.price_kernel.size() / 2), count});
        smoothed = &by_price;
      }
      if (job.time_kernel.size() > 1) {
        thrust::device_vector<double>* target = smoothed == &grid ? &by_price : &grid;
        thrust::transform(system.policy(), zero, zero + cells, target->begin(),
                          SmoothTimeAxis{raw(*smoothed), raw(time_kernel),
                                         Index(job.time_kernel.size() / 2), count, columns});
        smoothed = target;
      }
      thrust::transform(system.policy(), zero, zero + cells, bin_major.begin(),
                        TransposeToBinMajor<double>{raw(*smoothed), count, columns});
      clock.lap(system, "smoothing");
      copy_rows_to_host(bin_major, count, first, columns, bins, result.smooth, false);
      clock.lap(system, "download");
    }
    if (job.keep_delta) {
      thrust::transform(system.policy(), zero, zero + 2 * count * steps, delta_bin_major.begin(),
                        TransposeToBinMajor<Index>{raw(delta), count, steps});
      copy_rows_to_host(delta_bin_major, count, first, steps, bins, &result.delta, true);
    }
    clock.lap(system, "download");
  }
  thrust::copy(liquidated.begin(), liquidated.end(), result.liquidated_fixed.begin());
  clock.lap(system, "download");
  return result;
}

}  // namespace
}  // namespace liqmap::device
