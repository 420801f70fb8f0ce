// Result getters: axes, grids, series, statistics, each copied into the caller's buffer.
#include <string>
#include <vector>

#include "boundary.hpp"
#include "engine_state.hpp"
#include "outputs/outputs.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

namespace {

const Grid& side_grid(const Result& r, liqmap_grid_side side, liqmap_grid_stage stage) {
  const bool smoothed = stage == LIQMAP_GRID_SMOOTHED;
  return side == LIQMAP_GRID_LONG ? (smoothed ? r.smooth_long : r.raw_long)
                                  : (smoothed ? r.smooth_short : r.raw_short);
}

}  // namespace

extern "C" {

liqmap_status liqmap_engine_get_axes(liqmap_engine* engine, liqmap_axes* axes) {
  return guarded(__func__, [&] {
    const Result& r = checked_result(engine);
    liqmap_axes out{};
    out.price_bins = r.axes.price_centres.size();
    out.columns = r.axes.column_ts.size();
    out.steps = r.axes.steps;
    out.price_min = r.axes.price_min;
    out.price_max = r.axes.price_max;
    out.price_scale = r.axes.scale == PriceScale::log ? LIQMAP_SCALE_LOG : LIQMAP_SCALE_LINEAR;
    write_versioned(axes, out, LIQMAP_FIRST_VERSION_SIZE(liqmap_axes, price_scale), "axes");
  });
}

liqmap_status liqmap_engine_get_grid(liqmap_engine* engine, liqmap_grid_side side,
                                     liqmap_grid_stage stage, double* buffer, size_t capacity,
                                     size_t* count) {
  return guarded(__func__, [&] {
    const Result& r = checked_result(engine);
    const int side_value = raw_enum(side), stage_value = raw_enum(stage);
    require(side_value == LIQMAP_GRID_LONG || side_value == LIQMAP_GRID_SHORT || side_value == LIQMAP_GRID_TOTAL,
            "side " + std::to_string(side_value) + " is not LIQMAP_GRID_LONG, _SHORT or _TOTAL");
    require(stage_value == LIQMAP_GRID_RAW || stage_value == LIQMAP_GRID_SMOOTHED,
            "stage " + std::to_string(stage_value) + " is not LIQMAP_GRID_RAW or _SMOOTHED");
    if (side != LIQMAP_GRID_TOTAL) {
      const Grid& g = side_grid(r, side, stage);
      copy_out(g.data.data(), g.data.size(), buffer, capacity, count, "the grid");
      return;
    }
    // The total is summed straight into the caller's buffer, as Result::smooth_total() sums.
    const Grid& longs = side_grid(r, LIQMAP_GRID_LONG, stage);
    const Grid& shorts = side_grid(r, LIQMAP_GRID_SHORT, stage);
    copy_out(longs.data.size(), buffer, capacity, count, "the grid", [&](double* out) {
      for (std::size_t i = 0; i < longs.data.size(); ++i) out[i] = longs.data[i] + shorts.data[i];
    });
  });
}

liqmap_status liqmap_engine_get_series(liqmap_engine* engine, liqmap_series series,
                                       double* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const Result& r = checked_result(engine);
    const std::vector<double>* values = nullptr;
    switch (raw_enum(series)) {
      case LIQMAP_SERIES_PRICE_EDGES: values = &r.axes.price_edges; break;
      case LIQMAP_SERIES_PRICE_CENTRES: values = &r.axes.price_centres; break;
      case LIQMAP_SERIES_LIQUIDATED_LONG: values = &r.liq_long; break;
      case LIQMAP_SERIES_LIQUIDATED_SHORT: values = &r.liq_short; break;
    }
    require(values != nullptr, "series " + std::to_string(raw_enum(series)) + " is not a liqmap_series");
    copy_out(values->data(), values->size(), buffer, capacity, count, "the series");
  });
}

liqmap_status liqmap_engine_get_column_ts(liqmap_engine* engine, int64_t* buffer,
                                          size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const std::vector<std::int64_t>& ts = checked_result(engine).axes.column_ts;
    copy_out(ts.data(), ts.size(), buffer, capacity, count, "the column timestamps");
  });
}

liqmap_status liqmap_engine_get_stats(liqmap_engine* engine, liqmap_run_stats* stats) {
  return guarded(__func__, [&] {
    const RunStats& s = checked_result(engine).stats;
    liqmap_run_stats out{};
    out.positions_drawn = s.positions_drawn;
    out.positions_in_range = s.positions_in_range;
    out.positions_out_of_range = s.positions_out_of_range;
    out.positions_unliquidatable = s.positions_unliquidatable;
    out.positions_liquidated = s.positions_liquidated;
    out.opened_usd = s.opened_usd;
    out.in_range_usd = s.in_range_usd;
    out.out_of_range_usd = s.out_of_range_usd;
    out.unliquidatable_usd = s.unliquidatable_usd;
    out.liquidated_usd = s.liquidated_usd;
    out.total_seconds = s.total_seconds;
    out.threads = s.threads;
    out.backend = s.backend == "cuda" ? LIQMAP_BACKEND_CUDA : LIQMAP_BACKEND_CPU;
    s.flow_source.copy(out.flow_source, sizeof out.flow_source - 1);
    write_versioned(stats, out, LIQMAP_FIRST_VERSION_SIZE(liqmap_run_stats, flow_source),
                    "stats");
  });
}

liqmap_status liqmap_engine_get_stats_json(liqmap_engine* engine, char* buffer, size_t capacity,
                                           size_t* count) {
  return guarded(__func__, [&] {
    copy_string_out(detail::stats_json(checked_result(engine).stats).dump(), buffer, capacity,
                    count, "the statistics");
  });
}

}  // extern "C"
