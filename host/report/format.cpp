#include "format.hpp"

#include <algorithm>
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

std::string format_price_to_tick(double price, double tick) {
  if (!(tick > 0) || !std::isfinite(price)) return format_price(price);
  const int decimals = std::max(0, static_cast<int>(std::ceil(-std::log10(tick) - 1e-9)));
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::abs(price));
  std::string digits = buf, fraction;
  if (const auto dot = digits.find('.'); dot != std::string::npos) fraction = digits.substr(dot), digits.resize(dot);
  std::string grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(digits[i]);
  }
  return (price < 0 ? "-" : "") + grouped + fraction;
}

double price_tick(const std::vector<double>& prices) {
  constexpr int kMostDecimals = 8;
  int decimals = 0;
  // The last bars suffice: the tick of the map's time, and no scan of years of candles.
  const std::size_t first = prices.size() > 1000 ? prices.size() - 1000 : 0;
  for (std::size_t i = first; i < prices.size(); ++i) {
    const std::string text = text::shortest(prices[i]);
    if (text.find('e') != std::string::npos) return 0;
    const auto dot = text.find('.');
    const int d = dot == std::string::npos ? 0 : static_cast<int>(text.size() - dot - 1);
    if (d > kMostDecimals) return 0;
    decimals = std::max(decimals, d);
  }
  return std::pow(10.0, -decimals);
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

std::string format_span(std::int64_t ms) {
  const double hours = static_cast<double>(ms) / 3600e3, days = hours / 24;
  const auto words = [](double n, const char* unit) {
    char text[48];
    const bool whole = std::abs(n - std::round(n)) < 0.05 || n >= 10;
    std::snprintf(text, sizeof text, whole ? "%.0f %s%s" : "%.1f %s%s", n, unit,
                  whole && std::round(n) == 1 ? "" : "s");
    return std::string(text);
  };
  if (hours < 48) return words(std::max(hours, 0.0), "hour");
  if (days < 14) return words(days, "day");
  if (days < 60) return words(days / 7, "week");
  if (days < 730) return words(days / 30.44, "month");
  return words(days / 365.25, "year");
}

}  // namespace liqmap::report
