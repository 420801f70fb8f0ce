#include "calibrate/score.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <tuple>
#include <utility>
#include <cctype>
#include <optional>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::calibrate {
namespace {

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) cells.push_back(cell);
  if (!line.empty() && line.back() == ',') cells.emplace_back();
  return cells;
}

std::vector<double> ranks(const std::vector<double>& v) {  // average ranks for ties
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  std::vector<double> r(v.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && v[order[j + 1]] == v[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) r[order[k]] = 0.5 * double(i + j) + 1.0;
    i = j + 1;
  }
  return r;
}

std::int64_t bar_length(const std::vector<std::int64_t>& ts) {
  std::int64_t step = 0;
  for (std::size_t i = 1; i < ts.size(); ++i)
    if (step == 0 || ts[i] - ts[i - 1] < step) step = ts[i] - ts[i - 1];
  return step;
}

// The bar holding `t`, or -1.
long bar_of(const std::vector<std::int64_t>& bar_ts, std::int64_t bar, std::int64_t t) {
  const auto it = std::upper_bound(bar_ts.begin(), bar_ts.end(), t);
  if (it == bar_ts.begin()) return -1;
  const long i = long(it - bar_ts.begin()) - 1;
  return t < bar_ts[i] + bar ? i : -1;
}

// The names a realized file's header may give each column (lower case; ' ' and '-' read as '_').
constexpr const char* kTimeNames[] = {"ts", "timestamp", "time", "open_time", "date", "datetime"};
constexpr const char* kLongNames[] = {"long_usd", "long", "longs", "longs_usd", "long_liquidation_usd",
                                      "long_liquidations_usd", "long_liquidations", "long_liq_usd",
                                      "longliquidationusd", "long_vol_usd", "longvolusd"};
constexpr const char* kShortNames[] = {"short_usd", "short", "shorts", "shorts_usd", "short_liquidation_usd",
                                       "short_liquidations_usd", "short_liquidations", "short_liq_usd",
                                       "shortliquidationusd", "short_vol_usd", "shortvolusd"};

template <std::size_t N>
std::string join_names(const char* const (&names)[N]) {
  std::string text;
  for (const char* name : names) text += (text.empty() ? "" : ", ") + std::string(name);
  return text;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ",") + name;
  return text;
}

std::string header_name(std::string cell) {
  std::string out;
  for (char c : cell) {
    if (c == '"' || c == '\'') continue;
    out += c == ' ' || c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const std::size_t first = out.find_first_not_of('_'), last = out.find_last_not_of('_');
  return first == std::string::npos ? "" : out.substr(first, last - first + 1);
}

struct RealizedColumns {
  std::size_t ts, long_usd, short_usd, width;
};

// Which header cell holds each column; a header that leaves one out, or names one twice, is refused
// with the names accepted (read by position, `time,shorts,longs` would swap the sides).
RealizedColumns realized_columns(const std::string& path, const std::vector<std::string>& header) {
  const auto find = [&](const auto& accepted, const char* what) {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < header.size(); ++i)
      for (const char* name : accepted)
        if (header_name(header[i]) == name) {
          if (found)
            throw Error(ErrorCode::input, path + ":1: the header names the " + std::string(what) + " twice ('" +
                                              header[*found] + "' and '" + header[i] + "'); keep one");
          found = i;
        }
    if (!found)
      throw Error(ErrorCode::input, path + ":1: the header '" + join_names(header) + "' names no " + what +
                                        " column; accepted names: " + join_names(accepted) +
                                        " (realized liquidations are read by their names, never by position)");
    return *found;
  };
  return {find(kTimeNames, "time"), find(kLongNames, "long-side (USD of longs liquidated)"),
          find(kShortNames, "short-side (USD of shorts liquidated)"), header.size()};
}

}  // namespace

RealizedBars read_realized(const std::string& path) {
  const std::string text = io::read_text(path);
  std::istringstream in(text);
  std::string line;
  RealizedBars bars;
  std::size_t number = 0;
  // Without a header the documented order; a header is read by its names, never by position.
  RealizedColumns columns{0, 1, 2, 3};
  std::vector<std::string> names = {"ts", "long_usd", "short_usd"};
  bool first = true;
  const auto fail = [&](std::size_t column, const std::string& rule) {
    const std::string name = column >= 1 && column <= names.size() ? " ('" + names[column - 1] + "')" : "";
    throw Error(ErrorCode::input, path + ":" + std::to_string(number) + ": column " + std::to_string(column) + name +
                                      ": " + rule);
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::vector<std::string> cells = split(line);
    if (std::exchange(first, false) && !io::parse_timestamp_ms(cells[0])) {  // the header
      columns = realized_columns(path, cells);
      names.assign(cells.begin(), cells.end());
      continue;
    }
    if (cells.size() != columns.width)
      fail(cells.size() + 1, "expected " + std::to_string(columns.width) + " columns (" + join_names(names) + "), got " +
                                 std::to_string(cells.size()));
    const auto ts = io::parse_timestamp_ms(cells[columns.ts]);
    if (!ts) fail(columns.ts + 1, "'" + cells[columns.ts] + "' is not a timestamp (ISO-8601 UTC or epoch ms)");
    if (!bars.ts.empty() && *ts <= bars.ts.back()) fail(columns.ts + 1, "timestamps must increase");
    double value[2];
    const std::size_t at[2] = {columns.long_usd, columns.short_usd};
    for (int c = 0; c < 2; ++c) {
      const std::string& cell = cells[at[c]];
      const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value[c]);
      if (ec != std::errc() || end != cell.data() + cell.size() || !std::isfinite(value[c]) || value[c] < 0)
        fail(at[c] + 1, "'" + cell + "' is not a finite number >= 0 (USD liquidated)");
    }
    bars.ts.push_back(*ts);
    bars.long_usd.push_back(value[0]);
    bars.short_usd.push_back(value[1]);
  }
  if (bars.ts.size() < 3) throw Error(ErrorCode::input, path + ": needs at least 3 bars of realized liquidations");
  return bars;
}

