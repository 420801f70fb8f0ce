// The liquidation map (host/liquidation_map/): per-tier bars for one column, recomputed on
// demand, that sum to the heatmap's column; its CSV and picture.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "engine/backend.hpp"
#include "liqmap/synthetic.hpp"
#include "liquidation_map/liquidation_map.hpp"
#include "report/liquidation_map_png.hpp"
#include "report/report.hpp"
#include "venues/venues.hpp"

namespace liqmap {
namespace {

Config small_config() {
  Config config = demo_config();  // five exchanges: the tiers sum over them
  config.grid.price_bins = 300;
  config.positions.samples_per_step = 8;
  return config;
}

// The tolerance: the grid's recurrence rounds in double per step and the map carries each
// position by its survival ratio at once; both sum ~1e5 positions, so 1e-9 of the column's
// largest cell bounds the difference (measured: about 1e-13).
constexpr double kRelativeTolerance = 1e-9;

void expect_tiers_sum_to_column(const map::LiquidationMap& map, const Grid& longs, const Grid& shorts, std::size_t column) {
  double largest = 0;
  for (std::size_t b = 0; b < map.bins(); ++b) largest = std::max({largest, longs.at(b, column), shorts.at(b, column)});
  ASSERT_GT(largest, 0);
  for (std::size_t b = 0; b < map.bins(); ++b) {
    double long_sum = 0, short_sum = 0;
    for (std::size_t t = 0; t < map.tiers(); ++t) {
      EXPECT_GE(map.long_at(t, b), 0) << "bin " << b << " tier " << t;
      EXPECT_GE(map.short_at(t, b), 0) << "bin " << b << " tier " << t;
      long_sum += map.long_at(t, b);
      short_sum += map.short_at(t, b);
    }
    ASSERT_NEAR(long_sum, longs.at(b, column), kRelativeTolerance * largest) << "bin " << b;
    ASSERT_NEAR(short_sum, shorts.at(b, column), kRelativeTolerance * largest) << "bin " << b;
  }
}

TEST(LiquidationMap, TierBarsSumToTheHeatmapColumn) {
  SyntheticOptions synth;
  synth.steps = 800;
  const Market market = synthetic_market(synth);
  const Config config = small_config();
  RunOptions run;
  run.backend = Backend::cpu;
  const Result result = compute(market, config, run);
  const detail::Plan plan = detail::build_plan(market, config, 0);
  for (std::size_t column : {result.axes.column_ts.size() - 1, std::size_t(500), std::size_t(3)}) {
    const map::LiquidationMap m = map::liquidation_map(plan, column, 2);
    EXPECT_EQ(m.ts, result.axes.column_ts[column]);
    EXPECT_EQ(m.tiers(), 5u);
    expect_tiers_sum_to_column(m, result.smooth_long, result.smooth_short, column);
    // Every tier holds something, and longs sit below the price, shorts above.
    for (std::size_t t = 0; t < m.tiers(); ++t) {
      double tier_total = 0;
      for (std::size_t b = 0; b < m.bins(); ++b) {
        tier_total += m.long_at(t, b) + m.short_at(t, b);
        if (m.edges[b] > m.close * 1.01) {
          EXPECT_EQ(m.long_at(t, b), 0) << "a live long above the price";
        }
      }
      EXPECT_GT(tier_total, 0) << "tier " << t;
    }
  }
}

// The column the CPU scatter adds as it draws (BackendSettings::tier_column_step, what the CLI
// uses) is the map's own walk, integer for integer, at any column and thread count; the same
// run's grids are those of a run without it.
TEST(LiquidationMap, TheScattersColumnIsTheWalksColumn) {
  SyntheticOptions synth;
  synth.steps = 600;
  const Market market = synthetic_market(synth);
  const detail::Plan plan = detail::build_plan(market, small_config(), 0);
  const detail::BackendOutput plain = detail::find_backend("cpu").run(plan, {}, detail::RunControl{});
  EXPECT_TRUE(plain.tier_column.units.empty());
  for (std::size_t column : {plan.columns - 1, std::size_t(377), std::size_t(0)}) {
    for (int threads : {1, 2, 3}) {
      detail::BackendSettings settings;
      settings.threads = threads;
      settings.tier_column_step = std::int64_t(plan.axes.column_step[column]);
      const detail::BackendOutput out = detail::find_backend("cpu").run(plan, settings, detail::RunControl{});
      ASSERT_EQ(out.tier_column.units.size(), 2 * plan.tier_leverage.size() * std::size_t(plan.bins));
      const map::LiquidationMap walked = map::liquidation_map(plan, column, threads);
      const map::LiquidationMap scattered = map::liquidation_map(plan, column, threads, &out.tier_column);
      EXPECT_EQ(scattered.long_usd, walked.long_usd) << "column " << column << ", " << threads << " threads";
      EXPECT_EQ(scattered.short_usd, walked.short_usd) << "column " << column << ", " << threads << " threads";
      EXPECT_EQ(out.raw_long.data, plain.raw_long.data);
      EXPECT_EQ(out.smooth_short.data, plain.smooth_short.data);
    }
  }
}

// Without survival (volume flow, no decay) and without smoothing, the grid's column is an
// integer sum and so is each tier: they differ only by the rounding of adding five doubles.
TEST(LiquidationMap, WithoutSurvivalOrSmoothingTheTiersAddUpToTheLastRounding) {
  SyntheticOptions synth;
  synth.steps = 500;
  Market market = synthetic_market(synth);
  market.oi.clear();
  Config config = small_config();
  config.smoothing.sigma_price_bins = 0;
  RunOptions run;
  run.backend = Backend::cpu;
  const Result result = compute(market, config, run);
  const detail::Plan plan = detail::build_plan(market, config, 0);
  ASSERT_TRUE(plan.survival_is_constant);
  const std::size_t column = 321;
  const map::LiquidationMap m = map::liquidation_map(plan, column, 2);
  for (std::size_t b = 0; b < m.bins(); ++b) {
    double long_sum = 0;
    for (std::size_t t = 0; t < m.tiers(); ++t) long_sum += m.long_at(t, b);
    EXPECT_NEAR(long_sum, result.raw_long.at(b, column), 4e-16 * long_sum) << "bin " << b;
  }
}

TEST(LiquidationMap, TheVenuesMapsSumToTheAggregateColumn) {
  SyntheticOptions synth;
  synth.steps = 400;
  const Market market = synthetic_market(synth);
  Config config = default_config();
  config.grid.price_bins = 200;
  config.positions.samples_per_step = 8;
  Config bybit = config;
  bybit.exchanges = {{"bybit", 1.0, load_schedule("bybit-linear-btcusdt")}};
  Market half = market;
  for (double& v : half.oi) v *= 0.5;
  std::vector<venues::VenueMarket> v{{"binance", market, config}, {"bybit", half, bybit}};
  venues::align_venues(v);
  venues::share_price_axis(v, 0, market.size() - 1);
  RunOptions run;
  run.backend = Backend::cpu;
  const venues::VenuesRun all = venues::compute_venues(v, run);
  const std::size_t column = all.aggregate.axes.column_ts.size() - 1;
  std::vector<map::LiquidationMap> maps;
  for (const auto& venue : all.venues) maps.push_back(map::liquidation_map(venue.plan, column, 2));
  const map::LiquidationMap sum = map::sum_maps(maps, maps.front().close);
  expect_tiers_sum_to_column(sum, all.aggregate.smooth_long, all.aggregate.smooth_short, column);
  expect_tiers_sum_to_column(maps[1], all.venues[1].result.smooth_long, all.venues[1].result.smooth_short, column);
}

TEST(LiquidationMap, CsvRowsAreThePerTierValues) {
  SyntheticOptions synth;
  synth.steps = 300;
  const Market market = synthetic_market(synth);
  const detail::Plan plan = detail::build_plan(market, small_config(), 0);
  const map::LiquidationMap m = map::liquidation_map(plan, 299, 2);
  std::istringstream csv(map::liquidation_map_csv(m));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "price,tier,long_usd,short_usd");
  double long_total = 0, csv_total = 0;
  for (double v : m.long_usd) long_total += v;
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    std::stringstream fields(line);
    std::string price, tier, longs, shorts;
    std::getline(fields, price, ',');
    std::getline(fields, tier, ',');
    std::getline(fields, longs, ',');
    std::getline(fields, shorts, ',');
    EXPECT_EQ(tier.back(), 'x');
    csv_total += std::stod(longs);
  }
  EXPECT_GT(rows, 10u);
  EXPECT_NEAR(csv_total, long_total, 1e-12 * long_total);

  if (!report::can_render_png()) return;
  const auto path = std::filesystem::temp_directory_path() / ("liqmap-map-" + std::to_string(::getpid()) + ".png");
  report::render_liquidation_map_png(path.string(), m, "test");
  EXPECT_GT(std::filesystem::file_size(path), 10000u);
  std::filesystem::remove(path);
  const auto [low, high] = report::liquidation_map_range(m);
  EXPECT_LT(low, m.close);
  EXPECT_GT(high, m.close);
}

}  // namespace
}  // namespace liqmap
