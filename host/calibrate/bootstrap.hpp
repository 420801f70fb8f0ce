// The bootstrap behind `score`'s and `backtest`'s 95% intervals: one implementation for both.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace liqmap::calibrate {

// The bootstrap shared by `score` and `backtest`: `draws` resamples of n items (fixed seed), in
// blocks of `block` consecutive items (a moving-block bootstrap for serially dependent items;
// block 1 is the plain bootstrap). `statistics` gets the picked indices and sets its values;
// returns each statistic's values over the resamples, sorted.
using BootstrapStatistics = std::function<void(const std::vector<std::size_t>& picks, std::vector<double>& values)>;
std::vector<std::vector<double>> bootstrap(std::size_t n, std::size_t block, int draws, std::uint64_t seed,
                                           const BootstrapStatistics& statistics);
// The percentile 95% interval of sorted bootstrap values.
std::pair<double, double> percentile_interval(const std::vector<double>& sorted);

}  // namespace liqmap::calibrate
