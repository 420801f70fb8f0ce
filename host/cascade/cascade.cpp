// The cascade iteration and the depth it needs (docs/backtest.md, "Cascade").
#include "cascade/cascade.hpp"

#include <algorithm>
#include <cmath>

#include "liqmap/error.hpp"

namespace liqmap::cascade {
namespace {

void check(const Inputs& in) {
  const auto fail = [](const std::string& what) { throw Error(ErrorCode::invalid_argument, "cascade: " + what); };
  const Profile& p = in.profile;
  if (p.price.empty() || p.long_usd.size() != p.price.size() || p.short_usd.size() != p.price.size())
    fail("the profile needs as many long and short values as prices (got " + std::to_string(p.price.size()) + ", " +
         std::to_string(p.long_usd.size()) + ", " + std::to_string(p.short_usd.size()) + ")");
  for (std::size_t b = 0; b < p.price.size(); ++b) {
    if (!(p.price[b] > 0) || (b > 0 && !(p.price[b] > p.price[b - 1])))
      fail("bin prices must be positive and increasing (bin " + std::to_string(b) + ")");
    if (!(p.long_usd[b] >= 0) || !(p.short_usd[b] >= 0) || !std::isfinite(p.long_usd[b] + p.short_usd[b]))
      fail("notional must be finite and >= 0 (bin " + std::to_string(b) + ")");
  }
  if (!(in.start_price > 0) || !(in.shocked_price > 0) || !std::isfinite(in.start_price * in.shocked_price))
    fail("start and shocked prices must be positive");
  if (!(in.sigma_daily >= 0) || !std::isfinite(in.sigma_daily)) fail("sigma_daily must be finite and >= 0");
  if (!(in.volume_daily_usd > 0) || !std::isfinite(in.volume_daily_usd)) fail("volume_daily_usd must be positive");
  if (!(in.impact_y >= 0) || !std::isfinite(in.impact_y)) fail("impact Y must be finite and >= 0");
  if (in.max_iterations < 1) fail("max_iterations must be >= 1");
}

}  // namespace

Outcome simulate(const Inputs& in) {
  check(in);
  const Profile& p = in.profile;
  const bool down = in.shocked_price < in.start_price;
  const double sign = down ? -1.0 : 1.0;
  const std::vector<double>& side = down ? p.long_usd : p.short_usd;
  // Bins between the start and the price reached, walked outward from the start (a bin
  // liquidates when price reaches its centre), so each round adds only the newly reached bins.
  std::vector<std::size_t> order;
  for (std::size_t b = 0; b < p.price.size(); ++b)
    if (down ? p.price[b] <= in.start_price : p.price[b] >= in.start_price) order.push_back(b);
  if (down) std::reverse(order.begin(), order.end());
  std::size_t next = 0;
  double liquidated = 0;
  const auto reach = [&](double price) {
    double flow = 0;
    while (next < order.size() && (down ? p.price[order[next]] >= price : p.price[order[next]] <= price))
      flow += side[order[next++]];
    liquidated += flow;
    return flow;
  };

  Outcome out;
  Step step;
  step.price = in.shocked_price;
  step.flow_usd = reach(in.shocked_price);
  step.liquidated_usd = liquidated;
  out.path.push_back(step);
  out.converged = false;
  for (std::size_t i = 1; i <= in.max_iterations; ++i) {
    if (step.flow_usd == 0) {
      out.converged = true;
      break;
    }
    step.iteration = i;
    step.price = in.shocked_price * std::exp(sign * in.impact_y * in.sigma_daily * std::sqrt(liquidated / in.volume_daily_usd));
    step.flow_usd = reach(step.price);
    step.liquidated_usd = liquidated;
    out.path.push_back(step);
  }
  out.final_price = out.path.back().price;
  (down ? out.long_usd : out.short_usd) = liquidated;
  out.extra_move_pct = (out.final_price / in.shocked_price - 1) * 100;
  return out;
}

Depth estimate_depth(const Market& market, std::size_t step, double days) {
  Depth d;
  if (market.size() == 0 || step >= market.size()) return d;
  const std::int64_t since = market.ts[step] - static_cast<std::int64_t>(days * 86400000.0);
  std::size_t first = step;
  while (first > 0 && market.ts[first - 1] >= since) --first;
  d.bars = step - first + 1;
  if (d.bars < 2) return d;
  double sum = 0, sum2 = 0, notional = 0;
  for (std::size_t t = first + 1; t <= step; ++t) {
    const double r = std::log(market.close[t] / market.close[t - 1]);
    sum += r;
    sum2 += r * r;
  }
  const double n = double(d.bars - 1);
  const double variance = std::max(0.0, (sum2 - sum * sum / n) / std::max(1.0, n - 1));
  const double span_days = double(market.ts[step] - market.ts[first]) / 86400000.0;
  const double bars_per_day = span_days > 0 ? n / span_days : 0;
  d.sigma_daily = std::sqrt(variance * bars_per_day);
  if (market.has_volume()) {
    for (std::size_t t = first + 1; t <= step; ++t) notional += market.volume[t] * market.close[t];
    d.volume_daily_usd = span_days > 0 ? notional / span_days : 0;
  }
  return d;
}

Profile column_profile(const Result& result, std::size_t column) {
  if (column >= result.smooth_long.cols)
    throw Error(ErrorCode::invalid_argument, "cascade: column " + std::to_string(column) + " is outside the grid");
  Profile p;
  p.price = result.axes.price_centres;
  p.long_usd = result.smooth_long.column(column);
  p.short_usd = result.smooth_short.column(column);
  return p;
}

}  // namespace liqmap::cascade
