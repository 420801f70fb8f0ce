#include "engine/smoothing.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cstdint>

#include "gaussian.hpp"

namespace liqmap::detail {
namespace {

// Multiply-adds a thread does between two looks at the cancel flag (a few milliseconds).
constexpr std::int64_t kTapsBetweenPolls = std::int64_t(1) << 22;

// cell(b, c) for every cell of a rows x cols grid, rows split over the threads. Thread 0 polls
// between pieces of kTapsBetweenPolls work (a row of a wide kernel is many pieces), the others
// stop at their next piece once it has been told to cancel.
template <class Cell>
void smooth_cells(std::int64_t rows, std::int64_t cols, std::int64_t taps, int threads, const SmoothingPoll& poll,
                  const Cell& cell) {
  const std::int64_t piece = std::max<std::int64_t>(1, kTapsBetweenPolls / std::max<std::int64_t>(taps, 1));
  std::atomic<bool> cancelled{false};
#pragma omp parallel num_threads(threads)
  {
    const bool polls = poll.control != nullptr && omp_get_thread_num() == 0;
    const double share = double(rows) * double(cols) / double(omp_get_num_threads());  // thread 0's cells
    double done = 0;
#pragma omp for schedule(static)
    for (std::int64_t b = 0; b < rows; ++b) {
      for (std::int64_t first = 0; first < cols && !cancelled.load(std::memory_order_relaxed); first += piece) {
        const std::int64_t last = std::min(cols, first + piece);
        for (std::int64_t c = first; c < last; ++c) cell(b, c);
        done += double(last - first);
        if (polls && !poll.control->keep_going(poll.stage, poll.from + (poll.to - poll.from) * std::min(1.0, done / share)))
          cancelled = true;
      }
    }
  }
  if (cancelled) RunControl::throw_cancelled(poll.stage);
}

}  // namespace

void smooth_price_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads,
                       const SmoothingPoll& poll) {
  const std::int64_t radius = std::int64_t(kernel.size() / 2);
  const std::int64_t rows = std::int64_t(raw.rows), cols = std::int64_t(raw.cols);
  const double* src = raw.data.data();
  double* dst = out.data.data();
  smooth_cells(rows, cols, smoothing_taps(kernel.size(), raw.rows), threads, poll, [&](std::int64_t b, std::int64_t c) {
    dst[b * cols + c] = model::smooth_cell(src + b * cols + c, cols, b, rows, kernel.data(), radius);
  });
}

void smooth_time_axis(const Grid& raw, Grid& out, const std::vector<double>& kernel, int threads,
                      const SmoothingPoll& poll) {
  const std::int64_t radius = std::int64_t(kernel.size() / 2);
  const std::int64_t rows = std::int64_t(raw.rows), cols = std::int64_t(raw.cols);
  const double* src = raw.data.data();
  double* dst = out.data.data();
  smooth_cells(rows, cols, smoothing_taps(kernel.size(), raw.cols), threads, poll, [&](std::int64_t b, std::int64_t c) {
    dst[b * cols + c] = model::smooth_cell(src + b * cols + c, 1, c, cols, kernel.data(), radius);
  });
}

Grid smooth_grid(const Grid& raw, double sigma_price_bins, double sigma_time_steps, int threads,
                 const RunControl* control) {
  Grid by_price = Grid::uninitialized(raw.rows, raw.cols);
  if (sigma_price_bins > 0)
    smooth_price_axis(raw, by_price, model::gaussian_kernel(sigma_price_bins), threads,
                      {control, "smooth_price", progress_at::smooth_price, progress_at::smooth_time});
  else by_price.data = raw.data;
  if (!(sigma_time_steps > 0)) return by_price;
  Grid by_time = Grid::uninitialized(raw.rows, raw.cols);
  smooth_time_axis(by_price, by_time, model::gaussian_kernel(sigma_time_steps), threads,
                   {control, "smooth_time", progress_at::smooth_time, progress_at::done});
  return by_time;
}

}  // namespace liqmap::detail
