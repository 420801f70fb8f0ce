// The backtest over a run: evaluation times per horizon, decisions, outcomes, groups.
#include <algorithm>
#include <cstdio>

#include "backtest/backtest.hpp"
#include "liqmap/error.hpp"
#include "text/human_format.hpp"

namespace liqmap::backtest {
namespace {

constexpr std::size_t kDistanceBuckets = 4;
constexpr std::size_t kSizeGroups = 10;

// Columns at or after `from` and then each first column at least `every` after the previous
// evaluation, whose horizon ends within the candles.
std::vector<std::size_t> evaluation_columns(const Result& result, const Market& market, const Options& o,
                                            std::int64_t horizon, std::int64_t every) {
  std::vector<std::size_t> columns;
  const std::int64_t last_ts = market.ts.back();
  std::optional<std::int64_t> previous;
  for (std::size_t c = 0; c < result.axes.column_ts.size(); ++c) {
    const std::int64_t ts = market.ts[result.axes.column_step[c]];
    if ((o.from_ms && ts < *o.from_ms) || (o.to_ms && ts > *o.to_ms) || ts + horizon > last_ts) continue;
    if (previous && ts < *previous + every) continue;
    columns.push_back(c);
    previous = ts;
  }
  return columns;
}

void group_breakdowns(HorizonReport& h, std::size_t block, const Options& o) {
  std::vector<const Event*> all;
  for (const Event& e : h.events) all.push_back(&e);
  h.all = summarise("all", all, block, o.bootstrap_draws, o.seed);

  std::vector<const Event*> by_size = all;
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const Event* a, const Event* b) { return a->decision.cluster_usd < b->decision.cluster_usd; });
  const std::size_t groups = std::min(kSizeGroups, by_size.size());
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t first = g * by_size.size() / groups, last = (g + 1) * by_size.size() / groups;
    std::vector<const Event*> part(by_size.begin() + long(first), by_size.begin() + long(last));
    std::sort(part.begin(), part.end());  // back in time order, for the block bootstrap
    const std::string label = "size decile " + std::to_string(g + 1) + " (" + text::usd(by_size[first]->decision.cluster_usd) +
                              " .. " + text::usd(by_size[last - 1]->decision.cluster_usd) + ")";
    h.by_size_decile.push_back(summarise(label, part, block, o.bootstrap_draws, o.seed));
  }

  const double width = (o.max_distance_pct - o.min_distance_pct) / double(kDistanceBuckets);
  for (std::size_t b = 0; b < kDistanceBuckets; ++b) {
    const double low = o.min_distance_pct + width * double(b), high = low + width;
    std::vector<const Event*> part;
    for (const Event* e : all)
      if (e->decision.distance_pct >= low && (e->decision.distance_pct < high || b + 1 == kDistanceBuckets)) part.push_back(e);
    char label[64];
    std::snprintf(label, sizeof label, "distance %.2f-%.2f%%", low, high);
    h.by_distance.push_back(summarise(label, part, block, o.bootstrap_draws, o.seed));
  }
}

}  // namespace

Report run_backtest(const Result& result, const Market& market, const Options& options) {
  validate(options);
  if (market.size() < 2 || result.axes.column_ts.empty())
    throw Error(ErrorCode::invalid_argument, "backtest: the run needs at least two bars and one column");
  Report report;
  report.options = options;
  report.first_ts = market.ts.front();
  report.last_ts = market.ts.back();
  for (const std::int64_t horizon : options.horizons_ms) {
    HorizonReport h;
    h.horizon_ms = horizon;
    h.every_ms = options.every_ms.value_or(horizon);
    // Twice the overlap: events share more than their windows (a cluster lasts, so do trends).
    const std::size_t block = h.every_ms >= horizon ? 1 : 2 * std::size_t((horizon + h.every_ms - 1) / h.every_ms);
    h.interval_method = block > 1 ? "block bootstrap (block " + std::to_string(block) + ")" : "wilson";
    const std::int64_t lookback = options.momentum_lookback_ms.value_or(horizon);
    std::vector<double> distances;
    const std::vector<std::size_t> columns = evaluation_columns(result, market, options, horizon, h.every_ms);
    h.evaluations = columns.size();
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const auto decision = decide(result, market, columns[i], options, lookback, distances, i);
      if (!decision) {
        ++h.without_cluster;
        continue;
      }
      Event e;
      e.decision = *decision;
      for (std::size_t r = 0; r < kRules; ++r)
        e.outcomes[r] = outcome(market, decision->step, horizon, decision->level[r], decision->mirror_level[r],
                                options.reverse_bars);
      distances.push_back(decision->distance_pct);
      h.events.push_back(e);
    }
    group_breakdowns(h, block, options);
    report.horizons.push_back(std::move(h));
  }
  return report;
}

}  // namespace liqmap::backtest
