#include "serve/api.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "liqmap/clusters.hpp"
#include "liqmap/io.hpp"
#include "report/heatmap_html.hpp"
#include "report/report.hpp"

namespace liqmap::serve {
namespace {

using nlohmann::json;

std::size_t parse_count(const std::string& name, const std::string& text, std::size_t least, std::size_t most) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || value < static_cast<long long>(least) || value > static_cast<long long>(most))
    throw ApiError{400, name + "=" + text + ": expected a whole number from " + std::to_string(least) + " to " +
                            std::to_string(most)};
  return static_cast<std::size_t>(value);
}

std::string iso(std::int64_t ms) { return io::format_timestamp(ms); }

}  // namespace

std::int64_t preset_ms(const std::string& name) {
  constexpr std::int64_t hour = 3600'000, day = 24 * hour;
  static const std::map<std::string, std::int64_t> presets = {
      {"12h", 12 * hour}, {"24h", day},      {"3d", 3 * day},    {"1w", 7 * day},
      {"1m", 30 * day},   {"3m", 91 * day},  {"6m", 182 * day},  {"1y", 365 * day}};
  const auto it = presets.find(name);
  if (it == presets.end()) throw ApiError{400, "range=" + name + ": expected one of 12h 24h 3d 1w 1m 3m 6m 1y"};
  return it->second;
}

std::optional<std::string> param(const Params& params, const std::string& name) {
  const auto [first, last] = params.equal_range(name);
  if (first == last) return std::nullopt;
  if (std::next(first) != last) throw ApiError{400, name + " is given more than once"};
  return first->second;
}

std::int64_t time_param(const std::string& name, const std::string& text) {
  const auto ms = io::parse_timestamp_ms(text);
  if (!ms) throw ApiError{400, name + "=" + text + ": expected a time, ISO-8601 UTC (2026-01-02T03:00) or epoch s/ms"};
  return *ms;
}

Window window_of(const Snapshot& s, const Params& params) {
  const Axes& axes = s.run.result.axes;
  const std::size_t columns = axes.column_ts.size(), bins = axes.price_centres.size();
  if (columns == 0 || bins == 0) throw ApiError{503, "the run has an empty grid"};
  const auto from = param(params, "from"), to = param(params, "to"), range = param(params, "range");
  if (range && from) throw ApiError{400, "give from= or range=, not both"};
  std::int64_t to_ms = to ? time_param("to", *to) : axes.column_ts.back();
  std::int64_t from_ms = from ? time_param("from", *from) : range ? to_ms - preset_ms(*range) + 1 : axes.column_ts.front();
  if (from_ms > to_ms) throw ApiError{400, "from is after to"};
  Window w;
  w.first = static_cast<std::size_t>(std::lower_bound(axes.column_ts.begin(), axes.column_ts.end(), from_ms) - axes.column_ts.begin());
  const auto end = std::upper_bound(axes.column_ts.begin(), axes.column_ts.end(), to_ms) - axes.column_ts.begin();
  if (w.first >= columns || end == 0 || static_cast<std::size_t>(end) <= w.first)
    throw ApiError{404, "no column from " + iso(from_ms) + " to " + iso(to_ms) + " (the run spans " +
                            iso(axes.column_ts.front()) + " to " + iso(axes.column_ts.back()) + ")"};
  w.last = static_cast<std::size_t>(end) - 1;
  const auto bins_text = param(params, "bins");
  const std::size_t wanted = bins_text ? parse_count("bins", *bins_text, 1, kMaxBins) : std::min(bins, kDefaultBins);
  w.bin_group = (bins + std::min(wanted, bins) - 1) / std::min(wanted, bins);
  const std::size_t page_bins = (bins + w.bin_group - 1) / w.bin_group;
  const std::size_t span = w.last - w.first + 1;
  w.stride = std::max<std::size_t>(1, (span * page_bins + kMaxWindowCells - 1) / kMaxWindowCells);
  return w;
}

