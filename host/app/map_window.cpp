#include "app/map_window.hpp"

#include <algorithm>
#include <string>

#include "liqmap/error.hpp"
#include "text/human_format.hpp"

namespace liqmap::app {
namespace {

template <typename T>
std::vector<T> slice(const std::vector<T>& values, StepRange window) {
  if (values.empty()) return {};
  return std::vector<T>(values.begin() + static_cast<long>(window.first), values.begin() + static_cast<long>(window.last) + 1);
}

}  // namespace

StepRange steps_in_window(const Market& market, std::optional<std::int64_t> from, std::optional<std::int64_t> to,
                          const char* from_name, const char* to_name) {
  const auto first = from ? std::lower_bound(market.ts.begin(), market.ts.end(), *from) : market.ts.begin();
  const auto end = to ? std::upper_bound(market.ts.begin(), market.ts.end(), *to) : market.ts.end();
  if (first >= end)
    throw Error(ErrorCode::input, "no bar lies in the window " + std::string(from_name) + " " +
                                      (from ? text::iso_utc(*from) : "start") + " " + to_name + " " +
                                      (to ? text::iso_utc(*to) : "end") + " (the data spans " +
                                      text::iso_utc(market.ts.front()) + " .. " + text::iso_utc(market.ts.back()) + ")");
  if (end - first < 2)
    throw Error(ErrorCode::input, "only 1 bar (" + text::iso_utc(*first) + ") is " +
                                      (from || to ? "in the window " + std::string(from_name) + "/" + to_name
                                                  : std::string("in the data")) +
                                      ": a map needs 2 or more bars (positions open at one and are liquidated at a later one)");
  return {static_cast<std::size_t>(first - market.ts.begin()), static_cast<std::size_t>(end - market.ts.begin()) - 1};
}

void fit_price_range(Config& config, const Market& market, StepRange window) {
  const auto low = std::min_element(market.low.begin() + static_cast<long>(window.first), market.low.begin() + static_cast<long>(window.last) + 1);
  const auto high = std::max_element(market.high.begin() + static_cast<long>(window.first), market.high.begin() + static_cast<long>(window.last) + 1);
  if (!config.grid.price_min) config.grid.price_min = *low * (1 - config.grid.range_margin);
  if (!config.grid.price_max) config.grid.price_max = *high * (1 + config.grid.range_margin);
}

Market crop_market(const Market& market, StepRange window) {
  Market cropped;
  cropped.ts = slice(market.ts, window);
  cropped.open = slice(market.open, window);
  cropped.high = slice(market.high, window);
  cropped.low = slice(market.low, window);
  cropped.close = slice(market.close, window);
  cropped.volume = slice(market.volume, window);
  cropped.oi = slice(market.oi, window);
  cropped.long_share = slice(market.long_share, window);
  return cropped;
}

Result crop_result(const Result& result, StepRange window) {
  const Axes& axes = result.axes;
  std::vector<std::size_t> columns;
  for (std::size_t c = 0; c < axes.column_step.size(); ++c)
    if (axes.column_step[c] >= window.first && axes.column_step[c] <= window.last) columns.push_back(c);

  Result cropped;
  cropped.stats = result.stats;
  cropped.axes = axes;
  cropped.axes.column_ts.clear();
  cropped.axes.column_step.clear();
  cropped.axes.column_oi_usd.clear();
  cropped.axes.column_book_usd.clear();
  cropped.axes.steps = window.last - window.first + 1;
  for (std::size_t c : columns) {
    cropped.axes.column_ts.push_back(axes.column_ts[c]);
    cropped.axes.column_step.push_back(axes.column_step[c] - window.first);
    if (!axes.column_oi_usd.empty()) {
      cropped.axes.column_oi_usd.push_back(axes.column_oi_usd[c]);
      cropped.axes.column_book_usd.push_back(axes.column_book_usd[c]);
    }
  }
  const auto crop_grid = [&](const Grid& grid) {
    Grid out(grid.rows, columns.size());
    for (std::size_t r = 0; r < grid.rows; ++r)
      for (std::size_t i = 0; i < columns.size(); ++i) out.at(r, i) = grid.at(r, columns[i]);
    return out;
  };
  cropped.raw_long = crop_grid(result.raw_long);
  cropped.raw_short = crop_grid(result.raw_short);
  cropped.smooth_long = crop_grid(result.smooth_long);
  cropped.smooth_short = crop_grid(result.smooth_short);
  cropped.liq_long = slice(result.liq_long, window);
  cropped.liq_short = slice(result.liq_short, window);
  return cropped;
}

}  // namespace liqmap::app
