// The Gaussian of MODEL.md section 5, shared by both backends: truncated at ceil(4 sigma),
// weights normalised to sum 1, zero outside the grid. One cell is a sum over its window in
// order of offset, so every backend rounds alike whatever the layout (the stride).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "model_math.hpp"

namespace liqmap::model {

// Weights for offsets -radius..radius; {1} when sigma is 0 (no smoothing).
inline std::vector<double> gaussian_kernel(double sigma) {
  if (!(sigma > 0)) return {1.0};
  const int radius = static_cast<int>(std::ceil(4.0 * sigma));
  std::vector<double> weights(2 * radius + 1);
  double total = 0;
  for (int i = -radius; i <= radius; ++i) {
    weights[i + radius] = std::exp(-0.5 * (i * i) / (sigma * sigma));
    total += weights[i + radius];
  }
  for (double& w : weights) w /= total;
  return weights;
}

// The smoothed value at `index` of a line of `count` cells, `stride` apart, whose cell `index`
// is at `centre`: sum of kernel[j + radius] * line[index + j] over the j that stay inside.
LIQMAP_HD double smooth_cell(const double* centre, std::int64_t stride, std::int64_t index,
                                    std::int64_t count, const double* kernel, std::int64_t radius) {
  const std::int64_t first = index < radius ? -index : -radius;
  const std::int64_t last = count - 1 - index < radius ? count - 1 - index : radius;
  double sum = 0;
  for (std::int64_t j = first; j <= last; ++j) sum += kernel[j + radius] * centre[j * stride];
  return sum;
}

}  // namespace liqmap::model
