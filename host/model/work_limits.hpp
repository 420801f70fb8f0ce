// Work a run would do, refused up front when it is absurd: a mistake in a config (a sigma of
// 10,000 bins, a million samples a bar) would otherwise run for minutes or hours with nothing
// said, and Ctrl-C would be the only way out.
#pragma once

#include <cstddef>
#include <cstdint>

#include "liqmap/config.hpp"

namespace liqmap::detail {

// Positions a run may draw in all (bars x samples_per_step x 2 sides x tiers x exchanges).
inline constexpr double kMostPositions = 0x1p34;  // 1.7e10: an hour or more on a workstation
// A smoothed cell sums at most this many neighbours (a sigma of 128 cells; the kernel is cut at
// the grid, so a shorter axis is always fine) unless the whole smoothing is small anyway.
inline constexpr std::int64_t kMostSmoothingTaps = 1025;
inline constexpr double kSmallSmoothing = 0x1p32;  // multiply-adds: a few seconds at most

// Weights of the Gaussian of `sigma` (gaussian_kernel's size), without making it.
std::int64_t smoothing_kernel_size(double sigma);

// Multiply-adds of the smoothing of both sides' grids of `bins` x `columns`.
double smoothing_work(const Config& config, std::size_t bins, std::size_t columns);

// Throws Error(ErrorCode::config) naming the key (positions.samples_per_step or
// smoothing.sigma_*), the work it asks for and the limit, for a market of `steps` bars.
void check_run_work(const Config& config, std::size_t steps);

}  // namespace liqmap::detail
