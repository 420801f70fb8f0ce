// The decision at one evaluation time, and what price did afterwards (docs/backtest.md).
#include <Random123/philox.h>

#include <algorithm>
#include <climits>
#include <cmath>

#include "backtest/backtest.hpp"
#include "liqmap/error.hpp"

namespace liqmap::backtest {
namespace {

// Two uniforms in [0,1) for evaluation `event`, keyed by the seed: the same on every platform.
std::array<double, 2> uniforms(std::uint64_t seed, std::uint64_t event) {
  const r123::Philox4x32::key_type key = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
  const r123::Philox4x32::ctr_type counter = {
      {static_cast<std::uint32_t>(event), static_cast<std::uint32_t>(event >> 32), 0xBAC7E57u, 0u}};
  const auto r = r123::Philox4x32()(counter, key);
  return {r[0] * 0x1.0p-32, r[1] * 0x1.0p-32};
}

double level_at(double price, double distance_pct, bool above) {
  return price * (1.0 + (above ? distance_pct : -distance_pct) / 100.0);
}

}  // namespace

const char* to_string(Rule rule) {
  switch (rule) {
    case Rule::cluster: return "cluster";
    case Rule::mirror: return "mirror";
    case Rule::random: return "random";
    case Rule::momentum: return "momentum";
    case Rule::always_down: return "always_down";
  }
  return "?";
}

bool Decision::operator==(const Decision& o) const {
  return column == o.column && step == o.step && ts == o.ts && price == o.price && cluster_usd == o.cluster_usd &&
         distance_pct == o.distance_pct && side == o.side && level == o.level && mirror_level == o.mirror_level;
}

void validate(const Options& o) {
  const auto fail = [](const std::string& what) { throw Error(ErrorCode::invalid_argument, "backtest: " + what); };
  if (!(o.min_distance_pct >= 0) || !(o.max_distance_pct > o.min_distance_pct) || !(o.max_distance_pct < 100))
    fail("--min-distance/--max-distance must satisfy 0 <= min < max < 100 (%), got " +
         std::to_string(o.min_distance_pct) + " and " + std::to_string(o.max_distance_pct));
  if (o.horizons_ms.empty()) fail("--horizons: at least one horizon");
  for (const std::int64_t h : o.horizons_ms)
    if (h <= 0) fail("--horizons: every horizon must be positive");
  if (o.every_ms && *o.every_ms <= 0) fail("--every must be positive");
  if (o.momentum_lookback_ms && *o.momentum_lookback_ms <= 0) fail("--momentum-lookback must be positive");
  if (o.reverse_bars < 1) fail("--reverse-bars must be >= 1");
  if (o.bootstrap_draws < 100) fail("--bootstrap must be >= 100");
}

std::optional<Decision> decide(const Result& result, const Market& market, std::size_t column,
                               const Options& options, std::int64_t momentum_lookback_ms,
                               const std::vector<double>& earlier_distances, std::uint64_t event) {
  Config::Clusters significance = options.clusters;
  significance.top = INT_MAX;  // every prominent peak, not only the largest few of the column
  const ColumnClusters clusters = extract_clusters(result, market, significance, static_cast<long>(column));

  Decision d;
  d.column = column;
  d.step = result.axes.column_step[column];
  d.ts = market.ts[d.step];
  d.price = clusters.price;
  const Peak* best = nullptr;  // peaks come sorted by h: the first in the band is the largest
  for (const Peak& p : clusters.peaks) {
    const double distance = std::fabs(p.distance_pct);
    if (distance >= options.min_distance_pct && distance <= options.max_distance_pct) {
      best = &p;
      break;
    }
  }
  if (!best) return std::nullopt;
  d.cluster_usd = best->value;
  d.distance_pct = std::fabs(best->distance_pct);
  d.side = best->side;
  const bool up = d.side == ClusterSide::above;

  // Momentum: the sign of the return over the lookback, from the last bar at or before t - lookback.
  const std::int64_t since = d.ts - momentum_lookback_ms;
  const auto first_ts = market.ts.begin();
  const auto past = std::upper_bound(first_ts, first_ts + static_cast<long>(d.step) + 1, since);
  const std::size_t from = past == first_ts ? 0 : static_cast<std::size_t>(past - first_ts) - 1;
  const bool momentum_up = market.close[d.step] >= market.close[from];

  const auto u = uniforms(options.seed, event);
  const double random_distance =
      earlier_distances.empty()
          ? d.distance_pct
          : earlier_distances[std::min(earlier_distances.size() - 1, std::size_t(u[0] * double(earlier_distances.size())))];
  const bool random_up = u[1] < 0.5;

  const auto set = [&](Rule rule, double distance, bool above) {
    d.level[std::size_t(rule)] = level_at(d.price, distance, above);
    d.mirror_level[std::size_t(rule)] = level_at(d.price, distance, !above);
  };
  set(Rule::cluster, d.distance_pct, up);
  set(Rule::mirror, d.distance_pct, !up);
  set(Rule::random, random_distance, random_up);
  set(Rule::momentum, d.distance_pct, momentum_up);
  set(Rule::always_down, d.distance_pct, false);
  return d;
}

Outcome outcome(const Market& market, std::size_t step, std::int64_t horizon_ms, double level, double mirror,
                std::size_t reverse_bars) {
  Outcome out;
  const double start = market.close[step];
  const bool above = level > start;
  const auto reaches = [&](std::size_t i, double price) {
    return price > start ? market.high[i] >= price : market.low[i] <= price;
  };
  const std::int64_t end_ts = market.ts[step] + horizon_ms;
  std::optional<std::size_t> pierced;
  for (std::size_t i = step + 1; i < market.size() && market.ts[i] <= end_ts; ++i) {
    const bool hit = reaches(i, level), hit_mirror = reaches(i, mirror);
    if (hit && !out.touched) {
      out.touched = true;
      out.hours_to_touch = double(market.ts[i] - market.ts[step]) / 3600000.0;
    }
    if (!out.decided && (hit || hit_mirror)) {
      out.decided = true;
      if (hit && hit_mirror) {  // both in one bar: the extreme nearer the open came first
        const bool high_first = market.high[i] - market.open[i] <= market.open[i] - market.low[i];
        out.first = high_first == above;
      } else {
        out.first = hit;
      }
    }
    if (hit && !pierced) pierced = i;
    if (pierced && i <= *pierced + reverse_bars && !out.swept_reversed)
      out.swept_reversed = above ? market.close[i] < level : market.close[i] > level;
  }
  return out;
}

}  // namespace liqmap::backtest
