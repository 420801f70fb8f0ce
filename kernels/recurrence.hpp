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

// An integer prefix sum when every g_t is 1, so that case is exact.
LIQMAP_HD void survival_recurrence(const RecurrenceInputs& in, const std::int64_t* delta,
                                   std::int64_t delta_stride, double* out,
                                   std::int64_t out_stride) {
  std::int64_t column = 0;
  std::size_t next_column_step = in.column_step[0];
  if (in.survival_is_constant) {
    std::int64_t running = 0;
    for (std::int64_t t = 0; t < in.steps; ++t) {
      running += delta[t * delta_stride];
      if (std::size_t(t) == next_column_step) {
        out[column++ * out_stride] = double(running) * in.unit;
        if (column < in.columns) next_column_step = in.column_step[column];
      }
    }
    return;
  }
  double h = 0;
  for (std::int64_t t = 0; t < in.steps; ++t) {
    h = h * in.step_factor[t] + double(delta[t * delta_stride]) * in.unit;
    if (std::size_t(t) == next_column_step) {
      // round-off of removed positions is not negative notional
      out[column++ * out_stride] = h > 0 ? h : 0.0;
      if (column < in.columns) next_column_step = in.column_step[column];
    }
  }
}

}  // namespace liqmap::model