Result window_result(const Snapshot& s, const Window& w) {
  const Result& full = s.run.result;
  const Axes& a = full.axes;
  const std::size_t bins = a.price_centres.size();
  std::vector<std::size_t> kept;
  for (std::size_t c = w.last;; c -= w.stride) {  // counted back from the last, so it is always there
    kept.push_back(c);
    if (c < w.first + w.stride) break;
  }
  std::reverse(kept.begin(), kept.end());
  Result r;
  r.axes.scale = a.scale;
  r.axes.price_min = a.price_min;
  r.axes.price_max = a.price_max;
  r.axes.steps = a.steps;
  const std::size_t groups = (bins + w.bin_group - 1) / w.bin_group;
  for (std::size_t g = 0; g < groups; ++g) r.axes.price_edges.push_back(a.price_edges[g * w.bin_group]);
  r.axes.price_edges.push_back(a.price_edges.back());
  for (std::size_t g = 0; g < groups; ++g) {
    const double lo = r.axes.price_edges[g], hi = r.axes.price_edges[g + 1];
    r.axes.price_centres.push_back(a.scale == PriceScale::log ? std::sqrt(lo * hi) : (lo + hi) / 2);
  }
  for (std::size_t c : kept) {
    r.axes.column_ts.push_back(a.column_ts[c]);
    r.axes.column_step.push_back(a.column_step[c]);
    if (c < a.column_oi_usd.size()) r.axes.column_oi_usd.push_back(a.column_oi_usd[c]);
    if (c < a.column_book_usd.size()) r.axes.column_book_usd.push_back(a.column_book_usd[c]);
  }
  const auto slice = [&](const Grid& grid) {
    Grid out(groups, kept.size());
    for (std::size_t b = 0; b < bins; ++b)
      for (std::size_t i = 0; i < kept.size(); ++i) out.at(b / w.bin_group, i) += grid.at(b, kept[i]);
    return out;
  };
  r.smooth_long = slice(full.smooth_long);
  r.smooth_short = slice(full.smooth_short);
  r.liq_long = full.liq_long;
  r.liq_short = full.liq_short;
  return r;
}

json health_json(const Snapshot& s, bool writable) {
  return {{"ok", true}, {"generation", s.generation}, {"columns", s.columns()}, {"last_ts", s.last_ts()},
          {"writable", writable}};
}

json summary_json(const Snapshot& s, bool writable) {
  const Axes& a = s.run.result.axes;
  const Result& r = s.run.result;
  json out = {{"generation", s.generation},
              {"writable", writable},
              {"columns", s.columns()},
              {"steps", a.steps},
              {"first_ts", a.column_ts.front()},
              {"last_ts", a.column_ts.back()},
              {"first_time", iso(a.column_ts.front())},
              {"last_time", iso(a.column_ts.back())},
              {"last_close", s.last_close()},
              {"price_min", a.price_min},
              {"price_max", a.price_max},
              {"price_bins", a.price_centres.size()},
              {"price_scale", a.scale == PriceScale::log ? "log" : "linear"},
              {"liquidated_long_usd", std::accumulate(r.liq_long.begin(), r.liq_long.end(), 0.0)},
              {"liquidated_short_usd", std::accumulate(r.liq_short.begin(), r.liq_short.end(), 0.0)},
              {"loaded_ms", s.loaded_ms}};
  if (s.clusters.is_object()) {
    out["clusters_time"] = s.clusters.value("time", "");
    out["bias"] = s.clusters.contains("summary") ? s.clusters["summary"] : json();
    json top = json::array();
    if (s.clusters.contains("peaks"))
      for (const json& p : s.clusters["peaks"]) {
        if (top.size() == 3) break;
        top.push_back({{"price", p.value("price", 0.0)}, {"usd", p.value("usd", 0.0)}, {"side", p.value("side", "")},
                       {"distance_pct", p.value("distance_pct", 0.0)}});
      }
    out["top_clusters"] = std::move(top);
  }
  return out;
}

json clusters_body(const Snapshot& s) {
  if (!s.clusters.is_object()) throw ApiError{404, "the run has no clusters.json (computed without --outputs clusters)"};
  return s.clusters;
}

