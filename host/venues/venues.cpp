// compute_venues(): one plan per venue, one integer unit for all, each run on the backend, summed.
#include "venues/venues.hpp"

#include <chrono>
#include <cmath>

#include "engine/plan_run.hpp"
#include "liqmap/error.hpp"
#include "model/config_rules.hpp"
#include "resources/memory_budget.hpp"

namespace liqmap::venues {
namespace {

using Clock = std::chrono::steady_clock;

void add_into(Grid& sum, const Grid& part) {
  if (sum.data.empty()) {
    sum = part;
    return;
  }
  for (std::size_t i = 0; i < sum.data.size(); ++i) sum.data[i] += part.data[i];
}

// The venues' axes must be one axis: the same bin edges and the same column times.
void require_same_axes(const Axes& a, const Axes& b, const std::string& name) {
  if (a.price_edges != b.price_edges || a.column_ts != b.column_ts)
    throw Error(ErrorCode::internal, "venue '" + name + "' ended on another price or time axis than the first venue");
}

void add_stats(RunStats& sum, const RunStats& part, const std::string& venue) {
  sum.positions_drawn += part.positions_drawn;
  sum.positions_in_range += part.positions_in_range;
  sum.positions_out_of_range += part.positions_out_of_range;
  sum.positions_unliquidatable += part.positions_unliquidatable;
  sum.positions_liquidated += part.positions_liquidated;
  sum.opened_usd += part.opened_usd;
  sum.in_range_usd += part.in_range_usd;
  sum.out_of_range_usd += part.out_of_range_usd;
  sum.unliquidatable_usd += part.unliquidatable_usd;
  if (sum.flow_source.empty()) sum.flow_source = part.flow_source;
  else if (sum.flow_source != part.flow_source) sum.flow_source = "mixed";
  for (const std::string& note : part.flow_notes) sum.flow_notes.push_back(venue + ": " + note);
  if (sum.backend.empty()) {
    sum.backend = part.backend;
    sum.backend_note = part.backend_note;
    sum.threads = part.threads;
  }
  for (const StageTime& stage : part.stages) {
    auto same = std::find_if(sum.stages.begin(), sum.stages.end(), [&](const StageTime& s) { return s.stage == stage.stage; });
    if (same == sum.stages.end()) sum.stages.push_back(stage);
    else same->seconds += stage.seconds;
  }
}

void add_ints(std::vector<std::int64_t>& sum, const std::vector<std::int64_t>& part) {
  if (sum.empty()) sum.assign(part.size(), 0);
  for (std::size_t i = 0; i < part.size(); ++i) sum[i] += part[i];
}

}  // namespace

VenuesRun compute_venues(const std::vector<VenueMarket>& venues, const RunOptions& options, bool keep_delta,
                         const std::function<std::int64_t(const Axes&)>& map_step) {
  const auto run_start = Clock::now();
  if (venues.empty()) throw Error(ErrorCode::invalid_argument, "no venue given");
  const Config& first = venues.front().config;
  // Every venue's grids and the aggregate's are held at once (4 grids each) besides one job.
  const double grids = 4.0 * 8 * first.grid.price_bins *
                       double((venues.front().market.size() + first.grid.time_group - 1) / first.grid.time_group);
  detail::require_job_memory(first, venues.front().market.size(), options.backend != Backend::cuda,
                             grids * double(venues.size()));

  VenuesRun run;
  double opened_total = 0, plan_seconds = 0;
  for (const VenueMarket& v : venues) {
    const auto start = Clock::now();
    validate_market(v.market, {v.name, {}});
    detail::check_config(v.config);
    VenueRun venue;
    venue.name = v.name;
    venue.plan = detail::build_plan(v.market, v.config, options.threads, detail::run_control(options));
    opened_total += venue.plan.opened_total_usd;
    plan_seconds += std::chrono::duration<double>(Clock::now() - start).count();
    run.venues.push_back(std::move(venue));
  }
  // One integer unit for every venue (the largest power of two that keeps the sum of all of
  // them below 2^60, as for one run), so the venues' integers add up without rounding.
  run.fixed_scale = std::ldexp(1.0, std::min(40, int(std::floor(std::log2(0x1.0p60 / std::max(opened_total, 1.0))))));

  Result& aggregate = run.aggregate;
  aggregate.stats.stages.push_back({"plan", plan_seconds});
  for (std::size_t index = 0; index < run.venues.size(); ++index) {
    VenueRun& venue = run.venues[index];
    venue.plan.fixed_scale = run.fixed_scale;
    RunOptions venue_options = options;  // progress over all venues, not each from 0 to 1
    if (options.progress)
      venue_options.progress = [&options, index, count = run.venues.size()](double fraction) {
        return options.progress((double(index) + fraction) / double(count));
      };
    detail::PlanRun one =
        detail::run_plan(venue.plan, venue_options, keep_delta, map_step ? map_step(venue.plan.axes) : -1);
    venue.tier_column = std::move(one.tier_column);
    venue.result = std::move(one.result);
    venue.liquidated_fixed = std::move(one.liquidated_fixed);
    venue.delta = std::move(one.delta);
    if (&venue == &run.venues.front()) aggregate.axes = venue.result.axes;
    else require_same_axes(aggregate.axes, venue.result.axes, venue.name);

    add_into(aggregate.raw_long, venue.result.raw_long);
    add_into(aggregate.raw_short, venue.result.raw_short);
    add_into(aggregate.smooth_long, venue.result.smooth_long);
    add_into(aggregate.smooth_short, venue.result.smooth_short);
    add_ints(run.liquidated_fixed, venue.liquidated_fixed);
    if (keep_delta) add_ints(run.delta, venue.delta);
    add_stats(aggregate.stats, venue.result.stats, venue.name);
  }
  // The open interest and book are the venues' sums, where every venue tracks one.
  const bool all_oi = std::all_of(run.venues.begin(), run.venues.end(),
                                  [](const VenueRun& v) { return !v.result.axes.column_oi_usd.empty(); });
  aggregate.axes.column_oi_usd.assign(all_oi ? aggregate.axes.column_ts.size() : 0, 0.0);
  aggregate.axes.column_book_usd.assign(aggregate.axes.column_oi_usd.size(), 0.0);
  for (const VenueRun& v : run.venues)
    for (std::size_t c = 0; c < aggregate.axes.column_oi_usd.size(); ++c) {
      aggregate.axes.column_oi_usd[c] += v.result.axes.column_oi_usd[c];
      aggregate.axes.column_book_usd[c] += v.result.axes.column_book_usd[c];
    }
  // R from the summed integers: one rounding, as for one run.
  const std::size_t steps = aggregate.axes.steps;
  aggregate.liq_long.resize(steps);
  aggregate.liq_short.resize(steps);
  for (std::size_t t = 0; t < steps; ++t) {
    aggregate.liq_long[t] = double(run.liquidated_fixed[t]) / run.fixed_scale;
    aggregate.liq_short[t] = double(run.liquidated_fixed[steps + t]) / run.fixed_scale;
    aggregate.stats.liquidated_usd += aggregate.liq_long[t] + aggregate.liq_short[t];
  }
  aggregate.stats.total_seconds = std::chrono::duration<double>(Clock::now() - run_start).count();
  return run;
}

}  // namespace liqmap::venues
