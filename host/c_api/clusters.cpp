// Cluster getters: liqmap::extract_clusters at one column, copied into the caller's buffers.
#include <string>
#include <vector>

#include "boundary.hpp"
#include "engine_state.hpp"
#include "liqmap/error.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

namespace {

// The clusters of the engine's result, read at the configured column on first use.
const ColumnClusters& checked_clusters(liqmap_engine* engine) {
  const Result& result = checked_result(engine);
  liqmap_engine& e = *engine;
  if (!e.clusters)
    e.clusters = extract_clusters(result, drawn_market(e), drawn_config(e).clusters, drawn_config(e).clusters.column);
  return *e.clusters;
}

liqmap_peak to_c(const Peak& p) {
  liqmap_peak out{};
  out.bin = p.bin;
  out.price = p.price;
  out.value_usd = p.value;
  out.prominence = p.prominence;
  out.side = p.side == ClusterSide::above ? LIQMAP_SIDE_ABOVE : LIQMAP_SIDE_BELOW;
  out.distance_pct = p.distance_pct;
  return out;
}

liqmap_bias to_c_bias(const std::string& bias) {
  if (bias == "dominant_above") return LIQMAP_BIAS_DOMINANT_ABOVE;
  if (bias == "dominant_below") return LIQMAP_BIAS_DOMINANT_BELOW;
  if (bias == "balanced") return LIQMAP_BIAS_BALANCED;
  throw Error(ErrorCode::internal, "extract_clusters gave an unknown bias \"" + bias + "\"");
}

}  // namespace

extern "C" {

liqmap_status liqmap_engine_extract_clusters(liqmap_engine* engine, int64_t column) {
  return guarded(__func__, [&] {
    const Result& result = checked_result(engine);
    liqmap_engine& e = *engine;
    e.clusters = extract_clusters(result, drawn_market(e), drawn_config(e).clusters, static_cast<long>(column));
  });
}

liqmap_status liqmap_engine_get_cluster_summary(liqmap_engine* engine,
                                                liqmap_cluster_summary* summary) {
  return guarded(__func__, [&] {
    const ColumnClusters& c = checked_clusters(engine);
    liqmap_cluster_summary out{};
    out.column = c.column;
    out.ts = c.ts;
    out.price = c.price;
    out.peak_count = c.peaks.size();
    out.zone_count = c.zones.size();
    out.above_usd = c.summary.above_usd;
    out.below_usd = c.summary.below_usd;
    out.asymmetry = c.summary.asymmetry;
    out.bias = to_c_bias(c.summary.bias);
    out.has_largest_above = c.summary.largest_above.has_value() ? 1 : 0;
    if (c.summary.largest_above) out.largest_above = to_c(*c.summary.largest_above);
    out.has_largest_below = c.summary.largest_below.has_value() ? 1 : 0;
    if (c.summary.largest_below) out.largest_below = to_c(*c.summary.largest_below);
    write_versioned(summary, out, LIQMAP_FIRST_VERSION_SIZE(liqmap_cluster_summary, largest_below),
                    "summary");
  });
}

liqmap_status liqmap_engine_get_peaks(liqmap_engine* engine, liqmap_peak* buffer,
                                      size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const std::vector<Peak>& peaks = checked_clusters(engine).peaks;
    copy_out(peaks.size(), buffer, capacity, count, "the peaks", [&](liqmap_peak* out) {
      for (const Peak& p : peaks) *out++ = to_c(p);
    });
  });
}

liqmap_status liqmap_engine_get_zones(liqmap_engine* engine, liqmap_zone* buffer,
                                      size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const std::vector<Zone>& zones = checked_clusters(engine).zones;
    copy_out(zones.size(), buffer, capacity, count, "the zones", [&](liqmap_zone* out) {
      for (const Zone& z : zones) {
        liqmap_zone zone{};
        zone.first_bin = z.first_bin;
        zone.last_bin = z.last_bin;
        zone.price_low = z.price_low;
        zone.price_high = z.price_high;
        zone.notional_usd = z.notional;
        zone.peak_count = z.peaks.size();
        zone.stacked = z.stacked ? 1 : 0;
        *out++ = zone;
      }
    });
  });
}

liqmap_status liqmap_engine_get_zone_peaks(liqmap_engine* engine, size_t zone, size_t* buffer,
                                           size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const std::vector<Zone>& zones = checked_clusters(engine).zones;
    require(zone < zones.size(), "zone " + std::to_string(zone) + " does not exist; there are " +
                                     std::to_string(zones.size()));
    const std::vector<std::size_t>& peaks = zones[zone].peaks;
    copy_out(peaks.data(), peaks.size(), buffer, capacity, count, "the zone's peaks");
  });
}

liqmap_status liqmap_engine_get_cluster_curve(liqmap_engine* engine, liqmap_cluster_curve curve,
                                              double* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const ColumnClusters& c = checked_clusters(engine);
    const int which = raw_enum(curve);
    require(which == LIQMAP_CURVE_SHORT_ABOVE || which == LIQMAP_CURVE_LONG_BELOW,
            "curve " + std::to_string(which) +
                " is not LIQMAP_CURVE_SHORT_ABOVE or LIQMAP_CURVE_LONG_BELOW");
    const std::vector<double>& values =
        which == LIQMAP_CURVE_SHORT_ABOVE ? c.cumulative_short_above : c.cumulative_long_below;
    copy_out(values.data(), values.size(), buffer, capacity, count, "the cumulative curve");
  });
}

}  // extern "C"
