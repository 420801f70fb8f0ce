// What a trader reads from one run: clusters.json, tracks.csv, review.md, heatmap.png.
// analyse() does the work once; each writer writes ONE file at the path it is given (the
// caller stages and renames) and throws Error(ErrorCode::io) when it cannot.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "liqmap/clusters.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "liquidation_map/liquidation_map.hpp"

namespace liqmap::report {

enum class Intensity { gamma, log };

struct ReportOptions {
  // Which column the clusters describe: the last column at or before `at_ts` when given,
  // else the config's clusters.column.
  std::optional<std::int64_t> at_ts;
  std::size_t cluster_every = 0;        // tracks: extract every N-th column; 0 = auto (~200 over the run)
  std::size_t track_tolerance_bins = 3; // a peak continues a track within this many bins
  std::size_t pivot_window = 5;         // swing high/low: extreme of `window` bars either side
  std::size_t level_lookback = 500;     // bars before the column searched for swing levels
  double level_tolerance_pct = 0.5;     // a cluster is "aligned" within this distance of a level

  int width = 1600, height = 900;       // heatmap.png in pixels
  Intensity intensity = Intensity::gamma;
  double gamma = 0.6;                   // colour = (value / cap) ^ gamma
  double cap_percentile = 99.5;         // cap = this percentile of the drawn non-zero values
  std::optional<std::int64_t> from_ts, to_ts;  // the picture's time window (default: all)
  std::optional<std::int64_t> range_ms;         // render --range: the last range_ms up to to_ts (or the end)
  std::optional<std::int64_t> from_end_ms;      // render --from -24h: from_ts this long before the last column
  double view_margin = 0.15;            // price axis: the window's low..high widened by this
                                        // fraction each side, within the grid; < 0: the whole grid
  std::string title = "Liquidation heatmap";
  // What the map shows (app/map_subject.hpp): "the market's open interest on Binance's margin
  // brackets (...)"; stated under the title of every picture, in review.md and on the page.
  std::string subject;
  // The liquidation map by leverage tier at its column (the map job's), drawn on the page as an
  // interactive bar chart with a leverage filter; null: the page has none.
  std::shared_ptr<const map::LiquidationMap> liquidation_map;
};

// Checks the options; throws Error(invalid_argument) naming the one that is wrong.
void validate(const ReportOptions& options);

struct Analysis {
  ReportOptions options;
  Config::Clusters cluster_options;
  std::size_t cluster_every = 1;            // resolved from options.cluster_every
  ColumnClusters clusters;                  // at the chosen column, with cumulative curves
  std::vector<SwingLevel> levels;           // swing levels in the lookback before the column
  std::vector<LevelAlignment> alignments;   // one per clusters.peaks
  std::vector<ClusterTrack> tracks;
  // Per clusters.peaks: USD per 0.1% of price around the peak (density.hpp), independent of the
  // bin count, unlike the peak's USD in its bin.
  std::vector<double> peak_usd_per_tenth_pct;
  double price_tick = 0;  // the market's tick (format.hpp price_tick); 0 = unknown
  std::size_t warmup_columns = 0;  // leading columns drawn from the warm-up (--show-warmup)
};

Analysis analyse(const Result& result, const Market& market, const Config& config,
                 const ReportOptions& options);

void write_clusters_json(const std::string& path, const Result& result, const Analysis& analysis);
void write_tracks_csv(const std::string& path, const Analysis& analysis);
void write_review_md(const std::string& path, const Result& result, const Analysis& analysis);
// ts,open,high,low,close per step: the candles the map was computed from (read by `render`).
void write_prices_csv(const std::string& path, const Market& market);

// True when this build can draw heatmap.png (it was built with Cairo).
bool can_render_png();
// `cancelled`, polled between the drawing steps, stops a long render (Error(cancelled)).
void render_heatmap_png(const std::string& path, const Result& result, const Market& market,
                        const Analysis& analysis, const std::function<bool()>& cancelled = {});

}  // namespace liqmap::report
