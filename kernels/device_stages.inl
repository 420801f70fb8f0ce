// The device pipeline's stages, each a Thrust algorithm over an index range whose functor calls
// the shared math (scatter.hpp, recurrence.hpp, gaussian.hpp), so the arithmetic is the CPU
// backend's, operation for operation. Included by device_pipeline.inl, once per device system.
//
// Layout on the device: time-major, [side][step][bin] for the deltas and [side][column][bin]
// for the grids. One thread per price bin runs the recurrence over time; neighbouring threads
// then touch neighbouring addresses at every step (coalesced), and the smoothing over price
// reads contiguous bins. to_bin_major turns them into the host's [side][bin][column].
#pragma once

#include <thrust/fill.h>
#include <thrust/for_each.h>
#include <thrust/iterator/counting_iterator.h>
#include <thrust/transform.h>
#include <thrust/transform_reduce.h>

#include <algorithm>
#include <cstdint>

#include "gaussian.hpp"
#include "recurrence.hpp"
#include "sample_index.hpp"
#include "scatter.hpp"

namespace liqmap::device {
namespace {  // each system's copy stays private to its translation unit

using Index = std::int64_t;

// A slice of price bins: the device holds `count` bins from `first` at a time.
struct Slice {
  Index first, count;
};

struct ScatterSamples {
  model::ScatterInputs in;
  const Index* active_steps;

  LIQMAP_HD model::ScatterTotals operator()(Index sample) const {
    model::ScatterTotals totals;
    model::scatter_numbered_sample(in, active_steps, sample, totals);
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

// Every position's deltas into this slice's bins (zeroed first: they accumulate), and R into
// `liquidated` (the caller zeroes it once). Returns the totals of all positions.
template <class System>
model::ScatterTotals scatter_deltas(System& system, model::ScatterInputs in, const Index* active,
                                    Index samples, Slice slice, Index* delta, Index* liquidated) {
  thrust::fill(system.policy(), delta, delta + 2 * slice.count * in.steps, Index(0));
  in.delta = delta;
  in.bin_stride = 1;
  in.step_stride = slice.count;
  in.bin_first = int(slice.first);
  in.bin_count = int(slice.count);
  in.liquidated = liquidated;
  const thrust::counting_iterator<Index> zero(0);
  return thrust::transform_reduce(system.policy(), zero, zero + samples, ScatterSamples{in, active},
                                  model::ScatterTotals{}, AddTotals{});
}

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

// Scratch of the chunked recurrence: a state per (chunk, row) and prod(g) per chunk.
struct RecurrenceScratch {
  model::RecurrenceState* states;
  double* chunk_survival;
  Index threads;  // about how many (chunk, row) cells to run at once
};

template <class System>
void survival_recurrence(System& system, const model::RecurrenceInputs& in, Slice slice,
                         const Index* delta, double* grid, const RecurrenceScratch& scratch) {
  const Index rows = 2 * slice.count, steps = in.steps;
  const Index chunk_length = std::max<Index>(1, (steps * rows + scratch.threads - 1) / scratch.threads);
  const Index chunk_count = (steps + chunk_length - 1) / chunk_length;
  const RecurrenceChunks chunks{in, delta, grid, slice.count, chunk_length};
  const thrust::counting_iterator<Index> zero(0);
  thrust::transform(system.policy(), zero, zero + rows * chunk_count, scratch.states,
                    SurvivalRecurrenceFromZero{chunks});
  thrust::transform(system.policy(), zero, zero + chunk_count, scratch.chunk_survival,
                    ChunkSurvival{in.step_factor, steps, chunk_length});
  thrust::for_each(system.policy(), zero, zero + rows,
                   CarryAcrossChunks{scratch.states, scratch.chunk_survival, rows, chunk_count});
  thrust::for_each(system.policy(), zero, zero + rows * chunk_count,
                   SurvivalRecurrenceFromCarry{chunks, scratch.states});
}

// Cell i of [side][column][bin] smoothed over bins (contiguous) or over columns (bins apart).
struct SmoothPrice {
  const double* grid;
  const double* kernel;
  Index radius, bins;
  LIQMAP_HD double operator()(Index i) const {
    return model::smooth_cell(grid + i, 1, i % bins, bins, kernel, radius);
  }
};

struct SmoothTime {
  const double* grid;
  const double* kernel;
  Index radius, bins, columns;
  LIQMAP_HD double operator()(Index i) const {
    return model::smooth_cell(grid + i, bins, (i / bins) % columns, columns, kernel, radius);
  }
};

template <class System>
void smooth_price(System& system, const double* grid, double* out, Slice slice, Index columns,
                  const double* kernel, Index radius) {
  const thrust::counting_iterator<Index> zero(0);
  thrust::transform(system.policy(), zero, zero + 2 * slice.count * columns, out,
                    SmoothPrice{grid, kernel, radius, slice.count});
}

template <class System>
void smooth_time(System& system, const double* grid, double* out, Slice slice, Index columns,
                 const double* kernel, Index radius) {
  const thrust::counting_iterator<Index> zero(0);
  thrust::transform(system.policy(), zero, zero + 2 * slice.count * columns, out,
                    SmoothTime{grid, kernel, radius, slice.count, columns});
}

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

template <class System, class T>
void to_bin_major(System& system, const T* source, T* out, Slice slice, Index inner) {
  const thrust::counting_iterator<Index> zero(0);
  thrust::transform(system.policy(), zero, zero + 2 * slice.count * inner, out,
                    TransposeToBinMajor<T>{source, slice.count, inner});
}

// Rows [first, first + count) of both sides from the device's bin-major slice into the host's
// arrays (one per side, `inner` values per bin).
template <class System, class T>
void download(System& system, const T* bin_major, Slice slice, Index inner, T* const host_sides[2]) {
  for (Index side = 0; side < 2; ++side)
    system.download(host_sides[side] + slice.first * inner, bin_major + side * slice.count * inner,
                    std::size_t(slice.count * inner) * sizeof(T));
}

}  // namespace
}  // namespace liqmap::device
