// Small random markets and configs for property tests: random walks with wicks, open interest
// that rises, falls and sometimes drops to zero.
#pragma once

#include <algorithm>
#include <cmath>
#include <random>

#include "liqmap/config.hpp"
#include "liqmap/market.hpp"

namespace liqmap::test_support {

inline Market random_market(std::mt19937_64& rng, std::size_t steps, bool with_oi = true,
                            bool oi_can_vanish = true) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Market m;
  double price = 100 + 900 * u(rng), oi = 1000 * (1 + u(rng));
  std::int64_t ts = 1700000000000 + static_cast<std::int64_t>(u(rng) * 1e9);
  for (std::size_t t = 0; t < steps; ++t) {
    ts += 60000 * (1 + static_cast<std::int64_t>(u(rng) * 3));
    const double open = price;
    const double close = open * std::exp(0.03 * (u(rng) - 0.5) + (u(rng) < 0.05 ? 0.15 * (u(rng) - 0.5) : 0.0));
    m.ts.push_back(ts);
    m.open.push_back(open);
    m.close.push_back(close);
    m.high.push_back(std::max(open, close) * (1 + 0.01 * u(rng)));
    m.low.push_back(std::min(open, close) * (1 - 0.01 * u(rng)));
    m.volume.push_back(50 * u(rng));
    if (with_oi) {
      const double r = u(rng);
      if (oi_can_vanish && r < 0.03) oi = 0;
      else if (r < 0.45) oi = oi * (1 - 0.2 * u(rng));
      else oi = oi * (1 + 0.3 * u(rng)) + (oi == 0 ? 100 : 0);
      m.oi.push_back(oi);
    }
    price = close;
  }
  return m;
}

inline Config random_config(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Config c = default_config();
  c.grid.price_bins = 8 + static_cast<int>(u(rng) * 60);
  c.grid.price_scale = u(rng) < 0.5 ? PriceScale::linear : PriceScale::log;
  c.grid.range_margin = 0.05 + 0.3 * u(rng);
  c.grid.time_group = u(rng) < 0.7 ? 1 : 1 + static_cast<int>(u(rng) * 4);
  c.positions.samples_per_step = 1 + static_cast<int>(u(rng) * 6);
  c.positions.entry = u(rng) < 0.4 ? EntryMode::uniform : u(rng) < 0.5 ? EntryMode::triangular : EntryMode::close;
  c.positions.seed = rng();
  c.positions.size_median_usd = std::exp(6 + 10 * u(rng));
  c.positions.size_sigma = u(rng) < 0.2 ? 0.0 : 2 * u(rng);
  c.long_share = u(rng);
  c.leverage = {{1 + 4 * u(rng), u(rng)}, {10 + 20 * u(rng), u(rng)}, {50 + 100 * u(rng), 0.1 + u(rng)}};
  const char* schedules[] = {"binance-usdm-btcusdt", "bybit-linear-btcusdt", "okx-swap-btc-usdt",
                             "hyperliquid-btc", "binance-coinm-btcusd"};
  c.exchanges.clear();
  const int exchanges = 1 + static_cast<int>(u(rng) * 3);
  for (int i = 0; i < exchanges; ++i) {
    const char* name = schedules[static_cast<int>(u(rng) * 5) % 5];
    c.exchanges.push_back({name, 0.1 + u(rng), load_schedule(name)});
  }
  c.flow.source = u(rng) < 0.8 ? FlowSource::automatic : FlowSource::volume;
  c.flow.oi_unit = u(rng) < 0.5 ? OiUnit::base : OiUnit::quote;
  if (u(rng) < 0.5) c.flow.half_life_hours = 0.05 + 2 * u(rng);
  c.flow.turnover = u(rng) < 0.2 ? 0.0 : 0.2 * u(rng);
  c.flow.spread_oi = u(rng) < 0.7;
  c.positions.same_bar = u(rng) < 0.7;
  c.smoothing.sigma_price_bins = u(rng) < 0.3 ? 0.0 : 3 * u(rng);
  c.smoothing.sigma_time_steps = u(rng) < 0.7 ? 0.0 : 2 * u(rng);
  return c;
}

}  // namespace liqmap::test_support
