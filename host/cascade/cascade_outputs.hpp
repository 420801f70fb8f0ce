// The cascade's files: cascade.json (path, liquidated notional per side, final price) and a picture.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cascade/cascade.hpp"

namespace liqmap::cascade {

// `context`: what the caller knows (run folder, time, how sigma and V were found).
nlohmann::json cascade_json(const Inputs& inputs, const Outcome& outcome, const nlohmann::json& context);
bool can_draw_cascade_png();
void write_cascade_png(const std::string& path, const Inputs& inputs, const Outcome& outcome);

}  // namespace liqmap::cascade
