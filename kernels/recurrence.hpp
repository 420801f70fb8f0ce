// The time recurrence of one price row (MODEL.md section 5): H_t = H_{t-1} * g_t + delta_t,
// keeping the state at each column's step. Shared by the CPU backend and the device pipeline,
// which differ only in how a row's cells are laid out (the strides).
#pragma once

#include <cstddef>
#include <cstdint>

#include "model_math.hpp"

namespace liqmap::model {

struct RecurrenceInputs {
  std::int64_t steps;
  std::int64_t columns;
  const std::size_t* column_step;  // the step each column shows, increasing
  const double* step_factor;       // g_t
  bool survival_is_constant;       // every g_t == 1
  double unit;                     // 1 / fixed_scale, a power of two
};

// The recurrence's state between two steps: the integer running sum when survival is constant
// (exact), else H.
struct RecurrenceState {
  std::int64_t running;
  double h;
};

// Runs steps [begin, end) from `state`, writing the columns whose step lies in that range
// (unless `out` is null), and returns the state after the last step. The whole row at once on
// the CPU; in chunks of steps on the device, where one thread per row would be too few.
LIQMAP_HD RecurrenceState survival_recurrence_steps(const RecurrenceInputs& in,
                                                    const std::int64_t* delta,
                                                    std::int64_t delta_stride, double* out,
                                                    std::int64_t out_stride, std::int64_t begin,
                                                    std::int64_t end, RecurrenceState state) {
  std::int64_t column = 0, past = in.columns;  // the first column at or after `begin`
  while (column < past) {
    const std::int64_t mid = (column + past) / 2;
    if (in.column_step[mid] < std::size_t(begin)) column = mid + 1; else past = mid;
  }
  std::size_t next_column_step = column < in.columns ? in.column_step[column] : ~std::size_t(0);
  if (in.survival_is_constant) {
    for (std::int64_t t = begin; t < end; ++t) {
      state.running += delta[t * delta_stride];
      if (std::size_t(t) == next_column_step) {
        if (out) out[column * out_stride] = double(state.running) * in.unit;
        ++column;
        next_column_step = column < in.columns ? in.column_step[column] : ~std::size_t(0);
      }
    }
    return state;
  }
  for (std::int64_t t = begin; t < end; ++t) {
    state.h = state.h * in.step_factor[t] + double(delta[t * delta_stride]) * in.unit;
    if (std::size_t(t) == next_column_step) {
      // round-off of removed positions is not negative notional
      if (out) out[column * out_stride] = state.h > 0 ? state.h : 0.0;
      ++column;
      next_column_step = column < in.columns ? in.column_step[column] : ~std::size_t(0);
    }
  }
  return state;
}

// A whole row. An integer prefix sum when every g_t is 1, so that case is exact.
LIQMAP_HD void survival_recurrence(const RecurrenceInputs& in, const std::int64_t* delta,
                                   std::int64_t delta_stride, double* out,
                                   std::int64_t out_stride) {
  survival_recurrence_steps(in, delta, delta_stride, out, out_stride, 0, in.steps,
                            RecurrenceState{0, 0.0});
}

}  // namespace liqmap::model
