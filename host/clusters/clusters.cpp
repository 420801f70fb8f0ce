// Clusters at one column (MODEL.md section 7): peaks, zones, summary, cumulative curves.
#include "liqmap/clusters.hpp"

#include <algorithm>
#include <cmath>

#include "clusters/clusters_peaks.hpp"
#include "liqmap/error.hpp"

namespace liqmap {
namespace {

constexpr double kBiasThreshold = 0.2;  // MODEL.md section 7: |asymmetry| < 0.2 is balanced

bool is_above(double bin_centre, double p_star) { return bin_centre > p_star; }

double close_at_column(const Result& result, const Market& market, std::size_t column) {
  const std::size_t step = result.axes.column_step.at(column);
  if (step >= market.close.size())
    throw Error(ErrorCode::invalid_argument,
                "clusters: column " + std::to_string(column) + " is step " + std::to_string(step) +
                    " but the market has " + std::to_string(market.close.size()) + " steps");
  return market.close[step];
}

void check_grids(const Result& result) {
  const Grid& l = result.smooth_long;
  const Grid& s = result.smooth_short;
  if (l.rows != s.rows || l.cols != s.cols || l.rows != result.axes.price_centres.size() ||
      l.cols != result.axes.column_ts.size() || l.cols != result.axes.column_step.size() ||
      result.axes.price_edges.size() != l.rows + 1)
    throw Error(ErrorCode::invalid_argument,
                "clusters: the smoothed grids (" + std::to_string(l.rows) + "x" +
                    std::to_string(l.cols) + " and " + std::to_string(s.rows) + "x" +
                    std::to_string(s.cols) + ") do not match the axes (" +
                    std::to_string(result.axes.price_centres.size()) + " bins, " +
                    std::to_string(result.axes.column_ts.size()) + " columns)");
}

std::size_t top_count(const Config::Clusters& options) {
  return options.top > 0 ? static_cast<std::size_t>(options.top) : 0;
}

Peak make_peak(std::size_t bin, double value, double prominence, const Axes& axes, double p_star) {
  Peak p;
  p.bin = bin;
  p.price = axes.price_centres[bin];
  p.value = value;
  p.prominence = prominence;
  p.side = is_above(p.price, p_star) ? ClusterSide::above : ClusterSide::below;
  p.distance_pct = (p.price - p_star) / p_star * 100.0;
  return p;
}

std::vector<Zone> find_zones(const double* h, const Axes& axes, double level,
                             const std::vector<Peak>& peaks) {
  std::vector<Zone> zones;
  const std::size_t bins = axes.price_centres.size();
  for (std::size_t b = 0; b < bins;) {
    if (!(h[b] >= level)) {
      ++b;
      continue;
    }
    Zone z;
    z.first_bin = b;
    while (b < bins && h[b] >= level) z.notional += h[b++];
    z.last_bin = b - 1;
    z.price_low = axes.price_edges[z.first_bin];
    z.price_high = axes.price_edges[z.last_bin + 1];
    for (std::size_t i = 0; i < peaks.size(); ++i)
      if (peaks[i].bin >= z.first_bin && peaks[i].bin <= z.last_bin) z.peaks.push_back(i);
    z.stacked = z.peaks.size() >= 2;
    zones.push_back(std::move(z));
  }
  return zones;
}

ClusterSummary summarise(const double* h, const Axes& axes, double p_star,
                         const std::vector<Peak>& peaks) {
  ClusterSummary s;
  for (std::size_t b = 0; b < axes.price_centres.size(); ++b)
    (is_above(axes.price_centres[b], p_star) ? s.above_usd : s.below_usd) += h[b];
  const double total = s.above_usd + s.below_usd;
  s.asymmetry = total > 0 ? (s.above_usd - s.below_usd) / total : 0.0;
  s.bias = s.asymmetry >= kBiasThreshold    ? "dominant_above"
           : s.asymmetry <= -kBiasThreshold ? "dominant_below"
                                            : "balanced";
  for (const Peak& p : peaks) {  // sorted by value, so the first of each side is the largest
    auto& slot = p.side == ClusterSide::above ? s.largest_above : s.largest_below;
    if (!slot) slot = p;
  }
  return s;
}

// Everything of section 7 except the cumulative curves, from the total profile h.
void describe_profile(const double* h, const Axes& axes, double p_star,
                      const Config::Clusters& options, std::size_t top,
                      detail::PeakScratch& scratch, std::vector<detail::ProminentPeak>& found,
                      ColumnClusters& out) {
  const std::size_t bins = axes.price_centres.size();
  const double max_h = bins ? *std::max_element(h, h + bins) : 0.0;
  out.peaks.clear();
  out.zones.clear();
  if (max_h > 0) {
    detail::find_prominent_peaks(h, bins, options.min_prominence * max_h, scratch, found);
    out.peaks.reserve(found.size());
    for (const auto& f : found)
      out.peaks.push_back(make_peak(f.bin, h[f.bin], f.prominence, axes, p_star));
    std::stable_sort(out.peaks.begin(), out.peaks.end(),
                     [](const Peak& a, const Peak& b) { return a.value > b.value; });
    if (out.peaks.size() > top) out.peaks.resize(top);
    out.zones = find_zones(h, axes, options.zone_level * max_h, out.peaks);
  }
  out.summary = summarise(h, axes, p_star, out.peaks);
}

}  // namespace

const char* to_string(ClusterSide side) { return side == ClusterSide::above ? "above" : "below"; }

std::size_t resolve_column(const Result& result, long column) {
  const long cols = static_cast<long>(result.axes.column_ts.size());
  const long index = column < 0 ? cols + column : column;
  if (index < 0 || index >= cols)
    throw Error(ErrorCode::invalid_argument,
                "clusters: column " + std::to_string(column) + " is outside the grid's " +
                    std::to_string(cols) + " columns (negative values count from the end)");
  return static_cast<std::size_t>(index);
}

std::size_t column_at_or_before(const Axes& axes, std::int64_t ts) {
  const auto& t = axes.column_ts;
  if (t.empty()) throw Error(ErrorCode::invalid_argument, "clusters: the grid has no columns");
  const auto after = std::upper_bound(t.begin(), t.end(), ts);
  return after == t.begin() ? 0 : static_cast<std::size_t>(after - t.begin()) - 1;
}

std::size_t column_at_or_before(const Result& result, std::int64_t ts) { return column_at_or_before(result.axes, ts); }

ColumnClusters extract_clusters(const Result& result, const Market& market,
                                const Config::Clusters& options, long column) {
  check_grids(result);
  const Axes& axes = result.axes;
  ColumnClusters out;
  out.column = resolve_column(result, column);
  out.ts = axes.column_ts[out.column];
  out.price = close_at_column(result, market, out.column);

  const std::size_t bins = axes.price_centres.size();
  std::vector<double> longs(bins), shorts(bins), h(bins);
  for (std::size_t b = 0; b < bins; ++b) {
    longs[b] = result.smooth_long.at(b, out.column);
    shorts[b] = result.smooth_short.at(b, out.column);
    h[b] = longs[b] + shorts[b];
  }
  detail::PeakScratch scratch;
  std::vector<detail::ProminentPeak> found;
  describe_profile(h.data(), axes, out.price, options, top_count(options), scratch, found, out);

  // Shorts liquidate as price rises through them, longs as it falls: sum outward from p*.
  out.cumulative_short_above.assign(bins, 0.0);
  out.cumulative_long_below.assign(bins, 0.0);
  double running = 0;
  for (std::size_t b = 0; b < bins; ++b)
    if (is_above(axes.price_centres[b], out.price))
      out.cumulative_short_above[b] = running += shorts[b];
  running = 0;
  for (std::size_t b = bins; b-- > 0;)
    if (!is_above(axes.price_centres[b], out.price))
      out.cumulative_long_below[b] = running += longs[b];
  return out;
}

namespace detail {

std::size_t cluster_tile_columns(std::size_t bins) {
  constexpr std::size_t kProfileValues = std::size_t(1) << 22;  // 32 MB of doubles
  return std::clamp<std::size_t>(kProfileValues / std::max<std::size_t>(bins, 1), 1, 32);
}

double clusters_memory_bytes(std::size_t bins, std::size_t columns, int threads) {
  const double b = double(bins);
  const double tiles = std::ceil(double(columns) / double(cluster_tile_columns(bins)));
  const double per_thread = 8.0 * b * double(std::min(cluster_tile_columns(bins), columns)) + 32.0 * b;  // + PeakScratch
  return std::min(double(std::max(threads, 1)), tiles) * per_thread;
}

}  // namespace detail

std::vector<ColumnClusters> extract_clusters_at(const Result& result, const Market& market,
                                                const Config::Clusters& options,
                                                const std::vector<std::size_t>& columns) {
  check_grids(result);
  const Axes& axes = result.axes;
  const std::size_t bins = axes.price_centres.size();
  const std::size_t cols = axes.column_ts.size();
  std::vector<ColumnClusters> out(columns.size());
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] >= cols)
      throw Error(ErrorCode::invalid_argument,
                  "clusters: column " + std::to_string(columns[i]) + " is outside the grid's " +
                      std::to_string(cols) + " columns");
    out[i].column = columns[i];
    out[i].ts = axes.column_ts[columns[i]];
    out[i].price = close_at_column(result, market, columns[i]);
  }

  // Columns are gathered a tile at a time, so each row of the row-major grids is read in
  // runs of neighbouring columns instead of one strided element per row; fewer columns a tile
  // on a tall grid, so a thread's profiles stay near 32 MB (32 columns of a million bins were
  // 256 MB a thread). The tile changes no value: each column is described on its own.
  const std::size_t kTile = detail::cluster_tile_columns(bins);
  const long tiles = static_cast<long>((columns.size() + kTile - 1) / kTile);
  const std::size_t top = top_count(options);
  const double* longs = result.smooth_long.data.data();
  const double* shorts = result.smooth_short.data.data();
#pragma omp parallel
  {
    std::vector<double> profiles;  // made by the threads that get a tile
    detail::PeakScratch scratch;
    std::vector<detail::ProminentPeak> found;
#pragma omp for schedule(dynamic)
    for (long tile = 0; tile < tiles; ++tile) {
      const std::size_t first = static_cast<std::size_t>(tile) * kTile;
      const std::size_t count = std::min(kTile, columns.size() - first);
      profiles.resize(std::max(profiles.size(), count * bins));
      for (std::size_t b = 0; b < bins; ++b)
        for (std::size_t j = 0; j < count; ++j) {
          const std::size_t at = b * cols + columns[first + j];
          profiles[j * bins + b] = longs[at] + shorts[at];
        }
      for (std::size_t j = 0; j < count; ++j) {
        ColumnClusters& c = out[first + j];
        describe_profile(&profiles[j * bins], axes, c.price, options, top, scratch, found, c);
      }
    }
  }
  return out;
}

}  // namespace liqmap
