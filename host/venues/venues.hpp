// Several venues, each mapped from its own candles, open interest and margin schedule, on one
// shared time axis and price axis; the aggregate is their sum (README "Several venues",
// docs/model.md section 9). Composed above the backends: one plan per venue, each run through
// the backend table, with one integer unit for all so that their integer deltas add exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "engine/backend.hpp"
#include "model/plan.hpp"

namespace liqmap::venues {

struct VenueMarket {
  std::string name;
  Market market;
  Config config;  // the run's config with this venue's schedule (exchanges = [it]) and long share
};

// Puts every venue on one time axis: the union of their bar times inside the window all of them
// cover. A venue missing a bar there gets a flat bar at its previous close with no volume and
// its open interest carried (said in a notice naming the gaps); bars outside the window are left
// out (said). Throws Error(input) when the venues share no time or one misses more than a
// quarter of the shared bars (another bar interval or offset: they cannot be aligned).
std::vector<std::string> align_venues(std::vector<VenueMarket>& venues);

// One price axis for all: where the config leaves it open, the default range (docs/model.md
// section 5) over every venue's candles in steps [first, last].
void share_price_axis(std::vector<VenueMarket>& venues, std::size_t first, std::size_t last);

struct VenueRun {
  std::string name;
  Result result;
  detail::Plan plan;  // kept for the liquidation map's per-tier pass
  std::vector<std::int64_t> liquidated_fixed, delta;  // delta only with keep_delta
  detail::TierColumn tier_column;  // the liquidation map's, as the CPU scatter added it (detail::RunExtras)
};

struct VenuesRun {
  Result aggregate;                 // grids, R and statistics summed over the venues
  std::vector<VenueRun> venues;
  double fixed_scale = 1;           // the integer units per USD that every venue used
  std::vector<std::int64_t> liquidated_fixed, delta;  // the sums of the venues' integers
};

// Runs every (aligned, shared-axis) venue through the backend `options` choose. `keep_delta`
// keeps each venue's integer delta grid and their sum (tests; 16 bytes per bin x step each).
// `map_step`, when given, picks the liquidation map's step from the (shared) axes: each venue's
// CPU scatter then adds the map's column there as it draws.
VenuesRun compute_venues(const std::vector<VenueMarket>& venues, const RunOptions& options, bool keep_delta = false,
                         const std::function<std::int64_t(const Axes&)>& map_step = {});

}  // namespace liqmap::venues
