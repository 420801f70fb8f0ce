// Peak finding against scipy.signal.find_peaks. The expected tables were computed once with
// SciPy 1.10.1 (Debian's python3-scipy):
//   peaks, props = scipy.signal.find_peaks(np.array(x, dtype=float), prominence=threshold)
// on the inputs rebuilt below (integers, so both sides see exactly the same numbers).
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "clusters_peaks.hpp"

namespace {

using liqmap::detail::find_prominent_peaks;
using liqmap::detail::PeakScratch;
using liqmap::detail::ProminentPeak;

// Edge samples, plateaus (odd and even length), a plateau at the end, equal heights.
const std::vector<double> kHand = {5, 1, 3, 3, 3, 1, 4, 4, 2, 6, 0, 2, 2, 7, 7,
                                   7, 7, 1, 3, 1, 9, 9, 2, 2, 2, 8, 8, 8, 9, 9};

// A 32-bit LCG's draws modulo `modulo`, then a 3-tap moving sum (zero outside): many
// neighbouring equal values, so plateaus and equal-height walls are common.
std::vector<double> lcg_profile(std::uint32_t seed, std::size_t n, std::uint32_t modulo) {
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

struct Expected {
  std::vector<std::size_t> bins;
  std::vector<double> prominences;
};

void expect_scipy(const std::vector<double>& x, double threshold, const Expected& want) {
  PeakScratch scratch;
  std::vector<ProminentPeak> got;
  find_prominent_peaks(x.data(), x.size(), threshold, scratch, got);
  ASSERT_EQ(got.size(), want.bins.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].bin, want.bins[i]) << "peak " << i;
    EXPECT_DOUBLE_EQ(got[i].prominence, want.prominences[i]) << "peak " << i;
  }
}

TEST(ClusterPeaks, HandMadeProfileMatchesScipy) {
  expect_scipy(kHand, 0, {{3, 6, 9, 14, 18, 20}, {2, 2, 5, 6, 2, 7}});
}

TEST(ClusterPeaks, ThresholdKeepsProminenceEqualToIt) {
  expect_scipy(kHand, 5, {{9, 14, 20}, {5, 6, 7}});
}

TEST(ClusterPeaks, LcgProfileWithManyPlateausMatchesScipy) {
  expect_scipy(lcg_profile(7, 200, 6), 3,
               {{5, 12, 24, 32, 39, 46, 50, 58, 69, 75, 86, 91, 101, 105,
                 109, 119, 124, 129, 136, 143, 152, 158, 162, 166, 170, 176, 186, 195},
                {8, 8, 6, 3, 6, 13, 4, 4, 11, 6, 8, 8, 6, 3,
                 3, 11, 3, 8, 8, 4, 3, 3, 7, 3, 10, 6, 5, 6}});
}

TEST(ClusterPeaks, LcgProfileWithWideRangeMatchesScipy) {
  expect_scipy(lcg_profile(12345, 300, 40), 20,
               {{3,   12,  25,  34,  41,  49,  58,  65,  71,  73,  85,  97,  101,
                 114, 119, 128, 145, 150, 152, 156, 167, 172, 176, 183, 189, 196,
                 205, 208, 214, 219, 233, 239, 247, 264, 272, 282, 290},
                {63, 23, 30, 62, 36, 79, 35, 59, 24, 38, 48, 96, 32, 57, 29, 63, 34, 21, 21,
                 69, 46, 78, 38, 44, 28, 63, 23, 24, 51, 48, 82, 40, 66, 48, 23, 77, 56}});
}

TEST(ClusterPeaks, FlatAndTinyProfilesHaveNoPeaks) {
  PeakScratch scratch;
  std::vector<ProminentPeak> got;
  const std::vector<double> flat(50, 0.0);
  find_prominent_peaks(flat.data(), flat.size(), 0, scratch, got);
  EXPECT_TRUE(got.empty());
  const std::vector<double> two = {1, 2};
  find_prominent_peaks(two.data(), two.size(), 0, scratch, got);
  EXPECT_TRUE(got.empty());
}

}  // namespace
