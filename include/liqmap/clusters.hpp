// Cluster extraction at one column of the smoothed grid (MODEL.md section 7).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"

namespace liqmap {

enum class ClusterSide { above, below };  // above p*: short liquidations; below: long ones
const char* to_string(ClusterSide side);

struct Peak {
  std::size_t bin = 0;
  double price = 0;  // bin centre
  double value = 0;  // smoothed H at the bin (USD)
  double prominence = 0;
  ClusterSide side = ClusterSide::above;
  double distance_pct = 0;  // (price - p*) / p* * 100
};

struct Zone {
  std::size_t first_bin = 0, last_bin = 0;  // inclusive
  double price_low = 0, price_high = 0;     // outer bin edges
  double notional = 0;                      // sum of h over the zone
  std::vector<std::size_t> peaks;           // indices into ColumnClusters::peaks
  bool stacked = false;                     // two or more peaks inside
};

struct ClusterSummary {
  double above_usd = 0, below_usd = 0;
  double asymmetry = 0;
  std::string bias;  // balanced | dominant_above | dominant_below
  std::optional<Peak> largest_above, largest_below;
};

struct ColumnClusters {
  std::size_t column = 0;
  std::int64_t ts = 0;
  double price = 0;  // p*: close at the column's step
  std::vector<Peak> peaks;  // the `top` largest by h, sorted by h descending
  std::vector<Zone> zones;
  ClusterSummary summary;
  std::vector<double> cumulative_short_above;  // per bin; 0 below p*
  std::vector<double> cumulative_long_below;   // per bin; 0 above p*
};

// Clusters at `column` (negative counts from the end) of `result`'s smoothed grids.
// A bin is `above` p* when its centre is strictly above p*, otherwise `below`: the bin that
// holds p* counts on the side of its centre (half a bin at most). Throws
// Error(invalid_argument) for a column outside the grid.
ColumnClusters extract_clusters(const Result& result, const Market& market,
                                const Config::Clusters& options, long column);

// The column index that `column` names (negative counts from the end); throws as above.
std::size_t resolve_column(const Result& result, long column);

// The last column whose timestamp is <= ts (the first column when ts is earlier).
std::size_t column_at_or_before(const Axes& axes, std::int64_t ts);
std::size_t column_at_or_before(const Result& result, std::int64_t ts);

// extract_clusters at each of `columns`, in parallel over columns, without the cumulative
// curves (left empty). Built for every column of a large grid: O(bins) per column.
std::vector<ColumnClusters> extract_clusters_at(const Result& result, const Market& market,
                                                const Config::Clusters& options,
                                                const std::vector<std::size_t>& columns);

// ---- Cluster tracks over time ----------------------------------------------------------

struct TrackSample {
  std::size_t column = 0;
  std::int64_t ts = 0;
  Peak peak;  // side and distance relative to the close at this column
};

enum class TrackStatus {
  alive,  // still a peak at the last extraction
  swept,  // price traded through the cluster's price (the "liquidity sweep")
  faded,  // stopped being a peak without price reaching it
};
const char* to_string(TrackStatus status);

struct ClusterTrack {
  std::size_t id = 0;
  std::vector<TrackSample> samples;  // one per extraction where it was a peak; [0] = birth
  TrackStatus status = TrackStatus::alive;
  std::optional<std::int64_t> swept_ts;  // the bar whose low..high first held the price
  double swept_price = 0;                // the cluster's price that bar crossed
};

struct TrackOptions {
  std::size_t every = 1;           // extract every N-th column, counted back from `last_column`
  std::size_t tolerance_bins = 3;  // a peak continues a track if within this many bins
};

// Peaks (all that pass min_prominence, not only the `top`) at columns last_column,
// last_column - every, ... 0, linked in time order: each peak continues the track whose last
// bin is nearest (within tolerance, closest pairs first, one peak per track), or starts a new
// one. After each sample, the bars up to the next extraction are checked: the first whose
// low..high holds the track's price sweeps it, and a swept track takes no more samples (a peak
// that is still there later starts a new track: the cluster rebuilt).
std::vector<ClusterTrack> track_clusters(const Result& result, const Market& market,
                                         const Config::Clusters& options,
                                         std::size_t last_column, const TrackOptions& tracks);

// ---- Technical levels ------------------------------------------------------------------

enum class LevelKind { swing_high, swing_low };
const char* to_string(LevelKind kind);

struct SwingLevel {
  std::size_t step = 0;
  std::int64_t ts = 0;
  double price = 0;
  LevelKind kind = LevelKind::swing_high;
};

// Fractal pivots: bar i is a swing high when high[i] is higher than the `window` bars before
// it and not lower than the `window` bars after it (so equal highs count once, at the first);
// swing lows mirror it with low. Only pivots confirmed by `last_step` (i + window <= last_step)
// and with i >= first_step are returned, in step order.
std::vector<SwingLevel> swing_levels(const Market& market, std::size_t window,
                                     std::size_t first_step, std::size_t last_step);

struct LevelAlignment {
  std::optional<SwingLevel> nearest;  // empty when there are no levels
  double distance_pct = 0;            // (level - peak price) / peak price * 100
  bool aligned = false;               // |distance_pct| <= tolerance
};

// For each peak, the level nearest in price and whether it lies within tolerance_pct.
std::vector<LevelAlignment> align_with_levels(const std::vector<Peak>& peaks,
                                              const std::vector<SwingLevel>& levels,
                                              double tolerance_pct);

}  // namespace liqmap
