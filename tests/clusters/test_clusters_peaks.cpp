// detail::find_prominent_peaks against scipy.signal.find_peaks (tables in scipy_peak_tables.hpp).
#include <gtest/gtest.h>

#include <vector>

#include "clusters/clusters_peaks.hpp"
#include "scipy_peak_tables.hpp"

namespace {

using liqmap::detail::find_prominent_peaks;
using liqmap::detail::PeakScratch;
using liqmap::detail::ProminentPeak;
using namespace liqmap::testing;

void expect_scipy(const std::vector<double>& x, const ScipyPeaks& want) {
  PeakScratch scratch;
  std::vector<ProminentPeak> got;
  find_prominent_peaks(x.data(), x.size(), want.threshold, scratch, got);
  ASSERT_EQ(got.size(), want.bins.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].bin, want.bins[i]) << "peak " << i;
    EXPECT_DOUBLE_EQ(got[i].prominence, want.prominences[i]) << "peak " << i;
  }
}

TEST(ClusterPeaks, HandMadeProfileMatchesScipy) { expect_scipy(kHandProfile, kHandAll); }

TEST(ClusterPeaks, ThresholdKeepsProminenceEqualToIt) { expect_scipy(kHandProfile, kHandAtLeast5); }

TEST(ClusterPeaks, LcgProfileWithManyPlateausMatchesScipy) {
  expect_scipy(lcg_profile(7, 200, 6), kLcgSmall);
}

TEST(ClusterPeaks, LcgProfileWithWideRangeMatchesScipy) {
  expect_scipy(lcg_profile(12345, 300, 40), kLcgWide);
}

TEST(ClusterPeaks, ScratchIsReusedAcrossProfilesOfDifferentLengths) {
  PeakScratch scratch;
  std::vector<ProminentPeak> got;
  const std::vector<double> wide = lcg_profile(12345, 300, 40);
  find_prominent_peaks(wide.data(), wide.size(), kLcgWide.threshold, scratch, got);
  find_prominent_peaks(kHandProfile.data(), kHandProfile.size(), kHandAtLeast5.threshold, scratch, got);
  ASSERT_EQ(got.size(), kHandAtLeast5.bins.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].bin, kHandAtLeast5.bins[i]);
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
