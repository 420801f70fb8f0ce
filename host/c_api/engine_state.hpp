// What a liqmap_engine handle holds, and the check that a handle is live.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/map_job.hpp"
#include "liqmap/clusters.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/liqmap.h"
#include "liqmap/market.hpp"
#include "live/live_model.hpp"

struct liqmap_engine {
  liqmap::Config config = liqmap::default_config();
  std::optional<liqmap::Market> market;
  struct Venue {
    std::string name;
    std::optional<liqmap::Schedule> schedule;  // else the config's exchanges entry of that name
    liqmap::Market market;
  };
  std::vector<Venue> venues;  // when not empty, compute runs them instead of `market`
  // The map job's run of `market` (or the venues) and `config`: the drawn result, its market and
  // config, the liquidation map. Reset when an input changes.
  std::optional<liqmap::app::MapRun> run;
  std::optional<liqmap::ColumnClusters> clusters;  // of the run's result, read when first asked for
  // Of the last liqmap_engine_read_market or _apply_market_defaults (market_files.cpp).
  std::vector<std::string> notices;
  std::optional<liqmap::OiUnit> oi_unit;
  bool computing = false;  // inside liqmap_engine_compute (its progress callback may call back in)
  // After liqmap_engine_append: the live model of the market's committed bars, and whether the
  // market's last bar is a provisional one (replaced by the next append).
  std::optional<liqmap::live::LiveModel> live;
  bool live_provisional = false;
};

namespace liqmap::c_api {

// The engine behind a handle; throws ApiError(LIQMAP_ERROR_INVALID_HANDLE) for NULL or for a
// handle that is not live (freed, or never made by liqmap_engine_create).
liqmap_engine& checked_engine(liqmap_engine* engine);

// The engine's result; throws ApiError(LIQMAP_ERROR_NO_RESULT) before a successful compute.
const Result& checked_result(liqmap_engine* engine);

// The run options of a compute (options may be NULL: the defaults), checked; refused while the
// engine is computing (a call from its own progress callback).
RunOptions run_options_of(const liqmap_engine& engine, const liqmap_run_options* options);

// Marks the engine as computing for its lifetime (its progress callback may call back in).
class ComputingScope {
 public:
  explicit ComputingScope(liqmap_engine& engine) : engine_(engine) { engine_.computing = true; }
  ~ComputingScope() { engine_.computing = false; }
  ComputingScope(const ComputingScope&) = delete;
  ComputingScope& operator=(const ComputingScope&) = delete;

 private:
  liqmap_engine& engine_;
};

// Forgets the result, the clusters read from it and the live model.
void discard_result(liqmap_engine& engine);

// The market and configuration the result describes (the window's when one was drawn). Call
// after checked_result.
inline const Market& drawn_market(const liqmap_engine& e) { return e.run->drawn.market; }
inline const Config& drawn_config(const liqmap_engine& e) { return e.run->config; }

}  // namespace liqmap::c_api
