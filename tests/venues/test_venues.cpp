// Several venues on shared axes (host/venues/): each venue's map from its own flow, the
// aggregate their sum to the last bit of the integer deltas, alignment and its refusals.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "engine/plan_run.hpp"
#include "io_files.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "liqmap/synthetic.hpp"
#include "venues/venues.hpp"

namespace liqmap {
namespace {

Config small_config(const std::string& schedule) {
  Config config = default_config();
  config.grid.price_bins = 256;
  config.positions.samples_per_step = 8;
  config.exchanges = {{schedule, 1.0, load_schedule(schedule)}};
  return config;
}

// The market with open interest and volume scaled by `k` (the flow is linear in both).
Market scaled(Market m, double k) {
  for (double& v : m.oi) v *= k;
  for (double& v : m.volume) v *= k;
  return m;
}

Market without_rows(const Market& m, const std::vector<std::size_t>& rows) {
  Market out;
  out.warmup_rows = m.warmup_rows;
  for (std::size_t t = 0; t < m.size(); ++t) {
    if (std::find(rows.begin(), rows.end(), t) != rows.end()) {
      if (t < m.warmup_rows) --out.warmup_rows;
      continue;
    }
    out.ts.push_back(m.ts[t]);
    out.open.push_back(m.open[t]);
    out.high.push_back(m.high[t]);
    out.low.push_back(m.low[t]);
    out.close.push_back(m.close[t]);
    out.volume.push_back(m.volume[t]);
    out.oi.push_back(m.oi[t]);
  }
  return out;
}

std::vector<venues::VenueMarket> three_venues(const Market& market, OiUnit unit) {
  std::vector<venues::VenueMarket> v{
      {"binance", market, small_config("binance-usdm-btcusdt")},
      {"bybit", scaled(market, 0.5), small_config("bybit-linear-btcusdt")},
      {"okx", without_rows(scaled(market, 0.25), {market.size() / 2, market.size() / 2 + 1, market.size() - 40}),
       small_config("okx-swap-btc-usdt")}};
  for (auto& venue : v) venue.config.flow.oi_unit = unit;
  return v;
}

Market shared_btc_market() {
  const auto dir = testing::shared_btc_dir();
  io::ReadOptions read;
  read.warmup_days = 30;
  read.oi_unit = OiUnit::quote;
  return io::read_market({(dir / "btcusdt_4h_6year.csv").string()}, {(dir / "coinglass_oi_4h.csv").string()}, read).market;
}

// The check of the issue: every venue's integer deltas, computed alone on the shared axes with
// the shared unit, add up to the aggregate's bit for bit; R likewise in integers.
void expect_sum_is_aggregate(std::vector<venues::VenueMarket> venues_in) {
  const std::vector<std::string> notices = venues::align_venues(venues_in);
  ASSERT_EQ(notices.size(), 1u);  // okx's gap, named
  EXPECT_NE(notices[0].find("venue okx: 3 bar(s) missing"), std::string::npos) << notices[0];
  venues::share_price_axis(venues_in, 0, venues_in.front().market.size() - 1);
  RunOptions run;
  run.backend = Backend::cpu;
  const venues::VenuesRun all = venues::compute_venues(venues_in, run, true);
  ASSERT_EQ(all.venues.size(), 3u);

  std::vector<std::int64_t> sum(all.delta.size(), 0), liquidated(all.liquidated_fixed.size(), 0);
  for (const venues::VenueMarket& v : venues_in) {
    detail::Plan plan = detail::build_plan(v.market, v.config, 0);
    plan.fixed_scale = all.fixed_scale;
    const detail::PlanRun alone = detail::run_plan(plan, run, true);
    ASSERT_EQ(alone.delta.size(), sum.size());
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += alone.delta[i];
    for (std::size_t i = 0; i < liquidated.size(); ++i) liquidated[i] += alone.liquidated_fixed[i];
  }
  EXPECT_TRUE(sum == all.delta);
  EXPECT_TRUE(liquidated == all.liquidated_fixed);
  EXPECT_GT(std::count_if(sum.begin(), sum.end(), [](std::int64_t d) { return d != 0; }), 1000);

  // Each venue's map comes from its own flow: each book is its own open interest, and bybit's
  // is half of binance's.
  const Result& binance = all.venues[0].result;
  const Result& bybit = all.venues[1].result;
  for (const auto& v : all.venues)
    EXPECT_NEAR(v.result.axes.column_book_usd.back(), v.result.axes.column_oi_usd.back(),
                1e-6 * v.result.axes.column_oi_usd.back()) << v.name;
  const double binance_oi = binance.axes.column_oi_usd.back(), bybit_oi = bybit.axes.column_oi_usd.back();
  EXPECT_NEAR(bybit_oi / binance_oi, 0.5, 1e-12);
  EXPECT_NEAR(all.aggregate.axes.column_oi_usd.back(), binance_oi * 1.75, binance_oi * 1e-9);
  // The aggregate's grids are the venues' sums.
  const std::size_t last = all.aggregate.axes.column_ts.size() - 1;
  double venues_total = 0;
  for (const auto& v : all.venues) venues_total += v.result.raw_long.column_sum(last) + v.result.raw_short.column_sum(last);
  const double aggregate_total = all.aggregate.raw_long.column_sum(last) + all.aggregate.raw_short.column_sum(last);
  EXPECT_GT(aggregate_total, 0);
  EXPECT_NEAR(aggregate_total, venues_total, 1e-9 * aggregate_total);
}

TEST(Venues, ThreeVenuesFromSharedBtcSumToTheAggregateBitForBit) {
  if (!std::filesystem::exists(testing::shared_btc_dir() / "coinglass_oi_4h.csv"))
    GTEST_SKIP() << "no shared BTC data at " << testing::shared_btc_dir();
  expect_sum_is_aggregate(three_venues(shared_btc_market(), OiUnit::quote));
}

TEST(Venues, ThreeVenuesFromTheSyntheticMarketSumToTheAggregateBitForBit) {
  SyntheticOptions synth;
  synth.steps = 600;
  expect_sum_is_aggregate(three_venues(synthetic_market(synth), OiUnit::base));
}

// The flow is linear in the open interest and the volume: a venue with half of both, and the
// same schedule, opens and liquidates half, so its map is its own flow's and not a share.
TEST(Venues, AVenueWithHalfTheOpenInterestAndVolumeHasHalfTheMap) {
  SyntheticOptions synth;
  synth.steps = 500;
  const Market market = synthetic_market(synth);
  std::vector<venues::VenueMarket> v{{"a", market, small_config("binance-usdm-btcusdt")},
                                     {"half", scaled(market, 0.5), small_config("binance-usdm-btcusdt")}};
  venues::align_venues(v);
  venues::share_price_axis(v, 0, market.size() - 1);
  RunOptions run;
  run.backend = Backend::cpu;
  const venues::VenuesRun all = venues::compute_venues(v, run);
  const Result& a = all.venues[0].result;
  const Result& half = all.venues[1].result;
  EXPECT_NEAR(half.stats.opened_usd, 0.5 * a.stats.opened_usd, 1e-9 * a.stats.opened_usd);
  EXPECT_NEAR(half.stats.liquidated_usd, 0.5 * a.stats.liquidated_usd, 1e-9 * a.stats.liquidated_usd);
  const std::size_t last = a.axes.column_ts.size() - 1;
  EXPECT_NEAR(half.raw_long.column_sum(last), 0.5 * a.raw_long.column_sum(last), 1e-9 * a.raw_long.column_sum(last));
  EXPECT_GT(a.stats.liquidated_usd, 0);
}

// One venue is the one-market run: the same plan, axes and integer unit, so the same grids.
TEST(Venues, OneVenueIsTheOneMarketRun) {
  SyntheticOptions synth;
  synth.steps = 400;
  const Market market = synthetic_market(synth);
  std::vector<venues::VenueMarket> one{{"binance", market, small_config("binance-usdm-btcusdt")}};
  venues::align_venues(one);
  venues::share_price_axis(one, 0, market.size() - 1);
  RunOptions run;
  run.backend = Backend::cpu;
  const venues::VenuesRun venues_run = venues::compute_venues(one, run);
  const Result single = compute(market, small_config("binance-usdm-btcusdt"), run);
  EXPECT_TRUE(venues_run.aggregate.raw_long.data == single.raw_long.data);
  EXPECT_TRUE(venues_run.aggregate.raw_short.data == single.raw_short.data);
  EXPECT_TRUE(venues_run.aggregate.liq_long == single.liq_long);
  EXPECT_EQ(venues_run.aggregate.axes.price_edges, single.axes.price_edges);
}

Market hourly(std::int64_t first_ts, std::size_t bars, std::int64_t step_ms) {
  SyntheticOptions synth;
  synth.steps = bars;
  Market m = synthetic_market(synth);
  for (std::size_t t = 0; t < bars; ++t) m.ts[t] = first_ts + std::int64_t(t) * step_ms;
  return m;
}

TEST(Venues, VenuesThatShareNoTimeOrBarIntervalAreRefused) {
  const std::int64_t hour = 3600000, start = 1767225600000;
  std::vector<venues::VenueMarket> apart{{"a", hourly(start, 10, hour), default_config()},
                                         {"b", hourly(start + 100 * hour, 10, hour), default_config()}};
  try {
    venues::align_venues(apart);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(std::string(e.what()).find("share no time"), std::string::npos) << e.what();
  }
  std::vector<venues::VenueMarket> offset{{"a", hourly(start, 100, hour), default_config()},
                                          {"b", hourly(start, 25, 4 * hour), default_config()}};
  try {
    venues::align_venues(offset);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("venue 'b' cannot be aligned"), std::string::npos) << e.what();
  }
}

TEST(Venues, AVenueStartingEarlierIsCutToTheSharedWindowAndSaysSo) {
  const std::int64_t hour = 3600000, start = 1767225600000;
  std::vector<venues::VenueMarket> v{{"a", hourly(start, 50, hour), default_config()},
                                     {"b", hourly(start + 10 * hour, 40, hour), default_config()}};
  const auto notices = venues::align_venues(v);
  EXPECT_EQ(v[0].market.size(), 40u);
  EXPECT_EQ(v[0].market.ts.front(), start + 10 * hour);
  EXPECT_EQ(v[1].market.ts, v[0].market.ts);
  ASSERT_EQ(notices.size(), 1u);
  EXPECT_NE(notices[0].find("venue a: 10 bar(s) outside"), std::string::npos) << notices[0];
}

// Issue 30, item 8: before, venues 20x apart (ETH given for BTC) were summed on one axis, exit 0.
TEST(Venues, VenuesWhosePricesAreFarApartAreRefused) {
  const std::int64_t hour = 3600000, start = 1767225600000;
  Market other = hourly(start, 40, hour);
  for (auto* prices : {&other.open, &other.high, &other.low, &other.close})
    for (double& p : *prices) p /= 20;
  std::vector<venues::VenueMarket> v{{"btc", hourly(start, 40, hour), default_config()}, {"eth", other, default_config()}};
  try {
    venues::align_venues(v);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(std::string(e.what()).find("venue 'eth' trades at a median close of"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(20x apart)"), std::string::npos) << e.what();
  }
  // A basis of a few percent between venues is theirs to have.
  Market near = hourly(start, 40, hour);
  for (auto* prices : {&near.open, &near.high, &near.low, &near.close})
    for (double& p : *prices) p *= 1.03;
  std::vector<venues::VenueMarket> close_enough{{"a", hourly(start, 40, hour), default_config()}, {"b", near, default_config()}};
  EXPECT_NO_THROW(venues::align_venues(close_enough));
}

}  // namespace
}  // namespace liqmap
