// The fast path (sparse-table first passage, integer delta scatter, survival recurrence) against
// a brute-force reference that follows MODEL.md word for word: every position walked step by
// step, O(positions x steps), on many small random markets and configs.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "liqmap/engine.hpp"
#include "model_math.hpp"
#include "random_market.hpp"

namespace {

using namespace liqmap;

struct Reference {
  std::size_t bins = 0, columns = 0;
  std::vector<double> grid[2];  // [side][bin * columns + column]
  std::vector<double> liquidated[2];
  double in_range = 0, out_of_range = 0, unliquidatable = 0, opened = 0;
  std::vector<double> opened_until_column;  // notional opened up to each column's step
  std::uint64_t positions = 0;
};

Reference brute_force(const Market& m, const Config& c) {
  const std::size_t T = m.size();
  const bool use_oi = c.flow.source == FlowSource::oi || (c.flow.source == FlowSource::automatic && m.has_oi());
  std::vector<double> opened(T, 0.0), factor(T, 1.0);
  for (std::size_t t = 0; t < T; ++t) {
    double closing = 0;
    if (!use_oi) {
      opened[t] = m.volume[t] * m.close[t] * c.flow.volume_open_fraction;
    } else if (t > 0) {
      opened[t] = std::max(m.oi[t] - m.oi[t - 1], 0.0) * (c.flow.oi_unit == OiUnit::base ? m.close[t] : 1.0);
      closing = m.oi[t - 1] > 0 ? std::min(1.0, std::max(0.0, m.oi[t - 1] - m.oi[t]) / m.oi[t - 1]) : 0.0;
    }
    const double decay = (t > 0 && c.flow.half_life_hours)
                             ? std::pow(2.0, -double(m.ts[t] - m.ts[t - 1]) / 3.6e6 / *c.flow.half_life_hours)
                             : 1.0;
    if (t > 0) factor[t] = (1 - closing) * decay;
  }
  const auto survival = [&](std::size_t t0, std::size_t t) {  // S_t / S_t0
    double s = 1;
    for (std::size_t i = t0 + 1; i <= t; ++i) s *= factor[i];
    return s;
  };

  const double lowest = *std::min_element(m.low.begin(), m.low.end());
  const double highest = *std::max_element(m.high.begin(), m.high.end());
  const double pmin = c.grid.price_min.value_or(lowest * (1 - c.grid.range_margin));
  const double pmax = c.grid.price_max.value_or(highest * (1 + c.grid.range_margin));
  const int B = c.grid.price_bins;
  const auto edge = [&](int b) {
    if (b == B) return pmax;
    return c.grid.price_scale == PriceScale::linear ? pmin + (pmax - pmin) * b / B
                                                    : pmin * std::pow(pmax / pmin, double(b) / B);
  };
  const auto find_bin = [&](double price) {
    for (int b = 0; b < B; ++b)
      if (price >= edge(b) && (price < edge(b + 1) || (b == B - 1 && price == pmax))) return b;
    return -1;
  };
  const std::size_t G = c.grid.time_group;
  Reference ref;
  ref.bins = B;
  ref.columns = (T + G - 1) / G;
  for (int s = 0; s < 2; ++s) {
    ref.grid[s].assign(B * ref.columns, 0.0);
    ref.liquidated[s].assign(T, 0.0);
  }

  for (std::size_t col = 0; col < ref.columns; ++col) {
    const std::size_t step = std::min((col + 1) * G, T) - 1;
    double sum = 0;
    for (std::size_t t = 0; t <= step; ++t) sum += opened[t];
    ref.opened_until_column.push_back(sum);
  }

  double tier_sum = 0, share_sum = 0;
  for (const auto& tier : c.leverage) tier_sum += tier.w;
  for (const auto& ex : c.exchanges) share_sum += ex.share;
  const int K = c.positions.samples_per_step;
  const int entry_mode = c.positions.entry == EntryMode::uniform ? 0 : c.positions.entry == EntryMode::triangular ? 1 : 2;
  for (std::size_t t0 = 0; t0 < T; ++t0) {
    ref.opened += opened[t0];
    if (!(opened[t0] > 0)) continue;
    for (int k = 0; k < K; ++k) {
      const model::Sample sample = model::draw_sample(c.positions.seed, std::int64_t(t0), k, K, m.low[t0], m.high[t0],
                                                      m.close[t0], entry_mode, c.positions.size_median_usd, c.positions.size_sigma);
      EXPECT_GE(sample.entry, m.low[t0]);
      EXPECT_LE(sample.entry, m.high[t0]);
      for (int side = 0; side < 2; ++side) {
        const double long_share = m.has_long_share() ? m.long_share[t0] : c.long_share;
        for (const auto& ex : c.exchanges) {
          std::vector<model::BracketRow> rows;
          for (const auto& b : ex.schedule.brackets) rows.push_back({b.floor, b.cap, b.max_leverage, b.mmr, b.cum});
          model::ExchangeParams p{0, int(rows.size()), ex.schedule.contract == ContractType::inverse,
                                  ex.schedule.basis == MarginBasis::entry, ex.schedule.unit == NotionalUnit::base,
                                  ex.schedule.fee_rate, 1.0};
          // The bracket that holds the entry notional caps the leverage.
          const double held = p.unit_base ? sample.notional / sample.entry : sample.notional;
          double max_leverage = rows.back().max_leverage;
          for (const auto& r : rows)
            if (held <= r.cap) { max_leverage = r.max_leverage; break; }
          for (const auto& tier : c.leverage) {
            const double w = opened[t0] / K * (side == 0 ? long_share : 1 - long_share) * (tier.w / tier_sum) * (ex.share / share_sum);
            ++ref.positions;
            const double leverage = std::min(tier.x, max_leverage);
            const double price = model::liquidation_price(rows.data(), p, side, sample.entry, leverage, sample.notional);
            if (!(price > 0)) {
              ref.unliquidatable += w;
              continue;
            }
            std::size_t end = t0 + 1;
            while (end < T && !(side == 0 ? m.low[end] <= price : m.high[end] >= price)) ++end;
            if (end < T) ref.liquidated[side][end] += w * survival(t0, end - 1);
            const int bin = find_bin(price);
            if (bin < 0) {
              ref.out_of_range += w;
              continue;
            }
            ref.in_range += w;
            for (std::size_t col = 0; col < ref.columns; ++col) {
              const std::size_t step = std::min((col + 1) * G, T) - 1;
              if (step >= t0 && step < end) ref.grid[side][bin * ref.columns + col] += w * survival(t0, step);
            }
          }
        }
      }
    }
  }
  return ref;
}

void expect_matches(const Reference& ref, const Result& r, const std::string& label) {
  ASSERT_EQ(r.raw_long.rows, ref.bins) << label;
  ASSERT_EQ(r.raw_long.cols, ref.columns) << label;
  for (int side = 0; side < 2; ++side) {
    const Grid& grid = side == 0 ? r.raw_long : r.raw_short;
    for (std::size_t col = 0; col < ref.columns; ++col) {
      // Relative to the notional opened so far: with closing or decay, the recurrence leaves
      // round-off of that size where liquidated positions were removed.
      const double tolerance = 1e-9 * ref.opened_until_column[col] + 1e-12;
      for (std::size_t b = 0; b < ref.bins; ++b)
        ASSERT_NEAR(grid.at(b, col), ref.grid[side][b * ref.columns + col], tolerance)
            << label << " side " << side << " bin " << b << " column " << col;
    }
    const auto& liq = side == 0 ? r.liq_long : r.liq_short;
    for (std::size_t t = 0; t < liq.size(); ++t)
      ASSERT_NEAR(liq[t], ref.liquidated[side][t], 1e-9 * ref.opened + 1e-12) << label << " R side " << side << " step " << t;
  }
  EXPECT_EQ(r.stats.positions_drawn, ref.positions) << label;
  EXPECT_NEAR(r.stats.in_range_usd, ref.in_range, 1e-9 * ref.opened + 1e-9) << label;
  EXPECT_NEAR(r.stats.out_of_range_usd, ref.out_of_range, 1e-9 * ref.opened + 1e-9) << label;
  EXPECT_NEAR(r.stats.unliquidatable_usd, ref.unliquidatable, 1e-9 * ref.opened + 1e-9) << label;
  EXPECT_NEAR(r.stats.opened_usd, ref.opened, 1e-9 * ref.opened) << label;
}

TEST(BruteForceReference, FastPathMatchesOnManyRandomMarketsAndConfigs) {
  std::mt19937_64 rng(20261124);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t steps = 2 + rng() % 70;
    const Market market = test_support::random_market(rng, steps, rng() % 5 != 0);
    const Config config = test_support::random_config(rng);
    RunOptions options;
    options.backend = Backend::cpu;
    options.threads = 1 + static_cast<int>(rng() % 3);
    const Result result = compute(market, config, options);
    expect_matches(brute_force(market, config), result, "trial " + std::to_string(trial));
    if (HasFatalFailure()) return;
  }
}

TEST(BruteForceReference, ExplicitNarrowPriceRangeAndLongShareColumn) {
  std::mt19937_64 rng(7);
  Market market = test_support::random_market(rng, 40);
  std::uniform_real_distribution<double> u(0, 1);
  for (std::size_t t = 0; t < market.size(); ++t) market.long_share.push_back(u(rng));
  Config config = test_support::random_config(rng);
  const double mid = market.close[20];
  config.grid.price_min = mid * 0.9;
  config.grid.price_max = mid * 1.1;
  const Result result = compute(market, config, {Backend::cpu, 2, {}});
  const Reference ref = brute_force(market, config);
  EXPECT_GT(ref.out_of_range, 0.0);  // the narrow range must leave positions out
  expect_matches(ref, result, "narrow range");
}

}  // namespace
