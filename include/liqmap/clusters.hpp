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
ColumnClusters extract_clusters(const Result& result, const Market& market,
                                const Config::Clusters& options, long column);

}  // namespace liqmap
