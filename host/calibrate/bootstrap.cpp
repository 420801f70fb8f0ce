#include "calibrate/bootstrap.hpp"

#include <algorithm>
#include <random>

namespace liqmap::calibrate {

std::vector<std::vector<double>> bootstrap(std::size_t n, std::size_t block, int draws, std::uint64_t seed,
                                           const BootstrapStatistics& statistics) {
  std::vector<std::vector<double>> values;
  if (n == 0) return values;
  block = std::clamp<std::size_t>(block, 1, n);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, n - block);
  std::vector<std::size_t> picks(n);
  std::vector<double> one;
  for (int d = 0; d < draws; ++d) {
    for (std::size_t i = 0; i < n;)
      for (std::size_t start = pick(rng), k = 0; k < block && i < n; ++k) picks[i++] = start + k;
    one.clear();
    statistics(picks, one);
    values.resize(one.size());
    for (std::size_t s = 0; s < one.size(); ++s) values[s].push_back(one[s]);
  }
  for (auto& v : values) std::sort(v.begin(), v.end());
  return values;
}

std::pair<double, double> percentile_interval(const std::vector<double>& sorted) {
  if (sorted.empty()) return {0.0, 0.0};
  return {sorted[std::size_t(0.025 * double(sorted.size() - 1))], sorted[std::size_t(0.975 * double(sorted.size() - 1))]};
}

}  // namespace liqmap::calibrate
