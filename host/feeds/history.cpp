#include "history.hpp"

#include <algorithm>

namespace liqmap::feeds {

std::vector<Candle> fetch_klines(RestClient& rest, const Exchange& ex, const std::string& symbol,
                                 const std::string& interval, std::int64_t from, std::int64_t to, std::int64_t now,
                                 const std::function<void(const std::vector<Candle>&)>& on_page) {
  const std::int64_t step = interval_ms(interval);
  std::vector<Candle> all;
  for (std::int64_t cursor = (from + step - 1) / step * step; cursor <= to;) {
    const std::int64_t end = std::min(to, cursor + step * (ex.klines_page() - 1));
    std::vector<Candle> page;
    for (Candle& c : ex.parse_klines(rest.get(ex.klines_path(symbol, interval, cursor, end)), step, now))
      if (c.open_ms >= cursor && c.open_ms <= end) page.push_back(std::move(c));
    sort_unique(page);
    if (on_page && !page.empty()) on_page(page);
    all.insert(all.end(), page.begin(), page.end());
    cursor = end + step;
  }
  return all;
}

std::vector<OiPoint> fetch_oi(RestClient& rest, const Exchange& ex, const std::string& symbol,
                              const std::string& period, std::int64_t from, std::int64_t to,
                              const std::function<void(const std::vector<OiPoint>&)>& on_page) {
  const std::int64_t step = ex.oi_period_ms(period);
  std::vector<OiPoint> all;
  for (std::int64_t cursor = (from + step - 1) / step * step; cursor <= to;) {
    const std::int64_t end = std::min(to, cursor + step * (ex.oi_page() - 1));
    std::vector<OiPoint> got = ex.parse_oi_history(rest.get(ex.oi_history_path(symbol, period, cursor, end)));
    std::stable_sort(got.begin(), got.end(), [](const OiPoint& a, const OiPoint& b) { return a.ts_ms < b.ts_ms; });
    std::vector<OiPoint> page;
    for (OiPoint& p : got)
      if (p.ts_ms >= cursor && p.ts_ms <= end && (page.empty() || p.ts_ms > page.back().ts_ms)) page.push_back(std::move(p));
    if (on_page && !page.empty()) on_page(page);
    all.insert(all.end(), page.begin(), page.end());
    cursor = end + step;
  }
  return all;
}

}  // namespace liqmap::feeds
