// The dark-to-bright perceptual colour scale of the heatmap (viridis: dark purple, blue,
// teal, green, yellow), as CoinGlass users know it.
#pragma once

#include <array>
#include <cstdint>

namespace liqmap::report {

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
};

// t in [0, 1] (clamped): 0 = the empty-map colour, 1 = the hottest cluster.
Rgb colour_at(double t);

}  // namespace liqmap::report
