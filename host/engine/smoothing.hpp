// The Gaussian of MODEL.md section 5 on host grids ([bin][column]), cell by cell through the
// shared kernels/smoothing.hpp, so the CPU and the device pipeline round alike.
#pragma once

#include <cstdint>
#include <vector>

#include "liqmap/result.hpp"
#include "run_control.hpp"

namespace liqmap::detail {

// Where a smoothing pass polls: `control` (may be null: never) under `stage`, its progress going
// from `from` to `to` as the pass goes. A poll that answers false stops the pass within a few
// milliseconds of work and throws Error(cancelled) naming the stage.
struct SmoothingPoll {
  const RunControl* control = nullptr;
  const char* stage = "smoothing";
  double from = 0, to = 0;
};

// out = raw smoothed over price bins (rows). `out` has raw's shape.
void smooth_price_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads,
                       const SmoothingPoll& poll = {});
// out = raw smoothed over time columns.
void smooth_time_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads,
                      const SmoothingPoll& poll = {});

// Over price bins and then over time columns; a copy when both sigmas are 0. Polls `control`
// (when not null) as smooth_price and smooth_time.
Grid smooth_grid(const Grid& raw, double sigma_price_bins, double sigma_time_steps, int threads,
                 const RunControl* control = nullptr);

// Multiply-adds a pass over a line of `count` cells with a kernel of `kernel_size` weights does
// per cell at most: the kernel is cut at the grid's edges.
inline std::int64_t smoothing_taps(std::size_t kernel_size, std::size_t count) {
  return std::int64_t(kernel_size < count ? kernel_size : count);
}

}  // namespace liqmap::detail
