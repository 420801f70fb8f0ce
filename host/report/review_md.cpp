// review.md: the article's weekly-review table filled with this run's numbers, in sentences
// a trader can act on, with the article's caveats.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

#include "file_io.hpp"
#include "format.hpp"
#include "report.hpp"

namespace liqmap::report {
namespace {

const Zone* zone_of(const ColumnClusters& c, std::size_t bin) {
  for (const Zone& z : c.zones)
    if (bin >= z.first_bin && bin <= z.last_bin) return &z;
  return nullptr;
}

std::string price_range(const Zone& z) {
  return format_price(z.price_low) + "–" + format_price(z.price_high);
}

// USD per 0.1% of price at a peak of the analysis (the same peak found by its bin).
double density_of(const Analysis& a, const Peak& peak) {
  for (std::size_t i = 0; i < a.clusters.peaks.size(); ++i)
    if (a.clusters.peaks[i].bin == peak.bin) return a.peak_usd_per_tenth_pct[i];
  return 0;
}

std::string cluster_cell(const Result& result, const Analysis& a, const std::optional<Peak>& peak, const char* kind) {
  const ColumnClusters& c = a.clusters;
  if (!peak) return std::string("No prominent ") + kind + " cluster on this side.";
  std::string s = std::string(1, char(std::toupper(kind[0]))) + (kind + 1) + " liquidations of **" + format_usd(density_of(a, *peak)) +
                  " per 0.1% of price** at **" + format_price(peak->price) + "** (" +
                  format_percent(peak->distance_pct) + " from price; " + format_usd(peak->value) + " in its " +
                  format_bin_width(result.axes) + " bin)";
  if (const Zone* z = zone_of(c, peak->bin))
    s += "; its zone " + price_range(*z) + " holds " + format_usd(z->notional);
  return s + ".";
}

std::string bias_sentence(const ClusterSummary& s) {
  if (s.bias == "dominant_above")
    return "**Dominant above** (short-squeeze fuel): more leverage sits above price, so upside "
           "moves are the more violent; the market frequently moves to clear the dominant side.";
  if (s.bias == "dominant_below")
    return "**Dominant below** (long-liquidation risk): more leverage sits below price, so the "
           "market is more vulnerable to the downside; it frequently moves to clear the dominant side.";
  return "**Balanced**: liquidations on both sides are of similar size; the market may range "
         "until one side is cleared.";
}

std::string stacked_cell(const ColumnClusters& c) {
  std::string s;
  std::size_t count = 0;
  for (const Zone& z : c.zones)
    if (z.stacked) {
      s += (count++ ? "; " : "") + price_range(z) + " (" + std::to_string(z.peaks.size()) +
           " clusters, " + format_usd(z.notional) + ")";
    }
  return count ? std::to_string(count) + " stacked zone" + (count > 1 ? "s: " : ": ") + s + "."
               : "No stacked zone (no zone holds two or more clusters).";
}

std::string alignment_cell(const Analysis& a) {
  std::string s;
  std::size_t count = 0;
  for (std::size_t i = 0; i < a.clusters.peaks.size(); ++i) {
    const LevelAlignment& al = a.alignments[i];
    if (!al.aligned) continue;
    const Peak& p = a.clusters.peaks[i];
    char gap[32];
    std::snprintf(gap, sizeof gap, "%.2f%%", std::abs(al.distance_pct));
    s += (count++ ? "; " : "") + std::string("the ") + format_price(p.price) + " cluster (" +
         format_usd(p.value) + ") sits " + gap + (al.distance_pct < 0 ? " above" : " below") +
         " the " + (al.nearest->kind == LevelKind::swing_high ? "swing high" : "swing low") +
         " at " + format_price(al.nearest->price) + " (" + format_utc(al.nearest->ts) + ")";
  }
  if (count) return s + ".";
  char tolerance[32];
  std::snprintf(tolerance, sizeof tolerance, "%.2f%%", a.options.level_tolerance_pct);
  return a.levels.empty() ? std::string("No swing level in the lookback window.")
                          : std::string("No top cluster lies within ") + tolerance +
                                " of a swing level.";
}

// "Price rising to X would liquidate about $Y of shorts" from the cumulative curves.
void what_to_watch(std::ostream& out, const Analysis& a) {
  const ColumnClusters& c = a.clusters;
  const ClusterSummary& s = c.summary;
  out << "## What to watch\n\n";
  if (s.largest_above) {
    const Peak& p = *s.largest_above;
    out << "- **Upside:** price rising to " << format_price(p.price) << " ("
        << format_percent(p.distance_pct) << ") would liquidate about "
        << format_usd(c.cumulative_short_above[p.bin])
        << " of shorts on the way. If price breaks resistance on volume, that forced buying "
           "could make the move faster and larger.\n";
  }
  if (s.largest_below) {
    const Peak& p = *s.largest_below;
    out << "- **Downside:** price falling to " << format_price(p.price) << " ("
        << format_percent(p.distance_pct) << ") would liquidate about "
        << format_usd(c.cumulative_long_below[p.bin])
        << " of longs on the way. If support is lost, that forced selling could cascade and "
           "overshoot before any recovery.\n";
  }
  if (!s.largest_above && !s.largest_below)
    out << "- The map has no prominent cluster at this time: nothing stands out as a magnet.\n";
  out << "- **Stop hunt:** a quick wick through a cluster that reverses at once is the classic "
         "liquidity sweep; do not chase the break.\n\n";
}

void top_clusters(std::ostream& out, const Analysis& a) {
  out << "## Top clusters\n\n"
      << "| # | price | side | distance | USD per 0.1% of price | USD in bin | prominence | zone | nearest swing level |\n"
      << "|---|---|---|---|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < a.clusters.peaks.size(); ++i) {
    const Peak& p = a.clusters.peaks[i];
    const Zone* z = zone_of(a.clusters, p.bin);
    const LevelAlignment& al = a.alignments[i];
    out << "| " << i + 1 << " | " << format_price(p.price) << " | "
        << (p.side == ClusterSide::above ? "above (shorts)" : "below (longs)") << " | "
        << format_percent(p.distance_pct) << " | " << format_usd(a.peak_usd_per_tenth_pct[i]) << " | "
        << format_usd(p.value) << " | "
        << format_usd(p.prominence) << " | "
        << (z ? price_range(*z) + (z->stacked ? " (stacked)" : "") : "–") << " | ";
    if (al.nearest)
      out << format_price(al.nearest->price) << " ("
          << (al.nearest->kind == LevelKind::swing_high ? "high" : "low") << ", "
          << format_percent(al.distance_pct) << (al.aligned ? ", **aligned**" : "") << ")";
    else
      out << "–";
    out << " |\n";
  }
  if (a.clusters.peaks.empty()) out << "| – | no prominent peak | | | | | | | |\n";
  out << '\n';
}

void recent_sweeps(std::ostream& out, const Analysis& a) {
  std::size_t swept = 0, faded = 0, alive = 0;
  std::vector<const ClusterTrack*> sweeps;
  for (const ClusterTrack& t : a.tracks) {
    if (t.status == TrackStatus::swept) {
      ++swept;
      sweeps.push_back(&t);
    }
    faded += t.status == TrackStatus::faded;
    alive += t.status == TrackStatus::alive;
  }
  std::sort(sweeps.begin(), sweeps.end(), [](const ClusterTrack* x, const ClusterTrack* y) {
    return *x->swept_ts > *y->swept_ts;
  });
  out << "## Liquidity sweeps (cluster tracks)\n\n"
      << "Clusters were followed every " << a.cluster_every << " column(s): " << a.tracks.size()
      << " tracks, " << swept << " swept by price, " << faded << " faded without being reached, "
      << alive << " still standing.\n\n";
  const std::size_t shown = std::min<std::size_t>(sweeps.size(), 5);
  for (std::size_t i = 0; i < shown; ++i) {
    const ClusterTrack& t = *sweeps[i];
    const TrackSample& last = t.samples.back();
    out << "- " << format_utc(*t.swept_ts) << ": price swept the "
        << (last.peak.side == ClusterSide::above ? "short" : "long") << " cluster at "
        << format_price(t.swept_price) << " (" << format_usd(last.peak.value)
        << " when last seen; it formed " << format_utc(t.samples.front().ts) << ").\n";
  }
  if (shown) out << '\n';
}

void caveats(std::ostream& out) {
  out << "## Caveats\n\n"
      << "- **Estimates, not exchange data.** The clusters are reconstructed from public candles "
         "and open interest with assumed leverage and entry distributions; they show probable "
         "concentrations, not exact liquidation levels.\n"
      << "- **Zones, not targets.** Treat a cluster as a zone of elevated volatility around its "
         "price, not as a price the market must reach.\n"
      << "- **Clusters shift.** Positions open and close all the time: re-run the map close to "
         "the moment you decide, not days before.\n"
      << "- **Others see them too.** Large players may push price into a cluster to absorb the "
         "forced flow (stop hunting).\n"
      << "- **Never trade the map alone.** A cluster does not create its own catalyst: you still "
         "need trend, momentum, market structure, open interest and funding pointing the same "
         "way.\n";
}

}  // namespace

