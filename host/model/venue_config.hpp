// The config's `venues` array (README "Several venues"): parsed strictly like the rest of the
// config, and written back into axes.json.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "liqmap/config.hpp"

namespace liqmap::detail {

// [{"name", "market": path or [paths], "oi": path or [paths], "long_share", "schedule",
// "contract": "linear"|"inverse"}, ...]. Throws Error(config) naming the key.
std::vector<VenueSpec> parse_venues(const nlohmann::json& list);

// A venue's schedule: its own, else the exchanges[] entry of the same name; checked against its
// contract type. Throws Error(config) naming the venue and what is known.
Schedule venue_schedule(const VenueSpec& venue, const Config& config);

nlohmann::json venues_to_json(const std::vector<VenueSpec>& venues);

}  // namespace liqmap::detail
