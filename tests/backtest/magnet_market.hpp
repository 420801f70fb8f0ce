// A synthetic market built with (or without) magnets, map and candles constructed directly: at
// each bar one planted cluster sits 1.5-4% from the close on a random side (with smaller decoy
// peaks around), and with `pull` > 0 the next bars drift toward it by pull x sigma per bar. A
// cluster is replanted when price reaches it or after `life` bars.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>

#include "liqmap/market.hpp"
#include "liqmap/result.hpp"

namespace liqmap::testing {

struct MagnetMarket {
  Result result;
  Market market;
};

inline MagnetMarket magnet_market(std::uint64_t seed, double pull, std::size_t bars = 4000, std::size_t bins = 800) {
  constexpr double kLow = 40, kHigh = 250, kSigma = 0.005;
  constexpr std::int64_t kStart = 1767225600000, kHour = 3600000;
  constexpr std::size_t kLife = 48;
  std::mt19937_64 rng(seed);
  const auto uniform = [&] { return (double(rng() >> 11) + 0.5) * 0x1.0p-53; };
  const auto normal = [&] { return std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform()); };

  MagnetMarket m;
  Result& r = m.result;
  r.axes.price_min = kLow;
  r.axes.price_max = kHigh;
  const double width = (kHigh - kLow) / double(bins);
  for (std::size_t b = 0; b <= bins; ++b) r.axes.price_edges.push_back(kLow + width * double(b));
  for (std::size_t b = 0; b < bins; ++b) r.axes.price_centres.push_back(kLow + width * (double(b) + 0.5));
  r.axes.steps = bars;
  r.smooth_long = r.smooth_short = Grid(bins, bars);
  r.liq_long.assign(bars, 0.0);
  r.liq_short.assign(bars, 0.0);

  const auto bump = [&](std::size_t column, double price, double close, double height) {
    const double centre = (price - kLow) / width - 0.5;
    for (long b = long(centre) - 8; b <= long(centre) + 8; ++b) {
      if (b < 0 || b >= long(bins)) continue;
      const double z = (double(b) - centre) / 2.0;
      Grid& grid = r.axes.price_centres[std::size_t(b)] > close ? r.smooth_short : r.smooth_long;
      grid.at(std::size_t(b), column) += height * std::exp(-0.5 * z * z);
    }
  };

  double close = 100, level = 0, size = 0;
  std::size_t age = kLife;
  for (std::size_t t = 0; t < bars; ++t) {
    const double open = close;
    const double toward = level > open ? 1.0 : -1.0;
    const double drift = t > 0 ? pull * kSigma * toward : 0.0;
    const double reversion = -0.002 * std::log(open / 100);  // keeps price inside the axis
    close = open * std::exp(drift + reversion + kSigma * normal());
    const double high = std::max(open, close) * std::exp(0.3 * kSigma * std::fabs(normal()));
    const double low = std::min(open, close) * std::exp(-0.3 * kSigma * std::fabs(normal()));
    m.market.ts.push_back(kStart + std::int64_t(t) * kHour);
    m.market.open.push_back(open);
    m.market.high.push_back(high);
    m.market.low.push_back(low);
    m.market.close.push_back(close);
    r.axes.column_ts.push_back(m.market.ts.back());
    r.axes.column_step.push_back(t);

    if (++age > kLife || (t > 0 && low <= level && level <= high)) {  // reached or stale: plant anew
      const double distance = 0.015 + 0.025 * uniform();
      level = close * (uniform() < 0.5 ? 1 + distance : 1 - distance);
      size = 1e6 * (1 + 4 * uniform());
      age = 0;
    }
    for (std::size_t b = 0; b < bins; ++b)  // a smooth background under the peaks
      (r.axes.price_centres[b] > close ? r.smooth_short : r.smooth_long).at(b, t) =
          0.05e6 * std::exp(-std::fabs(std::log(r.axes.price_centres[b] / close)) * 20);
    bump(t, level, close, size);
    for (int decoy = 0; decoy < 3; ++decoy)  // smaller peaks, in and out of the band
      bump(t, close * (1 + (uniform() < 0.5 ? 1 : -1) * (0.005 + 0.07 * uniform())), close, 0.3 * size * uniform());
  }
  return m;
}

}  // namespace liqmap::testing