RealizedBars window(const RealizedBars& bars, std::optional<std::int64_t> from, std::optional<std::int64_t> to) {
  RealizedBars out;
  out.bar_ms = bars.bar_ms;
  for (std::size_t i = 0; i < bars.ts.size(); ++i) {
    if ((from && bars.ts[i] < *from) || (to && bars.ts[i] > *to)) continue;
    out.ts.push_back(bars.ts[i]);
    out.long_usd.push_back(bars.long_usd[i]);
    out.short_usd.push_back(bars.short_usd[i]);
  }
  return out;
}

std::vector<double> sum_into_bars(const std::vector<std::int64_t>& step_ts, const std::vector<double>& values,
                                  const std::vector<std::int64_t>& bar_ts, std::vector<bool>* covered) {
  RealizedBars bars;
  bars.ts = bar_ts;
  return sum_into_bars(step_ts, values, bars, covered);
}

std::vector<double> sum_into_bars(const std::vector<std::int64_t>& step_ts, const std::vector<double>& values,
                                  const RealizedBars& bars, std::vector<bool>* covered) {
  const std::vector<std::int64_t>& bar_ts = bars.ts;
  const std::int64_t bar = bars.bar_ms > 0 ? bars.bar_ms : bar_length(bar_ts);
  std::vector<double> sums(bar_ts.size(), 0.0);
  if (covered) covered->assign(bar_ts.size(), false);
  for (std::size_t t = 0; t < step_ts.size(); ++t) {
    const long i = bar_of(bar_ts, bar, step_ts[t]);
    if (i < 0) continue;
    sums[i] += values[t];
    if (covered) (*covered)[i] = true;
  }
  return sums;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = double(a.size());
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n, mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) { return pearson(ranks(a), ranks(b)); }

SideScore score_side(const std::vector<double>& predicted, const std::vector<double>& realized, int draws,
                     std::uint64_t seed) {
  SideScore s;
  s.spearman.value = spearman(predicted, realized);
  s.pearson.value = pearson(predicted, realized);
  std::vector<double> a(predicted.size()), b(predicted.size());
  const auto values = bootstrap(predicted.size(), 1, draws, seed,
                                [&](const std::vector<std::size_t>& picks, std::vector<double>& out) {
                                  for (std::size_t i = 0; i < picks.size(); ++i)
                                    a[i] = predicted[picks[i]], b[i] = realized[picks[i]];
                                  out = {spearman(a, b), pearson(a, b)};
                                });
  const auto interval = [&](std::size_t which, Correlation& c) {
    if (values.size() <= which || values[which].empty()) { c.low = c.high = c.value; return; }
    std::tie(c.low, c.high) = percentile_interval(values[which]);
  };
  interval(0, s.spearman);
  interval(1, s.pearson);
  return s;
}

Baselines baselines(const std::vector<std::int64_t>& step_ts, const std::vector<double>& open,
                    const std::vector<double>& high, const std::vector<double>& low, const std::vector<double>& oi,
                    const std::vector<std::int64_t>& bar_ts, std::int64_t bar_ms) {
  const std::int64_t bar = bar_ms > 0 ? bar_ms : bar_length(bar_ts);
  const std::size_t n = bar_ts.size();
  std::vector<double> o(n, 0), h(n, 0), l(n, 0), last_oi(n, 0);
  std::vector<bool> seen(n, false);
  for (std::size_t t = 0; t < step_ts.size(); ++t) {
    const long i = bar_of(bar_ts, bar, step_ts[t]);
    if (i < 0) continue;
    if (!seen[i]) o[i] = open[t], h[i] = high[t], l[i] = low[t], seen[i] = true;
    h[i] = std::max(h[i], high[t]);
    l[i] = std::min(l[i], low[t]);
    last_oi[i] = oi.empty() ? 1.0 : oi[t];
  }
  Baselines b;
  for (std::size_t i = 0; i < n; ++i) {
    const double scale = seen[i] && o[i] > 0 ? last_oi[i] / o[i] : 0.0;
    b.extreme_long.push_back((o[i] - l[i]) * scale);
    b.extreme_short.push_back((h[i] - o[i]) * scale);
    b.range.push_back((h[i] - l[i]) * scale);
  }
  return b;
}

}  // namespace liqmap::calibrate
