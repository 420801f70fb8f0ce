// The live model's promise: a compute of the first rows, then the rest appended candle by
// candle in any chunking, gives exactly the full compute of all rows under the state's config.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "live/live_model.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "engine/backend.hpp"
#include "random_market.hpp"

namespace liqmap {
namespace {

Market head(const Market& m, std::size_t n) { return live::market_head(m, n); }

void expect_same_grid(const Grid& a, const Grid& b, const char* what) {
  ASSERT_EQ(a.rows, b.rows) << what;
  ASSERT_EQ(a.cols, b.cols) << what;
  for (std::size_t i = 0; i < a.data.size(); ++i)
    ASSERT_EQ(a.data[i], b.data[i]) << what << " cell " << i << " (row " << i / a.cols << ", column " << i % a.cols << ")";
}

void expect_same_result(const Result& live, const Result& full) {
  ASSERT_EQ(live.liq_long.size(), full.liq_long.size());
  for (std::size_t t = 0; t < full.liq_long.size(); ++t) {
    ASSERT_EQ(live.liq_long[t], full.liq_long[t]) << "R long at step " << t;
    ASSERT_EQ(live.liq_short[t], full.liq_short[t]) << "R short at step " << t;
  }
  expect_same_grid(live.raw_long, full.raw_long, "raw long");
  expect_same_grid(live.raw_short, full.raw_short, "raw short");
  expect_same_grid(live.smooth_long, full.smooth_long, "smooth long");
  expect_same_grid(live.smooth_short, full.smooth_short, "smooth short");
  EXPECT_EQ(live.stats.positions_drawn, full.stats.positions_drawn);
  EXPECT_EQ(live.stats.positions_liquidated, full.stats.positions_liquidated);
  EXPECT_EQ(live.stats.positions_in_range, full.stats.positions_in_range);
  EXPECT_EQ(live.stats.in_range_usd, full.stats.in_range_usd);
  EXPECT_EQ(live.stats.opened_usd, full.stats.opened_usd);
  EXPECT_EQ(live.axes.column_ts, full.axes.column_ts);
  EXPECT_EQ(live.axes.column_book_usd, full.axes.column_book_usd);
  EXPECT_EQ(live.axes.column_oi_usd, full.axes.column_oi_usd);
}

Config small_config(std::mt19937_64& rng) {
  Config config = test_support::random_config(rng);
  config.smoothing.sigma_time_steps = 0;
  return config;
}

TEST(LiveModel, AppendingInAnyChunksGivesTheFullCompute) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 12; ++trial) {
    Market market = test_support::random_market(rng, 120 + rng() % 120, trial % 3 != 2, false);
    market.warmup_rows = trial % 2 ? 10 : 0;
    Config config = small_config(rng);
    config.grid.time_group = 1 + int(rng() % 3);
    if (trial % 3 == 2) config.flow.half_life_hours = 5.0;
    const std::size_t first = 40 + rng() % 40;
    config = live::live_config(head(market, first), config);
    const RunOptions options{Backend::cpu, 2, {}};
    live::LiveModel model = live::LiveModel::compute(head(market, first), config, options);
    const Config pinned = model.config();
    const std::vector<live::StepInput> rows = live::step_inputs(market, pinned);
    for (std::size_t t = first; t < market.size(); ++t) model.append(rows[t]);
    const Result full = compute(market, pinned, options);
    expect_same_result(model.result(2), full);
    std::size_t liquidating = 0;  // the appended candles did liquidate positions opened before them
    for (std::size_t t = first; t < market.size(); ++t) liquidating += full.liq_long[t] > 0 || full.liq_short[t] > 0;
    EXPECT_GT(liquidating, 0u) << "trial " << trial;
    EXPECT_GT(model.alive_positions(), 0u);
    if (HasFailure()) return;
  }
}

