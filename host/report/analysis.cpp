// analyse(): clusters at the chosen column, swing levels around it, tracks up to it.
#include <algorithm>
#include <cmath>

#include "liqmap/error.hpp"
#include "density.hpp"
#include "format.hpp"
#include "report.hpp"

namespace liqmap::report {
namespace {

constexpr std::size_t kAutoExtractions = 200;  // tracks fine enough to see a week's sweeps

void require(bool ok, const std::string& what) {
  if (!ok) throw Error(ErrorCode::invalid_argument, "report options: " + what);
}

}  // namespace

void validate(const ReportOptions& o) {
  require(o.pivot_window >= 1, "pivot_window must be at least 1");
  require(o.level_tolerance_pct >= 0 && std::isfinite(o.level_tolerance_pct),
          "level_tolerance_pct must be a finite number >= 0");
  require(o.width >= 400 && o.width <= 16384, "width must be 400..16384 pixels, got " +
                                                  std::to_string(o.width));
  require(o.height >= 300 && o.height <= 16384, "height must be 300..16384 pixels, got " +
                                                    std::to_string(o.height));
  require(o.gamma > 0 && std::isfinite(o.gamma), "gamma must be > 0");
  require(o.cap_percentile > 0 && o.cap_percentile <= 100, "cap_percentile must be in (0, 100]");
  require(!(o.from_ts && o.to_ts) || *o.from_ts < *o.to_ts, "the time window's start must be before its end");
}

Analysis analyse(const Result& result, const Market& market, const Config& config,
                 const ReportOptions& options) {
  validate(options);
  Analysis a;
  a.options = options;
  a.cluster_options = config.clusters;
  if (options.at_ts && !result.axes.column_ts.empty() && *options.at_ts < result.axes.column_ts.front())
    throw Error(ErrorCode::invalid_argument, "report: the time asked for (" + format_utc(*options.at_ts) +
                                                 ") is before the map's first column (" +
                                                 format_utc(result.axes.column_ts.front()) + ")");
  const std::size_t column = options.at_ts ? column_at_or_before(result, *options.at_ts)
                                           : resolve_column(result, config.clusters.column);
  a.clusters = extract_clusters(result, market, config.clusters, static_cast<long>(column));
  a.price_tick = price_tick(market.close);
  for (std::size_t step : result.axes.column_step) a.warmup_columns += step < market.warmup_rows;

  const std::size_t step = result.axes.column_step[column];
  const std::size_t first = step > options.level_lookback ? step - options.level_lookback : 0;
  a.levels = swing_levels(market, options.pivot_window, first, step);
  a.alignments = align_with_levels(a.clusters.peaks, a.levels, options.level_tolerance_pct);
  std::vector<double> total = result.smooth_long.column(column);
  const std::vector<double> shorts = result.smooth_short.column(column);
  for (std::size_t b = 0; b < total.size(); ++b) total[b] += shorts[b];
  for (const Peak& p : a.clusters.peaks)
    a.peak_usd_per_tenth_pct.push_back(usd_per_tenth_percent(total, result.axes.price_edges, p.price));

  const std::size_t columns = result.axes.column_ts.size();
  a.cluster_every = options.cluster_every > 0
                        ? options.cluster_every
                        : std::max<std::size_t>(1, (columns + kAutoExtractions - 1) / kAutoExtractions);
  TrackOptions tracking;
  tracking.every = a.cluster_every;
  tracking.tolerance_bins = options.track_tolerance_bins;
  a.tracks = track_clusters(result, market, config.clusters, column, tracking);
  return a;
}

}  // namespace liqmap::report
