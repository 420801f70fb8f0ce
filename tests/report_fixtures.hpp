// Small hand-built runs (grids, axes, candles) for the cluster, report and render tests.
#pragma once

#include <cstdint>
#include <vector>

#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"

namespace liqmap::testing {

constexpr std::int64_t kStartTs = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr std::int64_t kStepMs = 3600 * 1000;     // hourly

// A run of `bins` linear price bins over [low, high] and `columns` hourly columns (one step
// each), with empty grids.
inline Result make_result(std::size_t bins, std::size_t columns, double low, double high) {
  Result r;
  r.axes.scale = PriceScale::linear;
  r.axes.price_min = low;
  r.axes.price_max = high;
  for (std::size_t b = 0; b <= bins; ++b) r.axes.price_edges.push_back(low + (high - low) * double(b) / double(bins));
  for (std::size_t b = 0; b < bins; ++b)
    r.axes.price_centres.push_back(0.5 * (r.axes.price_edges[b] + r.axes.price_edges[b + 1]));
  for (std::size_t c = 0; c < columns; ++c) {
    r.axes.column_ts.push_back(kStartTs + std::int64_t(c) * kStepMs);
    r.axes.column_step.push_back(c);
  }
  r.axes.steps = columns;
  r.raw_long = r.raw_short = r.smooth_long = r.smooth_short = Grid(bins, columns);
  r.liq_long.assign(columns, 0.0);
  r.liq_short.assign(columns, 0.0);
  return r;
}

// Candles with the given closes; each bar's range is close * (1 -/+ half_range).
inline Market make_market(const std::vector<double>& close, double half_range = 0.0005) {
  Market m;
  for (std::size_t t = 0; t < close.size(); ++t) {
    m.ts.push_back(kStartTs + std::int64_t(t) * kStepMs);
    m.open.push_back(close[t]);
    m.close.push_back(close[t]);
    m.high.push_back(close[t] * (1 + half_range));
    m.low.push_back(close[t] * (1 - half_range));
  }
  return m;
}

// Puts profile h into `column`: bins whose centre is above `split` go to the short grid,
// the others to the long grid (as liquidations fall on a real map).
inline void set_column(Result& r, std::size_t column, const std::vector<double>& h, double split) {
  for (std::size_t b = 0; b < h.size(); ++b) {
    const bool above = r.axes.price_centres[b] > split;
    r.smooth_short.at(b, column) = above ? h[b] : 0.0;
    r.smooth_long.at(b, column) = above ? 0.0 : h[b];
  }
}

}  // namespace liqmap::testing
