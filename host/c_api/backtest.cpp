// The backtest and the cascade behind the C API (liqmap.h, "Backtest and cascade").
#include <string>
#include <vector>

#include "backtest/backtest.hpp"
#include "backtest/backtest_json.hpp"
#include "boundary.hpp"
#include "cascade/cascade.hpp"
#include "engine_state.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

namespace {

// The fields of the first published versions: later fields are read only when `size` covers them.
constexpr std::size_t kBacktestOptionsV1 = sizeof(liqmap_backtest_options);
constexpr std::size_t kCascadeInputsV1 = sizeof(liqmap_cascade_inputs);
constexpr std::size_t kCascadeResultV1 = sizeof(liqmap_cascade_result);

backtest::Options to_options(const liqmap_backtest_options& in, const Config::Clusters& clusters) {
  backtest::Options o;
  o.min_distance_pct = in.min_distance_pct;
  o.max_distance_pct = in.max_distance_pct;
  if (in.horizons_ms) {
    require(in.horizon_count > 0, "horizon_count is 0 while horizons_ms is set");
    o.horizons_ms.assign(in.horizons_ms, in.horizons_ms + in.horizon_count);
  }
  if (in.every_ms != 0) o.every_ms = in.every_ms;
  if (in.momentum_lookback_ms != 0) o.momentum_lookback_ms = in.momentum_lookback_ms;
  o.reverse_bars = in.reverse_bars;
  o.bootstrap_draws = in.bootstrap_draws;
  o.seed = in.seed;
  o.clusters = clusters;
  return o;
}

}  // namespace

extern "C" {

liqmap_backtest_options liqmap_backtest_options_default(void) {
  const backtest::Options d;
  liqmap_backtest_options o{};
  o.size = sizeof o;
  o.min_distance_pct = d.min_distance_pct;
  o.max_distance_pct = d.max_distance_pct;
  o.reverse_bars = d.reverse_bars;
  o.bootstrap_draws = d.bootstrap_draws;
  o.seed = d.seed;
  return o;
}

liqmap_status liqmap_engine_backtest(liqmap_engine* engine, const liqmap_backtest_options* options, char* buffer,
                                     size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const Result& result = checked_result(engine);
    require(count != nullptr, "count is NULL");
    const liqmap_backtest_options given = options ? *options : liqmap_backtest_options_default();
    if (options) check_versioned(options, kBacktestOptionsV1, "liqmap_backtest_options");
    const backtest::Report report = backtest::run_backtest(result, drawn_market(*engine), to_options(given, drawn_config(*engine).clusters));
    copy_string_out(backtest::backtest_json(report).dump(), buffer, capacity, count, "the backtest's JSON");
  });
}

liqmap_status liqmap_cascade(const liqmap_cascade_inputs* inputs, liqmap_cascade_result* result, liqmap_cascade_step* path,
                             size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    check_versioned(inputs, kCascadeInputsV1, "liqmap_cascade_inputs");
    require(inputs->bins > 0 && inputs->price && inputs->long_usd && inputs->short_usd,
            "inputs need bins > 0 and the price, long_usd and short_usd arrays");
    require(count != nullptr || path == nullptr, "count is NULL");
    cascade::Inputs in;
    in.profile.price.assign(inputs->price, inputs->price + inputs->bins);
    in.profile.long_usd.assign(inputs->long_usd, inputs->long_usd + inputs->bins);
    in.profile.short_usd.assign(inputs->short_usd, inputs->short_usd + inputs->bins);
    in.start_price = inputs->start_price;
    in.shocked_price = inputs->shocked_price;
    in.sigma_daily = inputs->sigma_daily;
    in.volume_daily_usd = inputs->volume_daily_usd;
    in.impact_y = inputs->impact_y;
    const cascade::Outcome out = cascade::simulate(in);
    if (count)
      copy_out(out.path.size(), path, capacity, count, "the cascade's path", [&](liqmap_cascade_step* steps) {
        for (std::size_t i = 0; i < out.path.size(); ++i)
          steps[i] = {out.path[i].iteration, out.path[i].price, out.path[i].flow_usd, out.path[i].liquidated_usd};
      });
    if (result) {
      liqmap_cascade_result r{};
      r.size = sizeof r;
      r.final_price = out.final_price;
      r.long_usd = out.long_usd;
      r.short_usd = out.short_usd;
      r.extra_move_pct = out.extra_move_pct;
      r.rounds = out.path.size() - 1;
      r.converged = out.converged ? 1 : 0;
      write_versioned(result, r, kCascadeResultV1, "liqmap_cascade_result");
    }
  });
}

}  // extern "C"
