// The Gaussian of MODEL.md section 5 on host grids ([bin][column]), cell by cell through the
// shared kernels/smoothing.hpp, so the CPU and the device pipeline round alike.
#pragma once

#include <vector>

#include "liqmap/result.hpp"

namespace liqmap::detail {

// out = raw smoothed over price bins (rows). `out` has raw's shape.
void smooth_price_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads);
// out = raw smoothed over time columns.
void smooth_time_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads);

// Over price bins and then over time columns; a copy when both sigmas are 0.
Grid smooth_grid(const Grid& raw, double sigma_price_bins, double sigma_time_steps, int threads);

}  // namespace liqmap::detail
