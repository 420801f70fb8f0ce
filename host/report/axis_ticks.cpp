#include "axis_ticks.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>

namespace liqmap::report {
namespace {

constexpr std::int64_t kHour = 3600 * 1000LL;
constexpr std::int64_t kDay = 24 * kHour;

std::tm to_tm(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::int64_t from_tm(std::tm tm) { return static_cast<std::int64_t>(timegm(&tm)) * 1000; }

std::string label(std::int64_t ms, const char* format) {
  const std::tm tm = to_tm(ms);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

std::int64_t ceil_to(std::int64_t ms, std::int64_t step) {
  const std::int64_t r = ((ms % step) + step) % step;
  return r == 0 ? ms : ms + (step - r);
}

}  // namespace

std::vector<double> log_price_ticks(double low, double high, int count) {
  if (!(low > 0) || !(high > low) || high / low < 1.5) return price_ticks(low, high, count);
  const int n = std::max(2, count);
  const double ratio = std::pow(high / low, 1.0 / n);
  std::vector<double> ticks;
  for (int k = 0; k <= n; ++k) {
    const double p = low * std::pow(ratio, k);
    const double power = std::pow(10.0, std::floor(std::log10(p)));
    double best = p, best_ratio = 1e300;
    for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.5, 8.0, 10.0}) {
      const double r = std::abs(std::log(m * power / p));
      if (r < best_ratio) {
        best_ratio = r;
        best = m * power;
      }
    }
    if (best >= low && best <= high && (ticks.empty() || best / ticks.back() > std::sqrt(ratio))) ticks.push_back(best);
  }
  return ticks;
}

std::vector<double> price_ticks(double low, double high, int max_ticks) {
  std::vector<double> ticks;
  if (!(high > low) || max_ticks < 1) return ticks;
  const double raw = (high - low) / max_ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * power;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * power >= raw) {
      step = m * power;
      break;
    }
  // Counted, not accumulated: on a range a few ulps wide `v += step` would never move.
  const double first = std::ceil(low / step) * step;
  for (int i = 0; i <= max_ticks + 1 && first + i * step <= high; ++i) ticks.push_back(first + i * step);
  return ticks;
}

std::vector<TimeTick> time_ticks(std::int64_t from_ms, std::int64_t to_ms, int max_ticks) {
  std::vector<TimeTick> ticks;
  if (to_ms <= from_ms || max_ticks < 1) return ticks;
  const std::int64_t span = to_ms - from_ms;
  // Fixed steps up to two weeks (aligned to UTC midnight, since the epoch is), then months.
  constexpr std::int64_t kMinute = 60 * 1000;
  static const std::int64_t kSteps[] = {5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
                                        kHour,       2 * kHour,    3 * kHour,    6 * kHour,
                                        12 * kHour,  kDay,         2 * kDay,     7 * kDay,
                                        14 * kDay};
  for (std::int64_t step : kSteps) {
    if (span / step > max_ticks) continue;
    const char* format = step < kDay ? "%m-%d %H:%M" : "%Y-%m-%d";
    for (std::int64_t t = ceil_to(from_ms, step); t <= to_ms; t += step)
      ticks.push_back({t, label(t, format)});
    return ticks;
  }
  for (int months : {1, 2, 3, 6, 12, 24, 60}) {
    if (span / (months * 30 * kDay) > max_ticks) continue;
    std::tm tm = to_tm(from_ms);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_mon -= tm.tm_mon % std::min(months, 12);
    for (;;) {
      const std::int64_t t = from_tm(tm);
      if (t > to_ms) break;
      if (t >= from_ms) ticks.push_back({t, label(t, months >= 12 ? "%Y" : "%Y-%m")});
      tm.tm_mon += months;
    }
    return ticks;
  }
  return ticks;
}

}  // namespace liqmap::report
