#include "engine/smoothing.hpp"

#include <algorithm>
#include <cmath>
#include <omp.h>

namespace liqmap::detail {

std::vector<double> gaussian_kernel(double sigma) {
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

namespace {

// Over rows: out[b] = sum_j k[j] * in[b + j - r], whole rows at a time (contiguous, vectorised).
void smooth_price_axis(const Grid& in, Grid& out, const std::vector<double>& kernel, int threads) {
  const long radius = static_cast<long>(kernel.size() / 2);
  const long rows = static_cast<long>(in.rows);
  const std::size_t cols = in.cols;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (long b = 0; b < rows; ++b) {
    double* dst = out.data.data() + b * cols;
    std::fill(dst, dst + cols, 0.0);
    for (long j = -radius; j <= radius; ++j) {
      const long src_row = b + j;
      if (src_row < 0 || src_row >= rows) continue;
      const double w = kernel[j + radius];
      const double* src = in.data.data() + src_row * cols;
      for (std::size_t c = 0; c < cols; ++c) dst[c] += w * src[c];
    }
  }
}

void smooth_time_axis(const Grid& in, Grid& out, const std::vector<double>& kernel, int threads) {
  const long radius = static_cast<long>(kernel.size() / 2);
  const long cols = static_cast<long>(in.cols);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (long b = 0; b < static_cast<long>(in.rows); ++b) {
    const double* src = in.data.data() + b * cols;
    double* dst = out.data.data() + b * cols;
    for (long c = 0; c < cols; ++c) {
      double sum = 0;
      const long first = std::max(-radius, -c), last = std::min(radius, cols - 1 - c);
      for (long j = first; j <= last; ++j) sum += kernel[j + radius] * src[c + j];
      dst[c] = sum;
    }
  }
}

}  // namespace

Grid smooth_grid(const Grid& raw, double sigma_price_bins, double sigma_time_steps, int threads) {
  Grid by_price(raw.rows, raw.cols);
  if (sigma_price_bins > 0) smooth_price_axis(raw, by_price, gaussian_kernel(sigma_price_bins), threads);
  else by_price.data = raw.data;
  if (!(sigma_time_steps > 0)) return by_price;
  Grid by_time(raw.rows, raw.cols);
  smooth_time_axis(by_price, by_time, gaussian_kernel(sigma_time_steps), threads);
  return by_time;
}

}  // namespace liqmap::detail
