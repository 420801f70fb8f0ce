// extract_clusters and extract_clusters_at (MODEL.md section 7) on hand-built columns.
#include <gtest/gtest.h>

#include <cmath>

#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"
#include "report_fixtures.hpp"
#include "scipy_peak_tables.hpp"

namespace {

using namespace liqmap;
using namespace liqmap::testing;

Config::Clusters options(double min_prominence, double zone_level, int top) {
  Config::Clusters o;
  o.min_prominence = min_prominence;
  o.zone_level = zone_level;
  o.top = top;
  return o;
}

// Bins of width 1 over [0, n): bin b has centre b + 0.5.
Result unit_bins(std::size_t n, std::size_t columns = 1) { return make_result(n, columns, 0.0, double(n)); }

TEST(Clusters, PeaksMatchScipyOnAGridColumn) {
  const std::vector<double> h = lcg_profile(12345, 300, 40);
  Result r = unit_bins(h.size(), 3);
  set_column(r, 1, h, 150.2);  // split across both grids: the total is what counts
  const Market m = make_market({150.2, 150.2, 150.2});
  const double max_h = *std::max_element(h.begin(), h.end());
  const ColumnClusters c = extract_clusters(r, m, options(kLcgWide.threshold / max_h, 0.25, 1000), 1);
  ASSERT_EQ(c.peaks.size(), kLcgWide.bins.size());
  // Peaks come sorted by h; compare as sets keyed by bin.
  for (const Peak& p : c.peaks) {
    const auto it = std::find(kLcgWide.bins.begin(), kLcgWide.bins.end(), p.bin);
    ASSERT_NE(it, kLcgWide.bins.end()) << "bin " << p.bin << " is not a scipy peak";
    EXPECT_DOUBLE_EQ(p.prominence, kLcgWide.prominences[std::size_t(it - kLcgWide.bins.begin())]);
    EXPECT_DOUBLE_EQ(p.value, h[p.bin]);
  }
}

TEST(Clusters, TopKeepsTheLargestPeaksByHeightInOrder) {
  const std::vector<double> h = lcg_profile(12345, 300, 40);
  Result r = unit_bins(h.size());
  set_column(r, 0, h, 0);
  const Market m = make_market({100});
  const double max_h = *std::max_element(h.begin(), h.end());
  const ColumnClusters c = extract_clusters(r, m, options(kLcgWide.threshold / max_h, 0.25, 5), 0);
  ASSERT_EQ(c.peaks.size(), 5u);
  std::vector<double> heights;
  for (std::size_t b : kLcgWide.bins) heights.push_back(h[b]);
  std::sort(heights.rbegin(), heights.rend());
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(c.peaks[i].value, heights[i]) << i;
}

TEST(Clusters, SideAndDistanceAreRelativeToTheClose) {
  std::vector<double> h(40, 0.0);
  h[10] = 4;  // centre 10.5, below
  h[30] = 8;  // centre 30.5, above
  Result r = unit_bins(h.size());
  set_column(r, 0, h, 20);
  const ColumnClusters c = extract_clusters(r, make_market({20}), options(0.05, 0.25, 10), -1);
  ASSERT_EQ(c.peaks.size(), 2u);
  EXPECT_EQ(c.peaks[0].bin, 30u);
  EXPECT_EQ(c.peaks[0].side, ClusterSide::above);
  EXPECT_DOUBLE_EQ(c.peaks[0].distance_pct, (30.5 - 20) / 20 * 100);
  EXPECT_EQ(c.peaks[1].side, ClusterSide::below);
  EXPECT_DOUBLE_EQ(c.peaks[1].distance_pct, (10.5 - 20) / 20 * 100);
  ASSERT_TRUE(c.summary.largest_above && c.summary.largest_below);
  EXPECT_EQ(c.summary.largest_above->bin, 30u);
  EXPECT_EQ(c.summary.largest_below->bin, 10u);
  EXPECT_EQ(c.price, 20);
}

TEST(Clusters, ProminenceFilterIsRelativeToTheLargestValue) {
  std::vector<double> h(40, 0.0);
  h[10] = 100;
  h[20] = 4.9;  // prominence 4.9 < 5% of 100
  h[30] = 5;    // prominence exactly 5% of 100: kept
  Result r = unit_bins(h.size());
  set_column(r, 0, h, 0);
  const ColumnClusters c = extract_clusters(r, make_market({1}), options(0.05, 0.25, 10), 0);
  ASSERT_EQ(c.peaks.size(), 2u);
  EXPECT_EQ(c.peaks[0].bin, 10u);
  EXPECT_EQ(c.peaks[1].bin, 30u);
}

TEST(Clusters, ZonesAreRunsAboveTheLevelAndStackedWithTwoPeaks) {
  //                            0  1  2  3  4  5  6  7  8  9 10 11 12 13
  const std::vector<double> h = {0, 0, 1, 5, 2, 6, 1, 0, 0, 4, 8, 4, 0, 0};
  Result r = unit_bins(h.size());
  set_column(r, 0, h, 100);
  const ColumnClusters c = extract_clusters(r, make_market({100}), options(0.05, 0.25, 10), 0);
  // level = 0.25 * 8 = 2: bins 3..5 (5, 2, 6) and 9..11 (4, 8, 4).
  ASSERT_EQ(c.zones.size(), 2u);
  EXPECT_EQ(c.zones[0].first_bin, 3u);
  EXPECT_EQ(c.zones[0].last_bin, 5u);
  EXPECT_DOUBLE_EQ(c.zones[0].notional, 13);
  EXPECT_DOUBLE_EQ(c.zones[0].price_low, 3);
  EXPECT_DOUBLE_EQ(c.zones[0].price_high, 6);
  EXPECT_TRUE(c.zones[0].stacked);
  ASSERT_EQ(c.zones[0].peaks.size(), 2u);
  EXPECT_EQ(c.peaks[c.zones[0].peaks[0]].bin + c.peaks[c.zones[0].peaks[1]].bin, 3u + 5u);
  EXPECT_EQ(c.zones[1].first_bin, 9u);
  EXPECT_EQ(c.zones[1].last_bin, 11u);
  EXPECT_DOUBLE_EQ(c.zones[1].notional, 16);
  EXPECT_FALSE(c.zones[1].stacked);
  ASSERT_EQ(c.zones[1].peaks.size(), 1u);
  EXPECT_EQ(c.peaks[c.zones[1].peaks[0]].bin, 10u);
}

// Two bins: centre 0.5 (below p* = 1) and 1.5 (above).
ClusterSummary summary_of(double below, double above) {
  Result r = unit_bins(2);
  r.smooth_long.at(0, 0) = below;
  r.smooth_short.at(1, 0) = above;
  return extract_clusters(r, make_market({1.0}), options(0.05, 0.25, 10), 0).summary;
}

TEST(Clusters, BiasLabelFollowsTheAsymmetryThresholds) {
  ClusterSummary s = summary_of(2, 3);  // (3 - 2) / 5 = 0.2 exactly
  EXPECT_DOUBLE_EQ(s.asymmetry, 0.2);
  EXPECT_EQ(s.bias, "dominant_above");
  s = summary_of(3, 2);
  EXPECT_DOUBLE_EQ(s.asymmetry, -0.2);
  EXPECT_EQ(s.bias, "dominant_below");
  s = summary_of(81, 119);  // 0.19
  EXPECT_NEAR(s.asymmetry, 0.19, 1e-12);
  EXPECT_EQ(s.bias, "balanced");
  s = summary_of(119, 81);
  EXPECT_EQ(s.bias, "balanced");
  EXPECT_DOUBLE_EQ(s.above_usd, 81);
  EXPECT_DOUBLE_EQ(s.below_usd, 119);
}

TEST(Clusters, BinHoldingTheCloseCountsOnTheSideOfItsCentre) {
  Result r = unit_bins(3);  // centres 0.5, 1.5, 2.5
  for (std::size_t b = 0; b < 3; ++b) r.smooth_long.at(b, 0) = 1;
  // p* = 1.4 lies in bin 1, whose centre 1.5 is above it.
  ColumnClusters c = extract_clusters(r, make_market({1.4}), options(0.05, 0.25, 10), 0);
  EXPECT_DOUBLE_EQ(c.summary.above_usd, 2);
  EXPECT_DOUBLE_EQ(c.summary.below_usd, 1);
  // p* = 1.6: the same bin's centre is now below.
  c = extract_clusters(r, make_market({1.6}), options(0.05, 0.25, 10), 0);
  EXPECT_DOUBLE_EQ(c.summary.above_usd, 1);
  EXPECT_DOUBLE_EQ(c.summary.below_usd, 2);
}

TEST(Clusters, CumulativeCurvesSumOutwardFromTheClose) {
  Result r = unit_bins(6);  // p* = 3: bins 0..2 below, 3..5 above
  const double longs[6] = {1, 2, 3, 100, 100, 100};  // longs above p* are not in the long curve
  const double shorts[6] = {100, 100, 100, 4, 5, 6};
  for (std::size_t b = 0; b < 6; ++b) {
    r.smooth_long.at(b, 0) = longs[b];
    r.smooth_short.at(b, 0) = shorts[b];
  }
  const ColumnClusters c = extract_clusters(r, make_market({3}), options(0.05, 0.25, 10), 0);
  EXPECT_EQ(c.cumulative_long_below, (std::vector<double>{6, 5, 3, 0, 0, 0}));
  EXPECT_EQ(c.cumulative_short_above, (std::vector<double>{0, 0, 0, 4, 9, 15}));
}

TEST(Clusters, AllZeroColumnIsBalancedWithNothingInIt) {
  Result r = unit_bins(50, 2);
  const ColumnClusters c = extract_clusters(r, make_market({25, 25}), options(0.05, 0.25, 10), 1);
  EXPECT_TRUE(c.peaks.empty());
  EXPECT_TRUE(c.zones.empty());
  EXPECT_EQ(c.summary.asymmetry, 0);
  EXPECT_FALSE(std::isnan(c.summary.asymmetry));
  EXPECT_EQ(c.summary.bias, "balanced");
  EXPECT_FALSE(c.summary.largest_above || c.summary.largest_below);
  for (double v : c.cumulative_short_above) EXPECT_EQ(v, 0);
  for (double v : c.cumulative_long_below) EXPECT_EQ(v, 0);
}

TEST(Clusters, ColumnsCountFromTheEndAndOutsideIsAnError) {
  Result r = unit_bins(10, 4);
  const Market m = make_market({1, 2, 3, 4});
  EXPECT_EQ(extract_clusters(r, m, options(0.05, 0.25, 10), -1).column, 3u);
  EXPECT_EQ(extract_clusters(r, m, options(0.05, 0.25, 10), -4).column, 0u);
  EXPECT_DOUBLE_EQ(extract_clusters(r, m, options(0.05, 0.25, 10), -2).price, 3);
  EXPECT_THROW(extract_clusters(r, m, options(0.05, 0.25, 10), 4), Error);
  EXPECT_THROW(extract_clusters(r, m, options(0.05, 0.25, 10), -5), Error);
  EXPECT_EQ(column_at_or_before(r, kStartTs + 2 * kStepMs + 1), 2u);
  EXPECT_EQ(column_at_or_before(r, kStartTs - 1), 0u);
}

TEST(Clusters, ManyColumnsAtOnceEqualOneAtATime) {
  const std::size_t bins = 300, columns = 70;  // more than two tiles of columns
  Result r = unit_bins(bins, columns);
  std::vector<double> closes;
  for (std::size_t col = 0; col < columns; ++col) {
    closes.push_back(100 + double(col));
    set_column(r, col, lcg_profile(std::uint32_t(col + 1), bins, 30), closes.back());
  }
  const Market m = make_market(closes);
  std::vector<std::size_t> wanted;
  for (std::size_t col = 0; col < columns; col += 3) wanted.push_back(col);
  const Config::Clusters o = options(0.1, 0.5, 7);
  const std::vector<ColumnClusters> many = extract_clusters_at(r, m, o, wanted);
  ASSERT_EQ(many.size(), wanted.size());
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const ColumnClusters one = extract_clusters(r, m, o, long(wanted[i]));
    ASSERT_EQ(many[i].column, wanted[i]);
    ASSERT_EQ(many[i].peaks.size(), one.peaks.size());
    for (std::size_t k = 0; k < one.peaks.size(); ++k) {
      EXPECT_EQ(many[i].peaks[k].bin, one.peaks[k].bin);
      EXPECT_EQ(many[i].peaks[k].prominence, one.peaks[k].prominence);
    }
    ASSERT_EQ(many[i].zones.size(), one.zones.size());
    EXPECT_EQ(many[i].summary.asymmetry, one.summary.asymmetry);
    EXPECT_EQ(many[i].summary.bias, one.summary.bias);
    EXPECT_TRUE(many[i].cumulative_long_below.empty());
  }
}

