// The few computations on a Result's grids.
#include "liqmap/result.hpp"

#include <sys/mman.h>

#include <cstdlib>

namespace liqmap {

namespace detail {
namespace {
constexpr std::size_t kHugePage = std::size_t(2) << 20;
bool on_huge_pages(std::size_t bytes) { return bytes >= 2 * kHugePage; }
}  // namespace

void* allocate_grid_values(std::size_t bytes) {
  if (!on_huge_pages(bytes)) return ::operator new(bytes);
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* pointer = std::aligned_alloc(kHugePage, rounded);
  if (!pointer) throw std::bad_alloc();
  madvise(pointer, rounded, MADV_HUGEPAGE);  // a hint: fewer page faults and TLB misses
  return pointer;
}

void free_grid_values(void* pointer, std::size_t bytes) noexcept {
  if (on_huge_pages(bytes)) std::free(pointer);
  else ::operator delete(pointer);
}
}  // namespace detail

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
