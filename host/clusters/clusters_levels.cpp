// Technical levels: fractal swing highs and lows, and how close each cluster sits to one.
#include <algorithm>
#include <cmath>

#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"

namespace liqmap {

const char* to_string(LevelKind kind) {
  return kind == LevelKind::swing_high ? "swing_high" : "swing_low";
}

std::vector<SwingLevel> swing_levels(const Market& market, std::size_t window,
                                     std::size_t first_step, std::size_t last_step) {
  if (window == 0)
    throw Error(ErrorCode::invalid_argument, "swing levels: the pivot window must be at least 1");
  std::vector<SwingLevel> levels;
  if (market.size() == 0) return levels;
  last_step = std::min(last_step, market.size() - 1);
  const std::size_t begin = std::max(first_step, window);
  for (std::size_t i = begin; i + window <= last_step; ++i) {
    bool high = true, low = true;
    for (std::size_t j = i - window; j < i; ++j) {
      high = high && market.high[j] < market.high[i];
      low = low && market.low[j] > market.low[i];
    }
    for (std::size_t j = i + 1; j <= i + window; ++j) {
      high = high && market.high[j] <= market.high[i];
      low = low && market.low[j] >= market.low[i];
    }
    if (high) levels.push_back({i, market.ts[i], market.high[i], LevelKind::swing_high});
    if (low) levels.push_back({i, market.ts[i], market.low[i], LevelKind::swing_low});
  }
  return levels;
}

std::vector<LevelAlignment> align_with_levels(const std::vector<Peak>& peaks,
                                              const std::vector<SwingLevel>& levels,
                                              double tolerance_pct) {
  std::vector<SwingLevel> by_price = levels;
  std::stable_sort(by_price.begin(), by_price.end(),
                   [](const SwingLevel& a, const SwingLevel& b) { return a.price < b.price; });
  std::vector<LevelAlignment> out(peaks.size());
  if (by_price.empty()) return out;
  for (std::size_t i = 0; i < peaks.size(); ++i) {
    const double price = peaks[i].price;
    auto it = std::lower_bound(by_price.begin(), by_price.end(), price,
                               [](const SwingLevel& l, double p) { return l.price < p; });
    if (it == by_price.end() ||
        (it != by_price.begin() && price - std::prev(it)->price <= it->price - price))
      --it;
    out[i].nearest = *it;
    out[i].distance_pct = (it->price - price) / price * 100.0;
    out[i].aligned = std::abs(out[i].distance_pct) <= tolerance_pct;
  }
  return out;
}

}  // namespace liqmap
