#include "model/work_limits.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "liqmap/error.hpp"
#include "text/human_format.hpp"

namespace liqmap::detail {
namespace {

double taps_per_cell(double sigma, std::size_t count) {
  return double(std::min<std::int64_t>(smoothing_kernel_size(sigma), std::int64_t(count)));
}

}  // namespace

std::int64_t smoothing_kernel_size(double sigma) {
  if (!(sigma > 0)) return 1;
  return 2 * std::int64_t(std::ceil(4.0 * sigma)) + 1;
}

double smoothing_work(const Config& config, std::size_t bins, std::size_t columns) {
  const double cells = 2.0 * double(bins) * double(columns);  // long and short
  double work = 0;
  if (config.smoothing.sigma_price_bins > 0) work += cells * taps_per_cell(config.smoothing.sigma_price_bins, bins);
  if (config.smoothing.sigma_time_steps > 0) work += cells * taps_per_cell(config.smoothing.sigma_time_steps, columns);
  return work;
}

void check_run_work(const Config& config, std::size_t steps) {
  const double tiers = double(std::max<std::size_t>(config.leverage.size(), 1));
  const double exchanges = double(std::max<std::size_t>(config.exchanges.size(), 1));
  const double positions = double(steps) * config.positions.samples_per_step * 2 * tiers * exchanges;
  if (positions > kMostPositions)
    throw Error(ErrorCode::config,
                "positions.samples_per_step " + std::to_string(config.positions.samples_per_step) + " over " +
                    text::compact(double(steps)) + " bars (x 2 sides x " + text::compact(tiers) + " tiers x " +
                    text::compact(exchanges) + " exchanges) draws " + text::compact(positions) +
                    " positions; a run draws at most " + text::compact(kMostPositions) +
                    ": use fewer samples per step (64 is the default), fewer tiers or exchanges, or a shorter market");

  const std::size_t bins = std::size_t(std::max(config.grid.price_bins, 1));
  const std::size_t group = std::size_t(std::max(config.grid.time_group, 1));
  const std::size_t columns = (steps + group - 1) / group;
  const double work = smoothing_work(config, bins, columns);
  if (work <= kSmallSmoothing) return;
  const struct {
    const char* key;
    double sigma;
    std::size_t count;
    const char* cells;
  } axes[] = {{"smoothing.sigma_price_bins", config.smoothing.sigma_price_bins, bins, "price bins"},
              {"smoothing.sigma_time_steps", config.smoothing.sigma_time_steps, columns, "columns"}};
  for (const auto& axis : axes) {
    const double taps = taps_per_cell(axis.sigma, axis.count);
    if (!(axis.sigma > 0) || taps <= double(kMostSmoothingTaps)) continue;
    throw Error(ErrorCode::config,
                std::string(axis.key) + " " + text::shortest(axis.sigma) + " makes every cell a sum of " +
                    text::compact(taps) + " " + axis.cells + " (the kernel spans " +
                    text::compact(double(smoothing_kernel_size(axis.sigma))) + ", cut at the grid's " +
                    text::compact(double(axis.count)) + "): " + text::compact(work) +
                    " multiply-adds for the smoothing; at most " + std::to_string(kMostSmoothingTaps) +
                    " a cell (a sigma up to " + std::to_string((kMostSmoothingTaps - 1) / 8) + ") is allowed on a grid this size");
  }
}

}  // namespace liqmap::detail
