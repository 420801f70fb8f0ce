// The few computations on a Result's grids.
#include "liqmap/result.hpp"

namespace liqmap {

std::vector<double> Grid::column(std::size_t col) const {
  std::vector<double> out(rows);
  for (std::size_t r = 0; r < rows; ++r) out[r] = at(r, col);
  return out;
}

double Grid::column_sum(std::size_t col) const {
  double sum = 0;
  for (std::size_t r = 0; r < rows; ++r) sum += at(r, col);
  return sum;
}

std::vector<double> Grid::column_sums() const {
  std::vector<double> sums(cols, 0.0);
  for (std::size_t r = 0; r < rows; ++r) {
    const double* row = data.data() + r * cols;
    for (std::size_t c = 0; c < cols; ++c) sums[c] += row[c];
  }
  return sums;
}

namespace {
Grid add_grids(const Grid& a, const Grid& b) {
  Grid sum(a.rows, a.cols);
  for (std::size_t i = 0; i < sum.data.size(); ++i) sum.data[i] = a.data[i] + b.data[i];
  return sum;
}
}  // namespace

Grid Result::smooth_total() const { return add_grids(smooth_long, smooth_short); }
Grid Result::raw_total() const { return add_grids(raw_long, raw_short); }

}  // namespace liqmap
