// The Gaussian of MODEL.md section 5: truncated at ceil(4 sigma), weights normalised to sum 1,
// zero outside the grid.
#pragma once

#include <vector>

#include "liqmap/engine.hpp"

namespace liqmap::detail {

// Weights for offsets -radius..radius; {1} when sigma is 0.
std::vector<double> gaussian_kernel(double sigma);

// Smooths over price bins (rows) and then over time columns.
Grid smooth_grid(const Grid& raw, double sigma_price_bins, double sigma_time_steps, int threads);

}  // namespace liqmap::detail
