// tracks.csv, one row per track sample:
//   track        track id (as in clusters.json)
//   ts           column timestamp, ms UTC
//   price        the peak's bin centre at that column
//   usd          smoothed H at the peak (USD)
//   prominence_usd, side (above|below p* at that column), distance_pct (from that close)
//   birth_ts     the track's first sample
//   status       alive | swept | faded (the track's end)
//   swept_ts     the bar that swept it (empty if not swept)
#include <iomanip>

#include "file_io.hpp"
#include "report.hpp"

namespace liqmap::report {

void write_tracks_csv(const std::string& path, const Analysis& a) {
  std::ofstream out = open_output(path);
  out << "track,ts,price,usd,prominence_usd,side,distance_pct,birth_ts,status,swept_ts\n"
      << std::setprecision(12);
  for (const ClusterTrack& t : a.tracks)
    for (const TrackSample& s : t.samples) {
      out << t.id << ',' << s.ts << ',' << s.peak.price << ',' << s.peak.value << ','
          << s.peak.prominence << ',' << to_string(s.peak.side) << ',' << s.peak.distance_pct
          << ',' << t.samples.front().ts << ',' << to_string(t.status) << ',';
      if (t.swept_ts) out << *t.swept_ts;
      out << '\n';
    }
  finish_output(out, path);
}

}  // namespace liqmap::report
