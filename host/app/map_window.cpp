#include "app/map_window.hpp"

#include <algorithm>
#include <cctype>
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

constexpr std::int64_t kHourMs = 3600000, kDayMs = 24 * kHourMs;

struct Preset {
  const char* name;
  std::int64_t ms;
};
constexpr Preset kRangePresets[] = {{"12h", 12 * kHourMs}, {"24h", kDayMs},       {"3d", 3 * kDayMs},
                                    {"1w", 7 * kDayMs},    {"1m", 30 * kDayMs},   {"3m", 90 * kDayMs},
                                    {"6m", 180 * kDayMs},  {"1y", 365 * kDayMs}};

std::string preset_names() {
  std::string names;
  for (const Preset& p : kRangePresets) names += (names.empty() ? "" : "|") + std::string(p.name);
  return names;
}

}  // namespace

std::int64_t range_preset_ms(const std::string& name, const char* option) {
  for (const Preset& p : kRangePresets)
    if (name == p.name) return p.ms;
  throw Error(ErrorCode::invalid_argument, std::string(option) + " '" + name.substr(0, 32) + "': expected one of " +
                                               preset_names() + " (a month is 30 days, a year 365)");
}

std::optional<std::int64_t> span_before_end_ms(const std::string& text, const char* option) {
  if (text.empty() || text[0] != '-') return std::nullopt;
  std::size_t digits = 1;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  const std::string unit = text.substr(digits);
  const std::int64_t unit_ms = unit == "min" ? 60000 : unit == "h" ? kHourMs : unit == "d" ? kDayMs
                               : unit == "w" ? 7 * kDayMs : unit == "m" ? 30 * kDayMs : unit == "y" ? 365 * kDayMs : 0;
  const std::string count = text.substr(1, digits - 1);
  if (count.empty() || count.size() > 6 || unit_ms == 0 || std::stoll(count) == 0)
    throw Error(ErrorCode::invalid_argument, std::string(option) + " '" + text.substr(0, 32) +
                                                 "': a time before the data's end is written -N followed by min, h, d, "
                                                 "w, m (30 days) or y (365 days), e.g. -24h or -3d");
  return std::stoll(count) * unit_ms;
}

WindowBounds window_bounds(std::int64_t last_ts, std::optional<std::int64_t> from, std::optional<std::int64_t> to,
                           std::optional<std::int64_t> range_ms, std::optional<std::int64_t> from_end_ms) {
  WindowBounds bounds{from, to};
  if (from_end_ms) bounds.from = last_ts - *from_end_ms + 1;
  if (range_ms) bounds.from = (to ? *to : last_ts) - *range_ms + 1;
  return bounds;
}

void require_ordered_window(std::optional<std::int64_t> from, std::optional<std::int64_t> to, const char* from_name,
                            const char* to_name) {
  if (from && to && *from > *to)
    throw Error(ErrorCode::invalid_argument, std::string(from_name) + " " + text::iso_utc(*from) + " is after " + to_name +
                                                 " " + text::iso_utc(*to) + ": the window is reversed (it runs from " +
                                                 from_name + " to " + to_name + "); swap them");
}

std::string window_text(std::optional<std::int64_t> from, std::optional<std::int64_t> to, const char* from_name,
                        const char* to_name) {
  return std::string(from_name) + " " + (from ? text::iso_utc(*from) : "(open)") + " .. " + to_name + " " +
         (to ? text::iso_utc(*to) : "(open)");
}

std::string span_text(const std::vector<std::int64_t>& ts, const std::string& what) {
  return " (" + what + " spans " + text::iso_utc(ts.front()) + " .. " + text::iso_utc(ts.back()) + ")";
}

std::string empty_window_reason(const std::vector<std::int64_t>& ts, std::optional<std::int64_t> from,
                                std::optional<std::int64_t> to, const char* from_name, const char* to_name,
                                const std::string& what) {
  const std::string window = window_text(from, to, from_name, to_name);
  if (ts.empty()) return window + ": " + what + " has no bars";
  const std::string span = span_text(ts, what);
  if (from && *from > ts.back())
    return window + ": " + from_name + " is after the last bar" + span;
  if (to && *to < ts.front())
    return window + ": " + to_name + " is before the first bar" + span;
  const auto next = std::lower_bound(ts.begin(), ts.end(), from ? *from : ts.front());
  std::string between = "it lies between two bars";
  if (next != ts.begin() && next != ts.end())
    between = "it lies between the bars at " + text::iso_utc(*(next - 1)) + " and " + text::iso_utc(*next);
  return window + ": " + between + span;
}

StepRange steps_in_window(const Market& market, std::optional<std::int64_t> from, std::optional<std::int64_t> to,
                          const char* from_name, const char* to_name) {
  require_ordered_window(from, to, from_name, to_name);
  const auto first = from ? std::lower_bound(market.ts.begin(), market.ts.end(), *from) : market.ts.begin();
  const auto end = to ? std::upper_bound(market.ts.begin(), market.ts.end(), *to) : market.ts.end();
  if (first >= end)
    throw Error(ErrorCode::input, "no bar lies in the window " +
                                      empty_window_reason(market.ts, from, to, from_name, to_name, "the data"));
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
  cropped.warmup_rows = market.warmup_rows > window.first ? market.warmup_rows - window.first : 0;
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