#if defined(LIQMAP_HAVE_OMP_DEVICE)
// The device pipeline (on Thrust's OpenMP system) on all the rows: R and the position counts
// bit for bit, the float grids as the backends agree (1e-9 of the column's total).
TEST(LiveModel, AppendedEqualsTheDevicePipelineOfAllRows) {
  std::mt19937_64 rng(21);
  for (int trial = 0; trial < 4; ++trial) {
    Market market = test_support::random_market(rng, 150, true, false);
    const std::size_t first = 60;
    Config config = live::live_config(head(market, first), small_config(rng));
    live::LiveModel model = live::LiveModel::compute(head(market, first), config, {Backend::cpu, 2, {}});
    const std::vector<live::StepInput> rows = live::step_inputs(market, model.config());
    for (std::size_t t = first; t < market.size(); ++t) model.append(rows[t]);
    const Result live = model.result(2);
    const detail::Plan plan = detail::build_plan(market, model.config(), 2);
    const detail::BackendOutput device = detail::find_backend("omp").run(plan, {}, detail::RunControl{});
    const double unit = 1.0 / plan.fixed_scale;
    for (std::int64_t t = 0; t < plan.steps; ++t) {
      ASSERT_EQ(live.liq_long[t], double(device.liquidated_fixed[t]) * unit) << "R long at " << t;
      ASSERT_EQ(live.liq_short[t], double(device.liquidated_fixed[plan.steps + t]) * unit) << "R short at " << t;
    }
    EXPECT_EQ(live.stats.positions_drawn, std::uint64_t(device.totals.positions));
    EXPECT_EQ(live.stats.positions_liquidated, std::uint64_t(device.totals.liquidated));
    for (const auto& [mine, theirs] : {std::pair{&live.raw_long, &device.raw_long}, std::pair{&live.raw_short, &device.raw_short}})
      for (std::size_t c = 0; c < mine->cols; ++c) {
        const double allowed = 1e-9 * std::max(1.0, mine->column_sum(c));
        for (std::size_t b = 0; b < mine->rows; ++b) ASSERT_NEAR(mine->at(b, c), theirs->at(b, c), allowed);
      }
  }
}
#endif

TEST(LiveModel, ProvisionalCandlesLeaveTheStateAsItWas) {
  std::mt19937_64 rng(11);
  Market market = test_support::random_market(rng, 200, true, false);
  Config config = live::live_config(head(market, 150), small_config(rng));
  const RunOptions options{Backend::cpu, 2, {}};
  live::LiveModel model = live::LiveModel::compute(head(market, 150), config, options);
  const std::vector<live::StepInput> rows = live::step_inputs(market, model.config());
  const std::vector<live::StepInput> tail(rows.begin() + 150, rows.end());
  const Result shown = model.provisional_result(tail, 2, nullptr);
  expect_same_result(shown, compute(market, model.config(), options));
  expect_same_result(model.result(2), compute(head(market, 150), model.config(), options));
  for (const live::StepInput& r : tail) model.append(r);  // and committing them afterwards still agrees
  expect_same_result(model.result(2), compute(market, model.config(), options));
}

TEST(LiveModel, SavedAndLoadedItAppendsTheSame) {
  std::mt19937_64 rng(3);
  Market market = test_support::random_market(rng, 160, true, false);
  Config config = live::live_config(head(market, 100), small_config(rng));
  const RunOptions options{Backend::cpu, 2, {}};
  live::LiveModel model = live::LiveModel::compute(head(market, 100), config, options);
  std::stringstream file;
  model.save(file);
  live::LiveModel loaded = live::LiveModel::load(file, "state.bin");
  const std::vector<live::StepInput> rows = live::step_inputs(market, model.config());
  for (std::size_t t = 100; t < market.size(); ++t) loaded.append(rows[t]);
  expect_same_result(loaded.result(2), compute(market, model.config(), options));
}

TEST(LiveModel, DamagedTruncatedOrForeignFilesAreRefused) {
  std::mt19937_64 rng(5);
  Market market = test_support::random_market(rng, 80, true, false);
  live::LiveModel model =
      live::LiveModel::compute(market, live::live_config(market, small_config(rng)), {Backend::cpu, 2, {}});
  std::stringstream file;
  model.save(file);
  const std::string bytes = file.str();
  const auto refused = [](const std::string& text, const std::string& says) {
    std::istringstream in(text);
    try {
      live::LiveModel::load(in, "state.bin");
      ADD_FAILURE() << "loaded: " << says;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  };
  refused(bytes.substr(0, bytes.size() / 2), "truncated");
  std::string flipped = bytes;
  flipped[bytes.size() - 9] ^= 0x40;
  refused(flipped, "checksum");
  std::string other_version = bytes;
  other_version[8] = 9;
  refused(other_version, "version 9");
  refused("ts,open,high,low,close\n", "not a liqmap state file");
}

TEST(LiveModel, CandlesBeforeTheLastOneAreRefused) {
  std::mt19937_64 rng(9);
  Market market = test_support::random_market(rng, 60, true, false);
  live::LiveModel model =
      live::LiveModel::compute(market, live::live_config(market, small_config(rng)), {Backend::cpu, 2, {}});
  live::StepInput old = live::step_inputs(market, model.config()).back();
  EXPECT_THROW(model.append(old), Error);
  EXPECT_EQ(model.steps(), 60);
}

}  // namespace
}  // namespace liqmap
