// Cluster tracks: peaks linked across successive extractions, and the sweeps that end them.
#include <algorithm>
#include <limits>
#include <tuple>

#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"

namespace liqmap {
namespace {

// Columns last, last - every, ... >= 0, in increasing order.
std::vector<std::size_t> extraction_columns(std::size_t last_column, std::size_t every) {
  std::vector<std::size_t> columns;
  for (std::size_t c = last_column + every; c >= every;) {
    c -= every;
    columns.push_back(c);
  }
  std::reverse(columns.begin(), columns.end());
  return columns;
}

struct Link {
  std::size_t distance, track, peak;
};

// Closest (track, peak) pairs first; each track and each peak used once.
std::vector<std::size_t> link_peaks(const std::vector<ClusterTrack>& tracks,
                                    const std::vector<std::size_t>& open,
                                    const std::vector<Peak>& peaks, std::size_t tolerance) {
  std::vector<Link> candidates;
  for (std::size_t t : open) {
    const std::size_t bin = tracks[t].samples.back().peak.bin;
    for (std::size_t p = 0; p < peaks.size(); ++p) {
      const std::size_t d = bin > peaks[p].bin ? bin - peaks[p].bin : peaks[p].bin - bin;
      if (d <= tolerance) candidates.push_back({d, t, p});
    }
  }
  std::sort(candidates.begin(), candidates.end(), [](const Link& a, const Link& b) {
    return std::tie(a.distance, a.track, a.peak) < std::tie(b.distance, b.track, b.peak);
  });
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<std::size_t> track_of_peak(peaks.size(), kNone);
  std::vector<bool> track_taken(tracks.size(), false);
  for (const Link& l : candidates)
    if (track_of_peak[l.peak] == kNone && !track_taken[l.track]) {
      track_of_peak[l.peak] = l.track;
      track_taken[l.track] = true;
    }
  return track_of_peak;
}

// The first bar in (from_step, to_step] whose range holds `price`.
std::optional<std::size_t> first_crossing(const Market& market, std::size_t from_step,
                                          std::size_t to_step, double price) {
  for (std::size_t s = from_step + 1; s <= to_step && s < market.size(); ++s)
    if (market.low[s] <= price && price <= market.high[s]) return s;
  return std::nullopt;
}

}  // namespace

const char* to_string(TrackStatus status) {
  switch (status) {
    case TrackStatus::alive: return "alive";
    case TrackStatus::swept: return "swept";
    case TrackStatus::faded: return "faded";
  }
  return "?";
}

std::vector<ClusterTrack> track_clusters(const Result& result, const Market& market,
                                         const Config::Clusters& options,
                                         std::size_t last_column, const TrackOptions& tracking) {
  if (tracking.every == 0)
    throw Error(ErrorCode::invalid_argument, "cluster tracks: `every` must be at least 1");
  if (last_column >= result.axes.column_step.size())
    throw Error(ErrorCode::invalid_argument,
                "cluster tracks: column " + std::to_string(last_column) + " is outside the grid");
  Config::Clusters every_peak = options;
  every_peak.top = std::numeric_limits<int>::max();
  const std::vector<std::size_t> columns = extraction_columns(last_column, tracking.every);
  const std::vector<ColumnClusters> snapshots =
      extract_clusters_at(result, market, every_peak, columns);

  std::vector<ClusterTrack> tracks;
  std::vector<std::size_t> open;
  for (std::size_t k = 0; k < snapshots.size(); ++k) {
    const ColumnClusters& snap = snapshots[k];
    const std::vector<std::size_t> track_of_peak =
        link_peaks(tracks, open, snap.peaks, tracking.tolerance_bins);
    std::vector<bool> continued(tracks.size(), false);
    std::vector<std::size_t> next_open;
    for (std::size_t p = 0; p < snap.peaks.size(); ++p) {
      std::size_t t = track_of_peak[p];
      if (t >= tracks.size()) {
        t = tracks.size();
        tracks.emplace_back();
        tracks.back().id = t;
        continued.push_back(false);
      }
      tracks[t].samples.push_back({snap.column, snap.ts, snap.peaks[p]});
      continued[t] = true;
      next_open.push_back(t);
    }
    for (std::size_t t : open)
      if (!continued[t]) tracks[t].status = TrackStatus::faded;
    open.clear();

    // Sweeps happen between this extraction and the next; the last one has no "after".
    const bool has_next = k + 1 < snapshots.size();
    for (std::size_t t : next_open) {
      if (!has_next) {
        open.push_back(t);
        continue;
      }
      const double price = tracks[t].samples.back().peak.price;
      const auto swept = first_crossing(market, result.axes.column_step[snap.column],
                                        result.axes.column_step[snapshots[k + 1].column], price);
      if (swept) {
        tracks[t].status = TrackStatus::swept;
        tracks[t].swept_ts = market.ts[*swept];
        tracks[t].swept_price = price;
      } else {
        open.push_back(t);
      }
    }
  }
  return tracks;
}

}  // namespace liqmap
