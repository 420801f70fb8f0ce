// The CPU's first passage from record lows / highs (first_passage_records.hpp) against the
// sparse-table descent every backend uses: the same step for every t0, side and price, with
// ties and flat stretches, on walks whose cursors move down one step and several at a time.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "first_passage_records.hpp"
#include "liqmap/result.hpp"
#include "model/plan.hpp"

namespace liqmap {
namespace {

struct Bars {
  std::vector<double> low, high;
};

// Prices on a coarse grid, so that equal lows and highs (ties) are common.
Bars random_bars(std::mt19937_64& rng, std::int64_t steps) {
  std::uniform_int_distribution<int> move(-3, 3), wick(0, 2);
  Bars b;
  int price = 100;
  for (std::int64_t t = 0; t < steps; ++t) {
    price = std::max(10, price + move(rng));
    b.low.push_back(double(price - wick(rng)));
    b.high.push_back(double(price + wick(rng)));
  }
  return b;
}

std::int64_t descent(const detail::PassageTables& tables, std::int64_t steps, std::int64_t t0, int side, double price) {
  return model::first_passage_step(tables.min_low.data(), tables.max_high.data(), tables.levels, steps, t0, side, price);
}

detail::PassageTables tables_of(const Bars& b) {
  detail::Plan plan;
  plan.steps = std::int64_t(b.low.size());
  plan.low = b.low;
  plan.high = b.high;
  return detail::build_passage_tables(plan, 1);
}

TEST(FirstPassageRecords, AgreesWithTheSparseTableDescentEverywhere) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 30; ++trial) {
    const std::int64_t steps = 1 + std::int64_t(rng() % 300);
    const Bars bars = random_bars(rng, steps);
    const detail::PassageTables tables = tables_of(bars);
    const model::RecordLinks links(bars.low.data(), bars.high.data(), steps);
    // One cursor walked down one step at a time, one that jumps, and fresh ones.
    model::FirstPassageCursor walking(links, steps - 1), jumping(links, steps - 1);
    for (std::int64_t t0 = steps - 1; t0 >= 0; --t0) {
      walking.move_to(t0);
      if (t0 % 7 == 0) jumping.move_to(t0);
      const model::FirstPassageCursor fresh(links, t0);
      for (double price = 0.5; price < 200; price += 0.5)  // on and between the bars' values
        for (int side : {model::kLong, model::kShort}) {
          const std::int64_t expected = descent(tables, steps, t0, side, price);
          ASSERT_EQ(walking.first_passage(side, price), expected) << "t0 " << t0 << " side " << side << " price " << price;
          ASSERT_EQ(fresh.first_passage(side, price), expected) << "t0 " << t0 << " side " << side << " price " << price;
          if (t0 % 7 == 0) {
            ASSERT_EQ(jumping.first_passage(side, price), expected) << "t0 " << t0;
          }
        }
    }
  }
}

TEST(FirstPassageRecords, NothingAfterTheLastStep) {
  const Bars bars{{5, 4, 3}, {6, 7, 8}};
  const model::RecordLinks links(bars.low.data(), bars.high.data(), 3);
  const model::FirstPassageCursor last(links, 2);
  EXPECT_EQ(last.first_passage(model::kLong, 1e9), 3);
  EXPECT_EQ(last.first_passage(model::kShort, 0), 3);
  const model::FirstPassageCursor first(links, 0);
  EXPECT_EQ(first.first_passage(model::kLong, 4), 1);
  EXPECT_EQ(first.first_passage(model::kLong, 3.5), 2);
  EXPECT_EQ(first.first_passage(model::kLong, 2.9), 3);
  EXPECT_EQ(first.first_passage(model::kShort, 8), 2);
}

TEST(GridColumnSums, EqualEachColumnSumBitForBit) {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1e6, 1e6);
  Grid g(37, 53);
  for (double& v : g.data) v = u(rng);
  const std::vector<double> sums = g.column_sums();
  ASSERT_EQ(sums.size(), g.cols);
  for (std::size_t c = 0; c < g.cols; ++c) EXPECT_EQ(sums[c], g.column_sum(c)) << c;
}

}  // namespace
}  // namespace liqmap
