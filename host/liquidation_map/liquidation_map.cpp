#include "liquidation_map/liquidation_map.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "engine/backend.hpp"
#include "engine/smoothing.hpp"
#include "gaussian.hpp"
#include "liqmap/error.hpp"
#include "first_passage_records.hpp"
#include "tier_column.hpp"

namespace liqmap::map {
namespace {

// The column [side][tier][bin] in integer units, walked over every position opened up to `step`.
std::vector<std::int64_t> walk_tier_column(const detail::Plan& plan, std::int64_t step, int threads) {
  const detail::PassageTables tables = detail::build_passage_tables(plan, threads);
  const model::ScatterInputs in = detail::scatter_inputs(plan, tables, nullptr, nullptr);
  const std::size_t cells = 2 * plan.tier_leverage.size() * std::size_t(plan.bins);

  // Per-thread integer columns (small: 2 x tiers x bins), summed: exact whatever the order.
  std::vector<std::vector<std::int64_t>> partial(threads, std::vector<std::int64_t>(cells, 0));
  // The opening steps up to `step`, in blocks each walked downwards with the first-passage
  // cursor, as the CPU scatter does (exactly the tables' answers, without their cache misses).
  std::vector<std::int64_t> opened = detail::active_steps(plan);
  opened.erase(std::remove_if(opened.begin(), opened.end(), [step](std::int64_t t0) { return t0 > step; }), opened.end());
  const model::RecordLinks links(plan.low.data(), plan.high.data(), plan.steps);
  const std::int64_t count = std::int64_t(opened.size());
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (std::int64_t first = 0; first < count; first += model::kCursorBlockSteps) {
    std::int64_t* out = partial[omp_get_thread_num()].data();
    model::walk_down(links, first, std::min(first + model::kCursorBlockSteps, count),
                     [&](std::int64_t i) { return opened[i]; },
                     [&](std::int64_t i, const model::FirstPassageCursor& cursor) {
                       for (std::uint32_t k = 0; k < plan.samples_per_step; ++k)
                         model::add_sample_to_tier_column(in, opened[i], k, step, out, model::CursorPassage{&cursor});
                     });
  }
  std::vector<std::int64_t> column(cells, 0);
  for (const auto& part : partial)
    for (std::size_t i = 0; i < cells; ++i) column[i] += part[i];
  return column;
}

}  // namespace

LiquidationMap liquidation_map(const detail::Plan& plan, std::size_t column, int threads,
                               const detail::TierColumn* scattered) {
  if (column >= plan.columns)
    throw Error(ErrorCode::invalid_argument, "liquidation map: column " + std::to_string(column) + " of " +
                                                 std::to_string(plan.columns));
  threads = detail::resolve_threads(threads);
  const std::int64_t step = std::int64_t(plan.axes.column_step[column]);
  const std::size_t tiers = plan.tier_leverage.size(), bins = std::size_t(plan.bins);
  const bool use_scattered = scattered && scattered->step == step && !scattered->units.empty();
  const std::vector<std::int64_t> units = use_scattered ? scattered->units : walk_tier_column(plan, step, threads);
  if (units.size() != 2 * tiers * bins)
    throw Error(ErrorCode::internal, "liquidation map: the scattered column has " + std::to_string(units.size()) +
                                         " cells, not 2 x tiers x bins");

  // Columns side x tier as a grid of bins, smoothed over price by the heatmap's own stage.
  Grid raw(bins, 2 * tiers);
  for (std::size_t side_tier = 0; side_tier < 2 * tiers; ++side_tier)
    for (std::size_t b = 0; b < bins; ++b) raw.at(b, side_tier) = double(units[side_tier * bins + b]) / plan.fixed_scale;
  Grid smooth = raw;
  if (plan.sigma_price_bins > 0) detail::smooth_price_axis(raw, smooth, model::gaussian_kernel(plan.sigma_price_bins), threads);

  LiquidationMap map;
  map.column = column;
  map.ts = plan.axes.column_ts[column];
  map.close = plan.close[std::size_t(step)];
  map.tier_leverage = plan.tier_leverage;
  map.edges = plan.axes.price_edges;
  map.centres = plan.axes.price_centres;
  map.long_usd.resize(tiers * bins);
  map.short_usd.resize(tiers * bins);
  for (std::size_t t = 0; t < tiers; ++t)
    for (std::size_t b = 0; b < bins; ++b) {
      map.long_usd[t * bins + b] = smooth.at(b, t);
      map.short_usd[t * bins + b] = smooth.at(b, tiers + t);
    }
  return map;
}

LiquidationMap sum_maps(const std::vector<LiquidationMap>& maps, double close) {
  if (maps.empty()) throw Error(ErrorCode::internal, "no liquidation map to sum");
  LiquidationMap sum = maps.front();
  sum.close = close;
  for (std::size_t m = 1; m < maps.size(); ++m) {
    if (maps[m].edges != sum.edges || maps[m].tier_leverage != sum.tier_leverage || maps[m].ts != sum.ts)
      throw Error(ErrorCode::internal, "liquidation maps on different axes or tiers cannot be summed");
    for (std::size_t i = 0; i < sum.long_usd.size(); ++i) {
      sum.long_usd[i] += maps[m].long_usd[i];
      sum.short_usd[i] += maps[m].short_usd[i];
    }
  }
  return sum;
}

std::string liquidation_map_csv(const LiquidationMap& map) {
  std::string out = "price,tier,long_usd,short_usd\n";
  char line[160];
  for (std::size_t b = 0; b < map.bins(); ++b)
    for (std::size_t t = 0; t < map.tiers(); ++t) {
      const double longs = map.long_at(t, b), shorts = map.short_at(t, b);
      if (!(longs > 0) && !(shorts > 0)) continue;
      std::snprintf(line, sizeof line, "%.10g,%gx,%.17g,%.17g\n", map.centres[b], map.tier_leverage[t], longs, shorts);
      out += line;
    }
  return out;
}

}  // namespace liqmap::map
