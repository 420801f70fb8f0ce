#include "density.hpp"

#include <algorithm>

namespace liqmap::report {

double usd_per_tenth_percent(const std::vector<double>& per_bin, const std::vector<double>& edges, double price) {
  if (per_bin.empty() || edges.size() != per_bin.size() + 1 || !(price > 0)) return 0;
  const double low = price * (1 - kDensityWindowPct / 200), high = price * (1 + kDensityWindowPct / 200);
  // Bins are ascending: start at the first bin whose upper edge passes the window's low end.
  std::size_t b = static_cast<std::size_t>(std::upper_bound(edges.begin(), edges.end(), low) - edges.begin());
  b = b > 0 ? b - 1 : 0;
  double usd = 0;
  for (; b < per_bin.size() && edges[b] < high; ++b) {
    const double width = edges[b + 1] - edges[b];
    const double inside = std::min(high, edges[b + 1]) - std::max(low, edges[b]);
    if (width > 0 && inside > 0) usd += per_bin[b] * inside / width;
  }
  return usd / (kDensityWindowPct / kDensityUnitPct);
}

}  // namespace liqmap::report
