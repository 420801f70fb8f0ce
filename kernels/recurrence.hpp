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

// One step of the recurrence, and what a column shows: written once for every loop below.
LIQMAP_HD double recurrence_step(double h, double g, std::int64_t delta, double unit) {
  return h * g + double(delta) * unit;
}
LIQMAP_HD double shown_value(double h) { return h > 0 ? h : 0.0; }  // round-off of removed positions is not negative notional
LIQMAP_HD double shown_sum(std::int64_t running, double unit) { return double(running) * unit; }

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
        if (out) out[column * out_stride] = shown_sum(state.running, in.unit);
        ++column;
        next_column_step = column < in.columns ? in.column_step[column] : ~std::size_t(0);
      }
    }
    return state;
  }
  for (std::int64_t t = begin; t < end; ++t) {
    state.h = recurrence_step(state.h, in.step_factor[t], delta[t * delta_stride], in.unit);
    if (std::size_t(t) == next_column_step) {
      if (out) out[column * out_stride] = shown_value(state.h);
      ++column;
      next_column_step = column < in.columns ? in.column_step[column] : ~std::size_t(0);
    }
  }
  return state;
}

// `Rows` whole rows at once, each laid out contiguously (the CPU): the rows' chains of
// dependent multiply-adds are independent, so interleaving them keeps the core busy instead of
// waiting on each step's latency. An integer prefix sum when every g_t is 1, so that case is exact.
template <int Rows>
inline void survival_recurrence_rows(const RecurrenceInputs& in, const std::int64_t* const* delta,
                                     double* const* out) {
  std::int64_t column = 0;
  std::size_t next_column_step = in.columns > 0 ? in.column_step[0] : ~std::size_t(0);
  const auto next = [&]() {
    ++column;
    next_column_step = column < in.columns ? in.column_step[column] : ~std::size_t(0);
  };
  if (in.survival_is_constant) {
    std::int64_t running[Rows] = {};
    for (std::int64_t t = 0; t < in.steps; ++t) {
      for (int r = 0; r < Rows; ++r) running[r] += delta[r][t];
      if (std::size_t(t) == next_column_step) {
        for (int r = 0; r < Rows; ++r) out[r][column] = shown_sum(running[r], in.unit);
        next();
      }
    }
    return;
  }
  double h[Rows] = {};
  for (std::int64_t t = 0; t < in.steps; ++t) {
    const double g = in.step_factor[t];
    for (int r = 0; r < Rows; ++r) h[r] = recurrence_step(h[r], g, delta[r][t], in.unit);
    if (std::size_t(t) == next_column_step) {
      for (int r = 0; r < Rows; ++r) out[r][column] = shown_value(h[r]);
      next();
    }
  }
}

}  // namespace liqmap::model