void write_review_md(const std::string& path, const Result& result, const Analysis& a) {
  const ColumnClusters& c = a.clusters;
  const ClusterSummary& s = c.summary;
  std::ostringstream out;
  // The map's span, as its pictures' titles give it, and what it shows (the subject).
  const auto& ts = result.axes.column_ts;
  std::string subject = a.options.subject;
  if (!subject.empty()) subject[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(subject[0])));
  out << "# Liquidation map review: " << format_span(ts.back() - ts.front() + (ts.size() > 1 ? ts.back() - ts[ts.size() - 2] : 0)) << ", " << format_utc(ts.front())
      << " to " << format_utc(ts.back()) << "\n\n";
  if (!subject.empty()) out << "**What it shows:** " << subject << ".\n\n";
  if (a.warmup_columns > 0 && a.warmup_columns <= ts.size())
    out << "**Warm-up shown:** the first " << a.warmup_columns << " columns (to "
        << format_utc(ts[a.warmup_columns - 1])
        << ") are the warm-up, positions opened by volume before the open interest starts; heatmap.png shades "
           "them. The map proper starts at "
        << (a.warmup_columns < ts.size() ? format_utc(ts[a.warmup_columns]) : std::string("the end")) << ".\n\n";
  out << "As of **" << format_utc(c.ts) << "**, price **" << format_price_to_tick(c.price, a.price_tick)
      << "**. Map of " << result.axes.column_ts.size() << " columns from "
      << format_utc(result.axes.column_ts.front()) << " to "
      << format_utc(result.axes.column_ts.back()) << "; estimated liquidation notional in USD. "
      << "Price bins are " << format_bin_width(result.axes) << " wide (" << result.axes.price_centres.size()
      << " bins): a cluster's USD in its bin grows with that width, its USD per 0.1% of price does not.";
  if (const auto cov = oi_coverage(result)) {
    char share[160];
    std::snprintf(share, sizeof share, " The map holds %.0f%% of the latest open interest (%s); %.0f%% out of range.",
                  100 * cov->map_share, format_usd(cov->oi_usd).c_str(), 100 * cov->out_of_range_share);
    out << share;
  }
  out << "\n\n"
      << "| Step | What the map shows | How it informs the view |\n|---|---|---|\n"
      << "| Largest cluster above price | " << cluster_cell(result, a, s.largest_above, "short")
      << " | Short-squeeze fuel: a potential upside target if the trend is bullish; a break "
         "above could accelerate sharply. |\n"
      << "| Largest cluster below price | " << cluster_cell(result, a, s.largest_below, "long")
      << " | Long-liquidation risk: where support may fail fast; a break below could cascade "
         "quickly. |\n"
      << "| Distribution asymmetry | " << format_usd(s.above_usd) << " above vs "
      << format_usd(s.below_usd) << " below; asymmetry " << std::showpos << std::fixed
      << std::setprecision(2) << s.asymmetry << std::noshowpos << " | " << bias_sentence(s)
      << " |\n"
      << "| Stacked zones | " << stacked_cell(c)
      << " | A move into a stacked zone can cascade from one cluster to the next. |\n"
      << "| Cross-reference with technical levels | " << alignment_cell(a)
      << " | Highest-conviction levels: a move through them is likely amplified by forced "
         "flow. |\n\n";
  what_to_watch(out, a);
  top_clusters(out, a);
  recent_sweeps(out, a);
  caveats(out);

  std::ofstream file = open_output(path);
  file << out.str();
  finish_output(file, path);
}

}  // namespace liqmap::report
