#include "format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace liqmap::report {
namespace {

std::tm utc_tm(std::int64_t ms) {
  // Floor division, so times before 1970 still land on the right second.
  const std::int64_t seconds = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string with_thousands(long long whole) {
  std::string digits = std::to_string(whole < 0 ? -whole : whole);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return whole < 0 ? "-" + out : out;
}

}  // namespace

std::string format_usd(double usd) {
  struct Unit {
    double size;
    const char* suffix;
  };
  static const Unit kUnits[] = {{1e9, "B"}, {1e6, "M"}, {1e3, "k"}};
  const double a = std::abs(usd);
  const char* sign = usd < 0 ? "-" : "";
  char buf[64];
  for (const Unit& u : kUnits) {
    // 999,960 reads "$1.00M", not "$1000k": pick the unit after rounding to 3 digits.
    if (a >= u.size * 0.9995) {
      const double v = a / u.size;
      std::snprintf(buf, sizeof buf, v >= 99.95 ? "%s$%.0f%s" : v >= 9.995 ? "%s$%.1f%s" : "%s$%.2f%s",
                    sign, v, u.suffix);
      return buf;
    }
  }
  std::snprintf(buf, sizeof buf, "%s$%.0f", sign, a);
  return buf;
}

std::string format_price(double price) {
  if (std::abs(price) >= 1000) return with_thousands(std::llround(price));
  char buf[64];
  std::snprintf(buf, sizeof buf, std::abs(price) >= 10 ? "%.2f" : "%.4g", price);
  return buf;
}

std::string format_percent(double pct) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.2f%%", pct);
  return buf;
}

std::string format_utc(std::int64_t ms) {
  const std::tm tm = utc_tm(ms);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string format_iso(std::int64_t ms) {
  const std::tm tm = utc_tm(ms);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace liqmap::report
