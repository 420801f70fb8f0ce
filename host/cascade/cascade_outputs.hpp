// cascade.png (cascade.json: cascade_json in cascade.hpp).
#pragma once

#include <string>

#include "cascade/cascade.hpp"

namespace liqmap::cascade {

bool can_draw_cascade_png();
void write_cascade_png(const std::string& path, const Inputs& inputs, const Outcome& outcome);

}  // namespace liqmap::cascade
