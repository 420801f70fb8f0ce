// Regime-switching random walk: each regime (trend up, trend down, chop) lasts a random number
// of bars; jumps arrive rarely and flush open interest. Philox draws keep it identical on
// every platform (std::normal_distribution is not).
#include <Random123/philox.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "liqmap/error.hpp"
#include "liqmap/synthetic.hpp"

namespace liqmap {
namespace {

class Draws {
 public:
  explicit Draws(std::uint64_t seed) : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  // Four uniforms in (0,1) for step t, stream s.
  std::array<double, 4> uniforms(std::uint64_t t, std::uint32_t stream) const {
    r123::Philox4x32::ctr_type counter = {{static_cast<std::uint32_t>(t), static_cast<std::uint32_t>(t >> 32), stream, 0xC0FFEEu}};
    const auto r = r123::Philox4x32()(counter, key_);
    return {(r[0] + 0.5) * 0x1.0p-32, (r[1] + 0.5) * 0x1.0p-32, (r[2] + 0.5) * 0x1.0p-32, (r[3] + 0.5) * 0x1.0p-32};
  }

  static double normal(double u1, double u2) {
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  r123::Philox4x32::key_type key_;
};

enum class Regime { trend_up, trend_down, chop };

}  // namespace

Market synthetic_market(const SyntheticOptions& o) {
  if (o.steps < 2) throw Error(ErrorCode::invalid_argument, "synthetic market: steps must be >= 2");
  if (!(o.start_price > 0) || o.step_ms <= 0)
    throw Error(ErrorCode::invalid_argument, "synthetic market: start_price and step_ms must be > 0");
  const Draws draws(o.seed);
  Market m;
  m.ts.resize(o.steps);
  m.open.resize(o.steps);
  m.high.resize(o.steps);
  m.low.resize(o.steps);
  m.close.resize(o.steps);
  m.volume.resize(o.steps);
  m.oi.resize(o.steps);

  const double minutes = double(o.step_ms) / 60000.0;
  const double bar_vol = 0.0005 * std::sqrt(minutes);  // ~0.05% per minute
  double price = o.start_price, oi = o.start_oi_coins, anchor = o.start_price;
  Regime regime = Regime::chop;
  std::int64_t regime_left = 0;
  for (std::size_t t = 0; t < o.steps; ++t) {
    const auto u = draws.uniforms(t, 0);
    const auto v = draws.uniforms(t, 1);
    if (regime_left-- <= 0) {
      regime = u[0] < 0.35 ? Regime::trend_up : u[0] < 0.7 ? Regime::trend_down : Regime::chop;
      regime_left = static_cast<std::int64_t>((120 + 600 * u[1]) / minutes) + 1;
      anchor = price;
    }
    double drift = 0;
    if (regime == Regime::trend_up) drift = 0.1 * bar_vol;
    if (regime == Regime::trend_down) drift = -0.1 * bar_vol;
    if (regime == Regime::chop) drift = -0.02 * std::log(price / anchor);
    double ret = drift + bar_vol * Draws::normal(u[2], u[3]);
    const bool jump = v[0] < 0.0004 * minutes;
    if (jump) ret += (v[1] < 0.5 ? -1.0 : 1.0) * (0.015 + 0.025 * v[2]);

    const double open = price;
    const double close = open * std::exp(ret);
    const double wick = bar_vol * (0.3 + (jump ? 1.5 : 0.8) * v[3]);
    const auto w = draws.uniforms(t, 2);
    m.ts[t] = o.start_ts + static_cast<std::int64_t>(t) * o.step_ms;
    m.open[t] = open;
    m.close[t] = close;
    m.high[t] = std::max(open, close) * std::exp(wick * w[0]);
    m.low[t] = std::min(open, close) * std::exp(-wick * w[1]);
    m.volume[t] = o.start_oi_coins * 0.002 * minutes * (0.5 + w[2]) * (1.0 + 40.0 * std::abs(ret));

    // Open interest builds while a trend runs and in quiet chop, and flushes on jumps.
    double oi_change = (regime == Regime::chop ? 0.00002 : 0.00006) * minutes + 0.0004 * Draws::normal(w[3], u[1]) * std::sqrt(minutes);
    if (jump) oi_change -= 0.05 + 0.10 * v[2];
    oi = std::max(oi * (1.0 + oi_change), 0.2 * o.start_oi_coins);
    m.oi[t] = oi;
    price = close;
  }
  return m;
}

}  // namespace liqmap

#include "liqmap/config.hpp"

namespace liqmap {

Config demo_config() {
  Config config = default_config();
  config.exchanges = {{"binance", 0.35, load_schedule("binance-usdm-btcusdt")},
                      {"bybit", 0.20, load_schedule("bybit-linear-btcusdt")},
                      {"okx", 0.20, load_schedule("okx-swap-btc-usdt")},
                      {"hyperliquid", 0.15, load_schedule("hyperliquid-btc")},
                      {"binance-coinm", 0.10, load_schedule("binance-coinm-btcusd")}};
  return config;
}

}  // namespace liqmap
