// Cluster tracks and sweeps on a hand-built run; swing levels and alignment.
#include <gtest/gtest.h>

#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"
#include "report_fixtures.hpp"

namespace {

using namespace liqmap;
using namespace liqmap::testing;

// 60 bins of width 1 (bin b has price b + 0.5), 10 hourly columns, close 20 except at step 5.
//   A: bin 40, all columns (never reached)           -> alive
//   B: bin 30, columns 0..4; the close is 30.5 at step 5 -> swept at step 5
//   C: bin 10 + column, columns 0..5 (drifts up)     -> one track, then faded
//   D: bin 50, from column 3                         -> born at column 3, alive
struct TrackRun {
  Result result = make_result(60, 10, 0, 60);
  Market market;
  TrackRun() {
    std::vector<double> close(10, 20.0);
    close[5] = 30.5;
    market = make_market(close);
    for (std::size_t c = 0; c < 10; ++c) {
      result.smooth_short.at(40, c) = 10;
      if (c <= 4) result.smooth_short.at(30, c) = 8;
      if (c <= 5) result.smooth_long.at(10 + c, c) = 6;
      if (c >= 3) result.smooth_short.at(50, c) = 4;
    }
  }
};

std::vector<ClusterTrack> tracks_of(const TrackRun& run, std::size_t every, std::size_t tolerance) {
  TrackOptions t;
  t.every = every;
  t.tolerance_bins = tolerance;
  return track_clusters(run.result, run.market, Config::Clusters{}, 9, t);
}

TEST(ClusterTracks, EveryColumnGivesBirthSizeSweepAndFade) {
  const TrackRun run;
  const auto tracks = tracks_of(run, 1, 3);
  ASSERT_EQ(tracks.size(), 4u);
  const ClusterTrack& a = tracks[0];  // ids follow birth order, largest first within a column
  EXPECT_EQ(a.samples.front().peak.bin, 40u);
  EXPECT_EQ(a.samples.size(), 10u);
  EXPECT_EQ(a.status, TrackStatus::alive);
  EXPECT_FALSE(a.swept_ts);

  const ClusterTrack& b = tracks[1];
  EXPECT_EQ(b.samples.front().peak.bin, 30u);
  EXPECT_EQ(b.samples.size(), 5u);
  EXPECT_EQ(b.status, TrackStatus::swept);
  ASSERT_TRUE(b.swept_ts);
  EXPECT_EQ(*b.swept_ts, run.market.ts[5]);
  EXPECT_DOUBLE_EQ(b.swept_price, 30.5);

  const ClusterTrack& c = tracks[2];
  ASSERT_EQ(c.samples.size(), 6u);
  for (std::size_t k = 0; k < 6; ++k) {
    EXPECT_EQ(c.samples[k].peak.bin, 10 + k);
    EXPECT_EQ(c.samples[k].ts, run.result.axes.column_ts[k]);
    EXPECT_EQ(c.samples[k].peak.value, 6);
  }
  EXPECT_EQ(c.samples[0].peak.side, ClusterSide::below);
  EXPECT_EQ(c.status, TrackStatus::faded);

  const ClusterTrack& d = tracks[3];
  EXPECT_EQ(d.samples.front().column, 3u);
  EXPECT_EQ(d.samples.front().ts, run.result.axes.column_ts[3]);
  EXPECT_EQ(d.status, TrackStatus::alive);
}

TEST(ClusterTracks, SparseExtractionsStillSeeTheSweepBetweenThem) {
  const TrackRun run;
  const auto tracks = tracks_of(run, 2, 3);  // columns 1, 3, 5, 7, 9
  ASSERT_EQ(tracks.size(), 4u);
  EXPECT_EQ(tracks[0].samples.front().column, 1u);
  EXPECT_EQ(tracks[1].status, TrackStatus::swept);
  EXPECT_EQ(*tracks[1].swept_ts, run.market.ts[5]);
  EXPECT_EQ(tracks[2].samples.size(), 3u);  // C moves 2 bins per extraction: within 3
  EXPECT_EQ(tracks[3].samples.front().column, 3u);
}

TEST(ClusterTracks, AMoveBeyondTheToleranceStartsANewTrack) {
  const TrackRun run;
  const auto tracks = tracks_of(run, 2, 1);
  std::size_t c_tracks = 0;
  for (const auto& t : tracks)
    if (t.samples.front().peak.side == ClusterSide::below) {
      ++c_tracks;
      EXPECT_EQ(t.samples.size(), 1u);
    }
  EXPECT_EQ(c_tracks, 3u);  // C at columns 1, 3 and 5, each too far from the last
}

TEST(ClusterTracks, ZeroEveryIsAnError) {
  const TrackRun run;
  EXPECT_THROW(tracks_of(run, 0, 3), Error);
}

Market market_with_highs(const std::vector<double>& highs) {
  Market m = make_market(highs, 0);
  for (std::size_t i = 0; i < highs.size(); ++i) m.low[i] = highs[i] - 1;
  return m;
}

TEST(SwingLevels, PivotsNeedTheWholeWindowAndEqualHighsCountOnce) {
  //                                             0  1  2  3  4  5  6  7  8  9 10 11 12
  const Market m = market_with_highs({1, 2, 3, 2, 1, 2, 5, 5, 4, 3, 2, 6, 1});
  const auto levels = swing_levels(m, 2, 0, 12);
  ASSERT_EQ(levels.size(), 3u);
  EXPECT_EQ(levels[0].step, 2u);
  EXPECT_EQ(levels[0].kind, LevelKind::swing_high);
  EXPECT_EQ(levels[0].price, 3);
  EXPECT_EQ(levels[1].step, 4u);  // low 0
  EXPECT_EQ(levels[1].kind, LevelKind::swing_low);
  EXPECT_EQ(levels[1].price, 0);
  EXPECT_EQ(levels[2].step, 6u);  // the first of the two equal highs; 11 is not confirmed
  EXPECT_EQ(levels[2].ts, m.ts[6]);

  const auto early = swing_levels(m, 2, 0, 7);  // confirmed by step 7: pivots up to step 5
  ASSERT_EQ(early.size(), 2u);
  EXPECT_EQ(early[1].step, 4u);
  const auto late = swing_levels(m, 2, 3, 12);
  ASSERT_EQ(late.size(), 2u);
  EXPECT_EQ(late[0].step, 4u);
  EXPECT_THROW(swing_levels(m, 0, 0, 12), Error);
}

TEST(SwingLevels, EachPeakGetsTheNearestLevelAndTheToleranceDecides) {
  Peak near, between;
  near.price = 100;
  between.price = 105;
  const std::vector<SwingLevel> levels = {{0, 0, 106, LevelKind::swing_high},
                                          {1, 0, 99.6, LevelKind::swing_low},
                                          {2, 0, 104, LevelKind::swing_high}};
  const auto a = align_with_levels({near, between}, levels, 0.5);
  ASSERT_EQ(a.size(), 2u);
  ASSERT_TRUE(a[0].nearest);
  EXPECT_EQ(a[0].nearest->price, 99.6);
  EXPECT_NEAR(a[0].distance_pct, -0.4, 1e-12);
  EXPECT_TRUE(a[0].aligned);
  ASSERT_TRUE(a[1].nearest);
  EXPECT_EQ(a[1].nearest->price, 104);  // a tie: the lower level
  EXPECT_FALSE(a[1].aligned);
  const auto none = align_with_levels({near}, {}, 0.5);
  EXPECT_FALSE(none[0].nearest);
  EXPECT_FALSE(none[0].aligned);
}

}  // namespace
