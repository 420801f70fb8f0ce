#include "engine/smoothing.hpp"

#include <cstdint>

#include "gaussian.hpp"

namespace liqmap::detail {

void smooth_price_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads) {
  const std::int64_t radius = std::int64_t(kernel.size() / 2);
  const std::int64_t rows = std::int64_t(raw.rows), cols = std::int64_t(raw.cols);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t b = 0; b < rows; ++b) {
    const double* src = raw.data.data() + b * cols;
    double* dst = out.data.data() + b * cols;
    for (std::int64_t c = 0; c < cols; ++c)
      dst[c] = model::smooth_cell(src + c, cols, b, rows, kernel.data(), radius);
  }
}

void smooth_time_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads) {
  const std::int64_t radius = std::int64_t(kernel.size() / 2);
  const std::int64_t rows = std::int64_t(raw.rows), cols = std::int64_t(raw.cols);
#pragma omp parallel for num_threads(threads) schedule(static)
  for (std::int64_t b = 0; b < rows; ++b) {
    const double* src = raw.data.data() + b * cols;
    double* dst = out.data.data() + b * cols;
    for (std::int64_t c = 0; c < cols; ++c)
      dst[c] = model::smooth_cell(src + c, 1, c, cols, kernel.data(), radius);
  }
}

Grid smooth_grid(const Grid& raw, double sigma_price_bins, double sigma_time_steps, int threads) {
  Grid by_price = Grid::uninitialized(raw.rows, raw.cols);
  if (sigma_price_bins > 0) smooth_price_axis(raw, by_price, model::gaussian_kernel(sigma_price_bins), threads);
  else by_price.data = raw.data;
  if (!(sigma_time_steps > 0)) return by_price;
  Grid by_time = Grid::uninitialized(raw.rows, raw.cols);
  smooth_time_axis(by_price, by_time, model::gaussian_kernel(sigma_time_steps), threads);
  return by_time;
}

}  // namespace liqmap::detail
