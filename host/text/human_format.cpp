#include "text/human_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace liqmap::text {
namespace {

std::string with_thousands(double whole) {
  char digits[64];
  std::snprintf(digits, sizeof digits, "%.0f", std::abs(whole));
  std::string in = digits, out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (i > 0 && (in.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(in[i]);
  }
  return out;
}

// |value| with three significant digits and its unit, sign apart.
std::string magnitude(double a) {
  struct Unit {
    double size;
    const char* suffix;
  };
  static const Unit kUnits[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
  char buf[64];
  for (const Unit& u : kUnits) {
    // 999,960 reads "1.00M", not "1000k": pick the unit after rounding to 3 digits.
    if (a >= u.size * 0.9995) {
      const double v = a / u.size;
      if (v >= 999.5) return with_thousands(v) + u.suffix;  // only past the largest unit
      std::snprintf(buf, sizeof buf, v >= 99.95 ? "%.0f%s" : v >= 9.995 ? "%.1f%s" : "%.2f%s", v, u.suffix);
      return buf;
    }
  }
  std::snprintf(buf, sizeof buf, "%.0f", a);
  return buf;
}

}  // namespace

std::string shortest(double value) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, r.ptr);
}

std::string compact(double value) {
  if (!std::isfinite(value)) return shortest(value);
  return (value < 0 ? "-" : "") + magnitude(std::abs(value));
}

std::string usd(double value) {
  if (!std::isfinite(value)) return "$" + shortest(value);
  return (value < 0 ? "-$" : "$") + magnitude(std::abs(value));
}

std::string bytes(double count) {
  if (count < 999.5) return compact(count) + " B";
  std::string text = compact(count);  // "1.16B" (billion) -> "1.16 GB"
  const char unit = text.back();
  text.pop_back();
  return text + " " + (unit == 'k' ? "kB" : unit == 'M' ? "MB" : unit == 'B' ? "GB" : "TB");
}

std::string duration_ms(double ms) {
  struct Unit {
    double ms;
    const char* name;
  };
  static const Unit kUnits[] = {{86400e3, "d"}, {3600e3, "h"}, {60e3, "min"}, {1e3, "s"}};
  const double a = std::abs(ms);
  char buf[64];
  for (const Unit& u : kUnits)
    if (a >= u.ms) {
      const double v = ms / u.ms;
      // Whole numbers without decimals (5 min), others to one decimal (1.5 h).
      std::snprintf(buf, sizeof buf, std::abs(v - std::round(v)) < 0.05 ? "%.0f %s" : "%.1f %s", v, u.name);
      return buf;
    }
  std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  return buf;
}

std::string iso_utc(std::int64_t ms) {
  std::int64_t days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  const std::int64_t in_day = ms - days * 86400000;
  // H. Hinnant's civil_from_days.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = static_cast<std::int64_t>(yoe) + era * 400 + (month <= 2);
  const auto in_day_ms = static_cast<unsigned long>(in_day);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02u-%02uT%02lu:%02lu:%02lu", static_cast<long long>(year), month, day,
                in_day_ms / 3600000 % 24, in_day_ms / 60000 % 60, in_day_ms / 1000 % 60);
  std::string iso = text;
  if (in_day_ms % 1000 != 0) iso += "." + std::to_string(1000 + in_day_ms % 1000).substr(1);
  return iso + "Z";
}

}  // namespace liqmap::text