json map_json(const Snapshot& s, const Params& params) {
  const Result& r = s.run.result;
  const Axes& a = r.axes;
  const auto at = param(params, "at");
  std::size_t column = a.column_ts.size() - 1;
  if (at) {
    const std::int64_t ms = time_param("at", *at);
    if (ms < a.column_ts.front())
      throw ApiError{404, "at=" + *at + " is before the run's first column, " + iso(a.column_ts.front())};
    column = column_at_or_before(a, ms);
  }
  const double close = s.run.market.close.at(a.column_step[column]);
  json out = {{"ts", a.column_ts[column]}, {"time", iso(a.column_ts[column])}, {"column", column},
              {"close", close}, {"generation", s.generation}};
  if (column + 1 == a.column_ts.size() && !s.tier_map.empty()) {
    json tiers = json::object();
    for (const TierRow& row : s.tier_map) {
      json& t = tiers[row.tier];
      if (t.is_null()) t = {{"price", json::array()}, {"long_usd", json::array()}, {"short_usd", json::array()}};
      t["price"].push_back(row.price);
      t["long_usd"].push_back(row.long_usd);
      t["short_usd"].push_back(row.short_usd);
    }
    out["by_tier"] = true;
    out["tiers"] = std::move(tiers);
    return out;
  }
  json price = json::array(), longs = json::array(), shorts = json::array();
  for (std::size_t b = 0; b < a.price_centres.size(); ++b) {
    const double l = r.smooth_long.at(b, column), sh = r.smooth_short.at(b, column);
    if (l <= 0 && sh <= 0) continue;
    price.push_back(a.price_centres[b]);
    longs.push_back(l);
    shorts.push_back(sh);
  }
  out["by_tier"] = false;
  out["note"] = "the saved run holds the map by leverage tier at its last column only; this is the heatmap's column";
  out["price"] = std::move(price);
  out["long_usd"] = std::move(longs);
  out["short_usd"] = std::move(shorts);
  return out;
}

json heatmap_json(const Snapshot& s, const Window& w) {
  const Result r = window_result(s, w);
  json ts = json::array(), close = json::array(), longs = json::array(), shorts = json::array();
  for (std::size_t i = 0; i < r.axes.column_ts.size(); ++i) {
    ts.push_back(r.axes.column_ts[i]);
    close.push_back(s.run.market.close.at(r.axes.column_step[i]));
    json l = json::array(), sh = json::array();
    for (std::size_t b = 0; b < r.axes.price_centres.size(); ++b) {
      l.push_back(r.smooth_long.at(b, i));
      sh.push_back(r.smooth_short.at(b, i));
    }
    longs.push_back(std::move(l));
    shorts.push_back(std::move(sh));
  }
  return {{"generation", s.generation}, {"columns", r.axes.column_ts.size()}, {"bins", r.axes.price_centres.size()},
          {"column_stride", w.stride}, {"bin_group", w.bin_group}, {"price_scale", r.axes.scale == PriceScale::log ? "log" : "linear"},
          {"price_edges", r.axes.price_edges}, {"ts", std::move(ts)}, {"close", std::move(close)},
          {"layout", "long[i][b]: column i (ts[i]), price bin b (price_edges[b]..price_edges[b+1]), USD"},
          {"long", std::move(longs)}, {"short", std::move(shorts)}};
}

std::string heatmap_page_json(const Snapshot& s, const Window& w, const std::string& title, const std::string& range) {
  const Result r = window_result(s, w);
  report::ReportOptions options;
  options.title = title;
  options.cluster_every = std::max<std::size_t>(1, r.axes.column_ts.size());  // the page draws no tracks
  const report::Analysis analysis = report::analyse(r, s.run.market, s.run.config, options);
  json data = report::heatmap_page_data(r, s.run.market, analysis);
  data["generation"] = s.generation;
  data["window"] = {{"first_ts", r.axes.column_ts.front()}, {"last_ts", r.axes.column_ts.back()},
                    {"column_stride", w.stride}, {"run_columns", s.columns()}, {"range", range.empty() ? "all" : range}};
  return data.dump();
}

}  // namespace liqmap::serve
