#include "colormap.hpp"

#include <algorithm>
#include <cmath>

namespace liqmap::report {
namespace {

// Viridis as a degree-6 polynomial per channel: Matt Zucker's least-squares fit to
// matplotlib's table (Shadertoy WlfXRN). Ends at #460155-ish purple and #fde725-ish yellow.
constexpr double kCoefficients[7][3] = {
    {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
    {0.1050930431085774, 1.404613529898575, 1.384590162594685},
    {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
    {-4.634230498983486, -5.799100973351585, -19.33244095627987},
    {6.228269936347081, 14.17993336680509, 56.69055260068105},
    {4.776384997670288, -13.74514537774601, -65.35303263337234},
    {-5.435455855934631, 4.645852612178535, 26.3124352495832}};

std::uint8_t channel(double t, int c) {
  double v = 0;
  for (int k = 6; k >= 0; --k) v = v * t + kCoefficients[k][c];
  return static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
}

std::array<Rgb, 256> build_table() {
  std::array<Rgb, 256> table{};
  for (int i = 0; i < 256; ++i) {
    const double t = i / 255.0;
    table[i] = {channel(t, 0), channel(t, 1), channel(t, 2)};
  }
  return table;
}

}  // namespace

Rgb colour_at(double t) {
  static const std::array<Rgb, 256> table = build_table();
  if (!(t > 0)) return table[0];
  return table[static_cast<std::size_t>(std::lround(std::min(t, 1.0) * 255.0))];
}

}  // namespace liqmap::report
