// The built-in synthetic market: a BTC-like price path with trends, chop and jumps, and open
// interest that builds up in trends and flushes on jumps. Deterministic by seed, so the demo and
// the tests need no data.
#pragma once

#include <cstddef>
#include <cstdint>

#include "liqmap/market.hpp"

namespace liqmap {

struct SyntheticOptions {
  std::size_t steps = 10080;                 // one week of one-minute bars
  std::uint64_t seed = 1;
  std::int64_t start_ts = 1767225600000;     // 2026-01-01T00:00:00Z
  std::int64_t step_ms = 60000;
  double start_price = 65000;
  double start_oi_coins = 80000;
};

// Columns ts, open, high, low, close, volume (coins), oi (coins).
Market synthetic_market(const SyntheticOptions& options = {});

}  // namespace liqmap

namespace liqmap {

// The demo's configuration: MODEL.md's defaults with an aggregate of five venues
// (Binance USDⓈ-M 35%, Bybit 20%, OKX 20%, Hyperliquid 15%, Binance COIN-M 10%).
struct Config;
Config demo_config();

}  // namespace liqmap
