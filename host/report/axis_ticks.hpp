// Tick positions and labels for the price and time axes of the picture.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace liqmap::report {

// Round prices (1, 2, 2.5 or 5 times a power of ten apart) inside [low, high], at most
// about `max_ticks` of them.
std::vector<double> price_ticks(double low, double high, int max_ticks);
// On a log axis: about `count` prices at equal ratios, each rounded to 1, 1.5, 2, 2.5, 3, 4, 5,
// 6, 7.5 or 8 times a power of ten, so the labels stand evenly apart (equal price steps bunch
// up at a log axis's top). A range under 1.5x is near-linear: price_ticks.
std::vector<double> log_price_ticks(double low, double high, int count);

struct TimeTick {
  std::int64_t ms = 0;
  std::string label;  // UTC; "04-02 08:00", "2026-04-02" or "2026-04" by spacing
};

// Round UTC times (hours, days, weeks, months, years) inside [from_ms, to_ms], at most about
// `max_ticks` of them.
std::vector<TimeTick> time_ticks(std::int64_t from_ms, std::int64_t to_ms, int max_ticks);

}  // namespace liqmap::report
