// Local maxima as scipy's _local_maxima_1d; prominence with two monotonic-stack sweeps
// instead of scipy's per-peak walks (same numbers, O(n) instead of O(n * peaks)).
#include "clusters/clusters_peaks.hpp"

#include <algorithm>

namespace liqmap::detail {
namespace {

// For every sample i, the lowest value over (j, i] where j is the nearest sample before i
// (in walking order) that is strictly higher than h[i], or the whole way to the start.
// `reverse` walks right to left instead.
void lowest_before_higher(const double* h, std::size_t n, bool reverse, PeakScratch& s,
                          std::vector<double>& out) {
  s.stack_index.clear();
  s.stack_min.clear();
  out.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t i = reverse ? n - 1 - k : k;
    double lowest = h[i];
    // Each stack entry holds the lowest value of the run between it and the entry below it,
    // so popping the entries not higher than h[i] merges their runs into the run of i.
    while (!s.stack_index.empty() && h[s.stack_index.back()] <= h[i]) {
      lowest = std::min(lowest, s.stack_min.back());
      s.stack_index.pop_back();
      s.stack_min.pop_back();
    }
    s.stack_index.push_back(i);
    s.stack_min.push_back(lowest);
    out[i] = lowest;
  }
}

}  // namespace

void find_prominent_peaks(const double* h, std::size_t n, double min_prominence,
                          PeakScratch& scratch, std::vector<ProminentPeak>& peaks) {
  peaks.clear();
  if (n < 3) return;
  lowest_before_higher(h, n, false, scratch, scratch.left_min);
  lowest_before_higher(h, n, true, scratch, scratch.right_min);
  const std::vector<double>& left = scratch.left_min;
  const std::vector<double>& right = scratch.right_min;

  std::size_t i = 1;
  const std::size_t last = n - 1;
  while (i < last) {
    if (h[i - 1] < h[i]) {
      std::size_t ahead = i + 1;
      while (ahead < last && h[ahead] == h[i]) ++ahead;
      if (h[ahead] < h[i]) {
        const std::size_t middle = (i + ahead - 1) / 2;
        const double prominence = h[middle] - std::max(left[middle], right[middle]);
        if (prominence >= min_prominence) peaks.push_back({middle, prominence});
        i = ahead;
      }
    }
    ++i;
  }
}

}  // namespace liqmap::detail
