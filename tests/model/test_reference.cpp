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
  std::vector<double> opened_usd, oi_usd;
  std::uint64_t positions = 0;
};

// The same-bar rule walked on the bar's path as a polyline: open -> nearer extreme -> farther
// extreme -> close; the entry is the first point of the path at its price, or (entry "path") the
// point on the leg its sample was drawn on.
bool reached_after_entry(const Market& m, std::size_t t, int side, double entry, double price, int leg) {
  const bool low_first = m.open[t] - m.low[t] <= m.high[t] - m.open[t];
  const double path[4] = {m.open[t], low_first ? m.low[t] : m.high[t], low_first ? m.high[t] : m.low[t], m.close[t]};
  for (int seg = 0; seg < 3; ++seg) {
    const double a = path[seg], b = path[seg + 1];
    if (leg >= 0 ? seg != leg : entry < std::min(a, b) || entry > std::max(a, b)) continue;
    double lo = entry, hi = entry;
    for (int v = seg + 1; v < 4; ++v) lo = std::min(lo, path[v]), hi = std::max(hi, path[v]);
    return side == 0 ? lo <= price : hi >= price;
  }
  return false;
}

struct Position {
  std::size_t t0, end;
  int side, bin;
  double unit, price;  // share of N_t0
};

Reference brute_force(const Market& m, const Config& c) {
  const std::size_t T = m.size();
  const bool use_oi = c.flow.source == FlowSource::oi || (c.flow.source == FlowSource::automatic && m.has_oi());
  std::vector<double> decay(T, 1.0);
  for (std::size_t t = 1; t < T; ++t)
    if (c.flow.half_life_hours) decay[t] = std::pow(2.0, -double(m.ts[t] - m.ts[t - 1]) / 3.6e6 / *c.flow.half_life_hours);

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

  // Every position with its share of its step's opened notional and its liquidation step.
  double tier_sum = 0, share_sum = 0;
  for (const auto& tier : c.leverage) tier_sum += tier.w;
  for (const auto& ex : c.exchanges) share_sum += ex.share;
  const int K = c.positions.samples_per_step;
  const int entry_mode = c.positions.entry == EntryMode::uniform ? 0 : c.positions.entry == EntryMode::triangular ? 1
                         : c.positions.entry == EntryMode::path ? 3 : 2;
  std::vector<Position> positions;
  for (std::size_t t0 = 0; t0 < T; ++t0) {
    for (int k = 0; k < K; ++k) {
      const model::Sample sample = model::draw_sample(c.positions.seed, std::int64_t(t0), k, K, m.low[t0], m.high[t0],
                                                      m.close[t0], entry_mode, c.positions.size_median_usd, c.positions.size_sigma,
                                                      m.open[t0]);
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
            Position pos{t0, T, side, -1, 1.0 / K * (side == 0 ? long_share : 1 - long_share) * (tier.w / tier_sum) * (ex.share / share_sum), 0};
            pos.price = model::liquidation_price(rows.data(), p, side, sample.entry, std::min(tier.x, max_leverage), sample.notional);
            if (pos.price > 0) {
              if (c.positions.same_bar && reached_after_entry(m, t0, side, sample.entry, pos.price, sample.leg)) pos.end = t0;
              else {
                pos.end = t0 + 1;
                while (pos.end < T && !(side == 0 ? m.low[pos.end] <= pos.price : m.high[pos.end] >= pos.price)) ++pos.end;
              }
              pos.bin = find_bin(pos.price);
            }
            positions.push_back(pos);
          }
        }
      }
    }
  }

  // The open interest to track: each change spread over its interval's candles by volume.
  const std::size_t W = use_oi ? std::min(m.warmup_rows, T - 1) : 0;
  std::vector<double> oi_usd(T, 0.0), traded(T, 0.0);
  if (use_oi) {
    std::vector<double> oi = m.oi;
    std::vector<std::size_t> changes, gaps;
    for (std::size_t j = W + 1; j < T; ++j)
      if (m.oi[j] != m.oi[j - 1]) changes.push_back(j);
    for (std::size_t i = 1; i < changes.size(); ++i) gaps.push_back(changes[i] - changes[i - 1]);
    std::sort(gaps.begin(), gaps.end());
    const std::size_t longest = gaps.empty() ? T : gaps[gaps.size() / 2];
    std::size_t start = W + 1;
    for (std::size_t j = W + 1; j < T && c.flow.spread_oi; ++j) {
      if (m.oi[j] == m.oi[j - 1]) continue;
      if (j + 1 > longest) start = std::max(start, j + 1 - longest);
      double total = 0, running = 0;
      for (std::size_t i = start; i <= j; ++i) total += m.volume[i];
      for (std::size_t i = start; i <= j; ++i) {
        running += m.volume[i];
        oi[i] = m.oi[j - 1] + (m.oi[j] - m.oi[j - 1]) * (total > 0 ? running / total : double(i - start + 1) / double(j - start + 1));
      }
      oi[j] = m.oi[j];
      start = j + 1;
    }
    for (std::size_t t = 0; t < T; ++t) {
      const std::size_t known = std::max(t, W);
      oi_usd[t] = oi[known] * (c.flow.oi_unit == OiUnit::base ? m.close[known] : 1.0);
      traded[t] = m.volume[t] * m.close[t];
    }
  }

  // Forward simulation, every position's notional kept explicitly.
  const auto simulate = [&](double warmup_scale, std::size_t stop, std::vector<double>& opened, std::vector<double>& notional,
                            std::vector<double> liquidated[2], std::vector<std::vector<double>>* states) {
    opened.assign(T, 0.0);
    notional.assign(positions.size(), 0.0);
    double book = 0;
    for (std::size_t t = 0; t < stop; ++t) {
      double survivors = 0, same_bar = 0;
      for (std::size_t i = 0; i < positions.size(); ++i) {
        const Position& p = positions[i];
        if (p.t0 < t && p.end == t) liquidated[p.side][t] += notional[i], notional[i] = 0;
        else if (p.t0 < t && p.end > t) survivors += notional[i] * decay[t];
        else if (p.t0 == t && p.end == t) same_bar += p.unit;
      }
      double n = 0, f = 0;
      if (!use_oi) {
        n = m.volume[t] * m.close[t] * c.flow.volume_open_fraction;
      } else if (t < W) {
        n = warmup_scale * traded[t];
        f = oi_usd[W] > 0 ? std::min(1.0, c.flow.turnover * traded[t] / oi_usd[W]) : 0.0;
      } else {
        n = t == 0 ? 0.0 : std::max(0.0, oi_usd[t] - oi_usd[t - 1]) + c.flow.turnover * traded[t];
        const double kept = 1 - same_bar;
        // a shortfall under 1e-9 of the OI is round-off (MODEL.md section 2): nothing opens for it
        if (kept > 1e-12 && survivors + n * kept < oi_usd[t] * (1 - 1e-9)) n = (oi_usd[t] - survivors) / kept;
        if (kept > 1e-12 && n * kept > oi_usd[t]) n = oi_usd[t] / kept;
        f = survivors > 0 ? std::clamp((survivors + n * kept - oi_usd[t]) / survivors, 0.0, 1.0) : 0.0;
      }
      opened[t] = n;
      book = 0;
      for (std::size_t i = 0; i < positions.size(); ++i) {
        const Position& p = positions[i];
        if (p.t0 < t && p.end > t) notional[i] *= decay[t] * (1 - f);
        if (p.t0 == t) {
          notional[i] = n * p.unit;
          if (p.end == t && p.price > 0) liquidated[p.side][t] += notional[i], notional[i] = 0;
        }
        if (p.t0 <= t && p.end > t) book += notional[i];
      }
      if (states) states->push_back(notional);
    }
    return book;
  };

  std::vector<double> opened, notional, scratch[2] = {std::vector<double>(T, 0.0), std::vector<double>(T, 0.0)};
  double warmup_scale = 0;
  if (use_oi && W > 0) {
    const double book = simulate(1.0, W, opened, notional, scratch, nullptr);
    warmup_scale = book > 0 ? oi_usd[W] / book : 0.0;
  }
  Reference ref;
  const std::size_t G = c.grid.time_group;
  ref.bins = B;
  ref.columns = (T + G - 1) / G;
  for (int s = 0; s < 2; ++s) {
    ref.grid[s].assign(B * ref.columns, 0.0);
    ref.liquidated[s].assign(T, 0.0);
  }
  std::vector<std::vector<double>> states;
  simulate(warmup_scale, T, opened, notional, ref.liquidated, &states);
  ref.opened_usd = opened;
  ref.oi_usd = oi_usd;

  for (std::size_t col = 0; col < ref.columns; ++col) {
    const std::size_t step = std::min((col + 1) * G, T) - 1;
    double sum = 0;
    for (std::size_t t = 0; t <= step; ++t) sum += opened[t];
    ref.opened_until_column.push_back(sum);
    for (std::size_t i = 0; i < positions.size(); ++i) {
      const Position& p = positions[i];
      if (p.bin >= 0 && p.t0 <= step && step < p.end) ref.grid[p.side][p.bin * ref.columns + col] += states[step][i];
    }
  }
  for (const Position& p : positions) {
    const double w = opened[p.t0] * p.unit;
    ref.opened += w;
    if (!(opened[p.t0] > 0)) continue;
    ++ref.positions;
    if (!(p.price > 0)) ref.unliquidatable += w;
    else if (p.bin < 0) ref.out_of_range += w;
    else ref.in_range += w;
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
  // Two seeds of 200 trials, half of the markets with OI given warm-up rows: the warm-up's
  // hand-over to the first OI (a book scaled to equal OI_W, a round-off short or over) came up
  // in only some draws of one seed.
  for (const std::uint64_t seed : {20261124u, 20261126u}) {
  std::mt19937_64 rng(seed);
  for (int trial = 0; trial < 200; ++trial) {
    const std::size_t steps = 2 + rng() % 70;
    Market market = test_support::random_market(rng, steps, rng() % 5 != 0);
    if (market.has_oi() && rng() % 2 == 0) market.warmup_rows = rng() % steps;  // candles before the first OI
    const Config config = test_support::random_config(rng);
    RunOptions options;
    options.backend = Backend::cpu;
    options.threads = 1 + static_cast<int>(rng() % 3);
    const Result result = compute(market, config, options);
    expect_matches(brute_force(market, config), result, "seed " + std::to_string(seed) + " trial " + std::to_string(trial));
    if (HasFatalFailure()) return;
  }
  }
}

// Entry "path" (each entry at its own point of the bar's path), same-bar on and off.
TEST(BruteForceReference, PathEntriesMatchOnRandomMarketsAndConfigs) {
  std::mt19937_64 rng(20261207);
  for (int trial = 0; trial < 120; ++trial) {
    const std::size_t steps = 2 + rng() % 70;
    Market market = test_support::random_market(rng, steps, rng() % 5 != 0);
    Config config = test_support::random_config(rng);
    config.positions.entry = EntryMode::path;
    config.positions.samples_per_step = 1 + static_cast<int>(rng() % 12);
    RunOptions options;
    options.backend = Backend::cpu;
    options.threads = 1 + static_cast<int>(rng() % 3);
    const Result result = compute(market, config, options);
    expect_matches(brute_force(market, config), result, "path trial " + std::to_string(trial));
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
