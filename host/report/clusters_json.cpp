// clusters.json: MODEL.md section 7 at the chosen column, plus levels and tracks.
#include <cmath>

#include <nlohmann/json.hpp>

#include "file_io.hpp"
#include "format.hpp"
#include "report.hpp"

namespace liqmap::report {
namespace {

using nlohmann::json;

json peak_json(const Peak& p) {
  return {{"bin", p.bin},          {"price", p.price},
          {"usd", p.value},        {"prominence_usd", p.prominence},
          {"side", to_string(p.side)}, {"distance_pct", p.distance_pct}};
}

json optional_peak(const std::optional<Peak>& p) { return p ? peak_json(*p) : json(nullptr); }

json level_json(const SwingLevel& l) {
  return {{"ts", l.ts}, {"time", format_iso(l.ts)}, {"price", l.price}, {"kind", to_string(l.kind)}};
}

json track_json(const ClusterTrack& t) {
  json samples = json::array();
  double largest = 0;
  for (const TrackSample& s : t.samples) {
    samples.push_back({s.ts, s.peak.price, s.peak.value});
    largest = std::max(largest, s.peak.value);
  }
  const TrackSample& birth = t.samples.front();
  const TrackSample& last = t.samples.back();
  return {{"id", t.id},
          {"status", to_string(t.status)},
          {"birth_ts", birth.ts},
          {"birth_price", birth.peak.price},
          {"birth_side", to_string(birth.peak.side)},
          {"last_ts", last.ts},
          {"last_price", last.peak.price},
          {"last_usd", last.peak.value},
          {"largest_usd", largest},
          {"swept_ts", t.swept_ts ? json(*t.swept_ts) : json(nullptr)},
          {"swept_price", t.swept_ts ? json(t.swept_price) : json(nullptr)},
          {"samples_columns", {"ts", "price", "usd"}},
          {"samples", samples}};
}

json bin_width_json(const Axes& axes) {
  const double bins = double(axes.price_centres.size());
  if (axes.scale == PriceScale::log)
    return {{"pct", (std::pow(axes.price_max / axes.price_min, 1.0 / bins) - 1) * 100}, {"text", format_bin_width(axes)}};
  return {{"price", (axes.price_max - axes.price_min) / bins}, {"text", format_bin_width(axes)}};
}

}  // namespace

void write_clusters_json(const std::string& path, const Result& result, const Analysis& a) {
  const ColumnClusters& c = a.clusters;
  json peaks = json::array();
  for (std::size_t i = 0; i < c.peaks.size(); ++i) {
    json p = peak_json(c.peaks[i]);
    const LevelAlignment& al = a.alignments[i];
    p["nearest_level"] = al.nearest ? level_json(*al.nearest) : json(nullptr);
    p["level_distance_pct"] = al.nearest ? json(al.distance_pct) : json(nullptr);
    p["aligned_with_level"] = al.aligned;
    p["usd_per_0.1pct"] = a.peak_usd_per_tenth_pct[i];
    peaks.push_back(std::move(p));
  }
  json zones = json::array();
  for (const Zone& z : c.zones)
    zones.push_back({{"first_bin", z.first_bin}, {"last_bin", z.last_bin},
                     {"price_low", z.price_low}, {"price_high", z.price_high},
                     {"usd", z.notional},        {"peaks", z.peaks},
                     {"stacked", z.stacked}});
  json levels = json::array();
  for (const SwingLevel& l : a.levels) levels.push_back(level_json(l));
  json tracks = json::array();
  for (const ClusterTrack& t : a.tracks) tracks.push_back(track_json(t));

  const ClusterSummary& s = c.summary;
  const json doc = {
      {"column", c.column},
      {"ts", c.ts},
      {"time", format_iso(c.ts)},
      {"price", c.price},
      {"bin_width", bin_width_json(result.axes)},
      {"price_tick", a.price_tick > 0 ? json(a.price_tick) : json(nullptr)},
      {"units", {{"usd", "USD notional that would be liquidated (smoothed H of the bin); grows with bin_width"},
                 {"usd_per_0.1pct", "USD per 0.1% of price, averaged over +-0.25% around the peak; "
                                    "the same at any bin count: quote this one"},
                 {"distance_pct", "(price - p*) / p* * 100"},
                 {"side", "above: short liquidations (forced buying); below: long liquidations (forced selling)"}}},
      {"options", {{"min_prominence", a.cluster_options.min_prominence},
                   {"zone_level", a.cluster_options.zone_level},
                   {"top", a.cluster_options.top},
                   {"cluster_every", a.cluster_every},
                   {"track_tolerance_bins", a.options.track_tolerance_bins},
                   {"pivot_window", a.options.pivot_window},
                   {"level_lookback", a.options.level_lookback},
                   {"level_tolerance_pct", a.options.level_tolerance_pct}}},
      {"peaks", peaks},
      {"zones", zones},
      {"summary", {{"above_usd", s.above_usd},
                   {"below_usd", s.below_usd},
                   {"asymmetry", s.asymmetry},
                   {"bias", s.bias},
                   {"largest_above", optional_peak(s.largest_above)},
                   {"largest_below", optional_peak(s.largest_below)}}},
      {"cumulative", {{"price_centres", result.axes.price_centres},
                      {"short_above_usd", c.cumulative_short_above},
                      {"long_below_usd", c.cumulative_long_below}}},
      {"levels", levels},
      {"tracks", tracks}};
  std::ofstream out = open_output(path);
  out << doc.dump(1) << '\n';
  finish_output(out, path);
}

}  // namespace liqmap::report
