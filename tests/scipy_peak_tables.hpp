// Inputs and expected peaks for the scipy comparisons. Expected tables computed once with
// SciPy 1.10.1 (Debian's python3-scipy):
//   peaks, props = scipy.signal.find_peaks(np.array(x, dtype=float), prominence=threshold)
// The inputs are integers, so both sides see exactly the same numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace liqmap::testing {

// Edge samples, plateaus (odd and even length), a plateau at the end, equal heights.
inline const std::vector<double> kHandProfile = {5, 1, 3, 3, 3, 1, 4, 4, 2, 6, 0, 2, 2, 7, 7,
                                                 7, 7, 1, 3, 1, 9, 9, 2, 2, 2, 8, 8, 8, 9, 9};

// A 32-bit LCG's draws modulo `modulo`, then a 3-tap moving sum (zero outside): many
// neighbouring equal values, so plateaus and equal-height walls are common.
inline std::vector<double> lcg_profile(std::uint32_t seed, std::size_t n, std::uint32_t modulo) {
  std::vector<std::uint32_t> draws(n);
  std::uint32_t x = seed;
  for (auto& d : draws) {
    x = 1664525u * x + 1013904223u;
    d = (x >> 16) % modulo;
  }
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = double((i > 0 ? draws[i - 1] : 0) + draws[i] + (i + 1 < n ? draws[i + 1] : 0));
  return out;
}

struct ScipyPeaks {
  double threshold;
  std::vector<std::size_t> bins;
  std::vector<double> prominences;
};

// kHandProfile
inline const ScipyPeaks kHandAll = {0, {3, 6, 9, 14, 18, 20}, {2, 2, 5, 6, 2, 7}};
inline const ScipyPeaks kHandAtLeast5 = {5, {9, 14, 20}, {5, 6, 7}};

// lcg_profile(7, 200, 6)
inline const ScipyPeaks kLcgSmall = {
    3,
    {5, 12, 24, 32, 39, 46, 50, 58, 69, 75, 86, 91, 101, 105,
     109, 119, 124, 129, 136, 143, 152, 158, 162, 166, 170, 176, 186, 195},
    {8, 8, 6, 3, 6, 13, 4, 4, 11, 6, 8, 8, 6, 3, 3, 11, 3, 8, 8, 4, 3, 3, 7, 3, 10, 6, 5, 6}};

// lcg_profile(12345, 300, 40)
inline const ScipyPeaks kLcgWide = {
    20,
    {3,   12,  25,  34,  41,  49,  58,  65,  71,  73,  85,  97,  101, 114, 119, 128, 145, 150, 152,
     156, 167, 172, 176, 183, 189, 196, 205, 208, 214, 219, 233, 239, 247, 264, 272, 282, 290},
    {63, 23, 30, 62, 36, 79, 35, 59, 24, 38, 48, 96, 32, 57, 29, 63, 34, 21, 21,
     69, 46, 78, 38, 44, 28, 63, 23, 24, 51, 48, 82, 40, 66, 48, 23, 77, 56}};

}  // namespace liqmap::testing