// Every column of a large grid gets its own clusters (its speed is measured by bench/, not here).
TEST(Clusters, EveryColumnOfALargeGridGetsItsPeaks) {
  const std::size_t bins = 4096, columns = 2000;
  Result r = unit_bins(bins, columns);
  for (std::size_t b = 0; b < bins; ++b)
    for (std::size_t col = 0; col < columns; ++col)
      r.smooth_long.at(b, col) = 1 + std::sin(double(b) * 0.05 + double(col) * 0.01) * std::cos(double(b) * 0.013);
  const Market m = make_market(std::vector<double>(columns, 2048.0));
  std::vector<std::size_t> all(columns);
  for (std::size_t col = 0; col < columns; ++col) all[col] = col;
  const auto out = extract_clusters_at(r, m, options(0.05, 0.25, 10), all);
  ASSERT_EQ(out.size(), columns);
  for (std::size_t col = 0; col < columns; col += 499) {
    EXPECT_FALSE(out[col].peaks.empty()) << "column " << col;
    // The same column on its own gives the same clusters as in the batch.
    const auto alone = extract_clusters_at(r, m, options(0.05, 0.25, 10), {col});
    ASSERT_EQ(alone.size(), 1u);
    ASSERT_EQ(alone[0].peaks.size(), out[col].peaks.size()) << "column " << col;
    for (std::size_t i = 0; i < alone[0].peaks.size(); ++i)
      EXPECT_EQ(alone[0].peaks[i].price, out[col].peaks[i].price) << "column " << col;
  }
}

}  // namespace
