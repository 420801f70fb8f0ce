// The unit of open interest, read from the data: coins x price and USD differ by the price, and
// for any real market one of the two readings is implausible (more USD than all crypto markets
// hold, or an open interest of seconds or of years of the traded volume).
#include <algorithm>
#include <cmath>
#include <sstream>

#include "market_rows.hpp"

namespace liqmap::io::detail {
namespace {

constexpr double kMostUsd = 1e13;         // all crypto derivatives together hold ~1e11 USD
constexpr double kFewestVolumeDays = 1e-3;  // open interest turned over in under 1.5 minutes
constexpr double kMostVolumeDays = 1e3;     // open interest that takes ~3 years of volume to trade

double median_of_positive(const std::vector<Row>& rows, Field f) {
  std::vector<double> values;
  values.reserve(rows.size());
  for (const Row& row : rows)
    if (row.value[f] > 0) values.push_back(row.value[f]);
  if (values.empty()) return 0;
  const auto middle = values.begin() + static_cast<long>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  return *middle;
}

std::string figure(double v) {
  std::ostringstream text;
  text.precision(3);
  text << v;
  return text.str();
}

}  // namespace

OiUnitReading read_oi_unit(const std::vector<Row>& rows, bool has_volume) {
  OiUnitReading reading;
  const double oi_value = median_of_positive(rows, oi);
  const double price = median_of_positive(rows, close);
  if (!(oi_value > 0) || !(price > 0) || rows.size() < 2) return reading;
  std::vector<std::int64_t> steps;
  for (std::size_t i = 1; i < rows.size(); ++i) steps.push_back(rows[i].ts - rows[i - 1].ts);
  std::nth_element(steps.begin(), steps.begin() + static_cast<long>(steps.size() / 2), steps.end());
  const double bars_per_day = 86'400'000.0 / double(std::max<std::int64_t>(steps[steps.size() / 2], 1));
  const double daily_volume = has_volume ? median_of_positive(rows, volume) * bars_per_day : 0.0;

  for (OiUnit unit : {OiUnit::base, OiUnit::quote}) {
    const double usd = unit == OiUnit::base ? oi_value * price : oi_value;
    const double coins = usd / price;
    std::string& why = unit == OiUnit::base ? reading.base_fails : reading.quote_fails;
    const std::string as = "the median open interest " + figure(oi_value) +
                           (unit == OiUnit::base ? " coins would be " + figure(usd) + " USD"
                                                 : " USD would be " + figure(coins) + " coins");
    if (usd > kMostUsd) {
      why = as + ", more than all crypto markets hold";
    } else if (daily_volume > 0) {
      const double days = coins / daily_volume;
      if (days < kFewestVolumeDays || days > kMostVolumeDays)
        why = as + ", " + figure(days) + " day(s) of the traded volume (median " + figure(daily_volume) +
              " coins a day at price " + figure(price) + ")";
    }
  }
  if (reading.base_fails.empty() != reading.quote_fails.empty())
    reading.unit = reading.base_fails.empty() ? OiUnit::base : OiUnit::quote;
  return reading;
}

}  // namespace liqmap::io::detail
