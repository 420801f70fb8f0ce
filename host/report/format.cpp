#include "format.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "text/human_format.hpp"

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

std::string format_usd(double usd) { return text::usd(usd); }

std::string format_count(double count) { return text::compact(count); }

std::string format_bin_width(const Axes& axes) {
  const std::size_t bins = axes.price_centres.size();
  if (bins == 0) return "?";
  if (axes.scale == PriceScale::log) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g%%", (std::pow(axes.price_max / axes.price_min, 1.0 / double(bins)) - 1) * 100);
    return buf;
  }
  const double width = (axes.price_max - axes.price_min) / double(bins);
  if (width >= 1000) return "$" + format_price(width);
  char buf[32];
  std::snprintf(buf, sizeof buf, width >= 1 ? "$%.2f" : "$%.3g", width);
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
