// What a liqmap_engine handle holds, and the check that a handle is live.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "liqmap/clusters.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/liqmap.h"
#include "liqmap/market.hpp"

struct liqmap_engine {
  liqmap::Config config = liqmap::default_config();
  std::optional<liqmap::Market> market;
  struct Venue {
    std::string name;
    std::optional<liqmap::Schedule> schedule;  // else the config's exchanges entry of that name
    liqmap::Market market;
  };
  std::vector<Venue> venues;  // when not empty, compute runs them instead of `market`
  std::optional<liqmap::Result> result;  // of `market` and `config`; reset when either changes
  std::optional<liqmap::ColumnClusters> clusters;  // of `result`, read when first asked for
  // Of the last liqmap_engine_read_market or _apply_market_defaults (market_files.cpp).
  std::vector<std::string> notices;
  std::optional<liqmap::OiUnit> oi_unit;
  // Set by liqmap_engine_compute_window (window.cpp): the window's bars and the configuration
  // with the price range fitted to them, which the result, clusters and outputs describe.
  std::optional<liqmap::Market> drawn_market;
  std::optional<liqmap::Config> drawn_config;
  bool computing = false;  // inside liqmap_engine_compute (its progress callback may call back in)
};

namespace liqmap::c_api {

// The engine behind a handle; throws ApiError(LIQMAP_ERROR_INVALID_HANDLE) for NULL or for a
// handle that is not live (freed, or never made by liqmap_engine_create).
liqmap_engine& checked_engine(liqmap_engine* engine);

// The engine's result; throws ApiError(LIQMAP_ERROR_NO_RESULT) before a successful compute.
const Result& checked_result(liqmap_engine* engine);

// Forgets the result and the clusters read from it.
void discard_result(liqmap_engine& engine);

// The market and configuration the result describes: the window's when one was drawn.
inline const Market& drawn_market(const liqmap_engine& e) { return e.drawn_market ? *e.drawn_market : *e.market; }
inline const Config& drawn_config(const liqmap_engine& e) { return e.drawn_config ? *e.drawn_config : e.config; }

}  // namespace liqmap::c_api
