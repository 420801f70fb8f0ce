// Timestamps as the files carry them: epoch s, ms, µs (Binance since 2025) or ns, told apart by
// magnitude, or ISO-8601 UTC.
#include <charconv>
#include <cstdio>
#include <string>

#include "liqmap/io.hpp"
#include "text/human_format.hpp"
#include "market_rows.hpp"

namespace liqmap::io {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads exactly `digits` decimal digits at `pos`.
bool read_fixed(std::string_view text, std::size_t& pos, std::size_t digits, int& value) {
  if (pos + digits > text.size()) return false;
  const char* first = text.data() + pos;
  const auto parsed = std::from_chars(first, first + digits, value);
  if (parsed.ec != std::errc() || parsed.ptr != first + digits) return false;
  pos += digits;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool is_t(char c) { return c == 'T' || c == 't' || c == ' '; }  // RFC 3339 allows lower case

std::optional<std::int64_t> parse_iso(std::string_view text) {
  std::size_t pos = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_fixed(text, pos, 4, year) || !expect(text, pos, '-') || !read_fixed(text, pos, 2, month) ||
      !expect(text, pos, '-') || !read_fixed(text, pos, 2, day))
    return std::nullopt;
  // 2025-02-31 is no date (mktime-style rollover would make it 03-03).
  if (month < 1 || month > 12 || day < 1 || unsigned(day) > days_in_month(year, unsigned(month))) return std::nullopt;
  std::int64_t fraction_ms = 0;
  if (pos < text.size() && is_t(text[pos])) {
    ++pos;
    if (!read_fixed(text, pos, 2, hour) || !expect(text, pos, ':') || !read_fixed(text, pos, 2, minute)) return std::nullopt;
    if (pos < text.size() && text[pos] == ':' && !(++pos, read_fixed(text, pos, 2, second))) return std::nullopt;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      std::int64_t scale = 100;
      const std::size_t start = pos;
      for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, scale /= 10)
        fraction_ms += (text[pos] - '0') * scale;  // digits below 1 ms are dropped
      if (pos == start) return std::nullopt;
    }
  }
  // A leap second (:60) names no bar of any exchange's: refused, not rolled into the next minute.
  if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  std::int64_t offset_minutes = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos++] == '-' ? -1 : 1;
    int offset_hour = 0, offset_minute = 0;
    if (!read_fixed(text, pos, 2, offset_hour)) return std::nullopt;
    expect(text, pos, ':');
    if (!read_fixed(text, pos, 2, offset_minute)) return std::nullopt;
    offset_minutes = sign * (offset_hour * 60 + offset_minute);
  }
  if (pos != text.size()) return std::nullopt;
  const std::int64_t seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 +
                               hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + fraction_ms;
}

}  // namespace

// The dates a market file can hold: 1990-01-01 up to 2200-01-01. In each unit this is a range of
// epoch values that no other unit's range overlaps, so the magnitude names the unit.
constexpr std::int64_t kFirstSecond = 631'152'000;    // 1990-01-01T00:00:00Z
constexpr std::int64_t kLastSecond = 7'258'118'400;   // 2200-01-01T00:00:00Z

std::optional<Timestamp> epoch_timestamp(std::int64_t epoch) {
  struct Unit { TimeScale scale; std::int64_t per_second; };
  for (const Unit unit : {Unit{TimeScale::seconds, 1}, Unit{TimeScale::milliseconds, 1000},
                          Unit{TimeScale::microseconds, 1'000'000}, Unit{TimeScale::nanoseconds, 1'000'000'000}}) {
    if (epoch >= kFirstSecond * unit.per_second && epoch <= kLastSecond * unit.per_second) {
      const std::int64_t ms = unit.per_second >= 1000 ? epoch / (unit.per_second / 1000) : epoch * 1000;
      return Timestamp{ms, unit.scale};
    }
  }
  return std::nullopt;
}

bool in_market_years(std::int64_t ms) { return ms >= kFirstSecond * 1000 && ms <= kLastSecond * 1000; }

std::optional<Timestamp> parse_timestamp(std::string_view text) {
  std::int64_t epoch = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), epoch);
  if (parsed.ec == std::errc() && parsed.ptr == text.data() + text.size()) return epoch_timestamp(epoch);
  const std::optional<std::int64_t> ms = parse_iso(text);
  if (!ms || !in_market_years(*ms)) return std::nullopt;
  return Timestamp{*ms, TimeScale::iso};
}

std::optional<std::int64_t> parse_timestamp_ms(std::string_view text) {
  const std::optional<Timestamp> parsed = parse_timestamp(text);
  if (!parsed) return std::nullopt;
  return parsed->ms;
}

namespace detail {

// Why a cell is not a time, for the row's error: the common near-misses are named.
std::string time_rule(std::string_view text) {
  const std::string rule = "must be a time from 1990 to 2200: epoch s, ms, µs or ns, or ISO-8601 UTC (2025-10-06T12:00:00)";
  double number = 0;
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), number);
  if (!text.empty() && parsed.ec == std::errc() && parsed.ptr == text.data() + text.size()) {
    // Days since 1899-12-30 (Excel, LibreOffice, Google Sheets): 20000..110000 is 1954..2201.
    if (number >= 20000 && number <= 110000)
      return rule + "; this looks like a spreadsheet serial date (days since 1899-12-30: " +
             format_timestamp(static_cast<std::int64_t>((number - 25569) * 86400000.0)) +
             "): save the times as ISO-8601 or whole epoch numbers";
    if (number >= 0 && number < 9.2e18 && parse_timestamp(std::to_string(static_cast<std::int64_t>(number))))
      return rule + "; this epoch time has a fraction or an exponent: write it as a whole number";
    return rule;
  }
  int year = 0, month = 0, day = 0;
  std::size_t pos = 0;
  if (read_fixed(text, pos, 4, year) && expect(text, pos, '-') && read_fixed(text, pos, 2, month) &&
      expect(text, pos, '-') && read_fixed(text, pos, 2, day) && month >= 1 && month <= 12 &&
      (day < 1 || unsigned(day) > days_in_month(year, unsigned(month))))
    return rule + "; day " + std::to_string(day) + " is not in the month (" + std::to_string(year) + "-" +
           std::string(text.substr(5, 2)) + " has " + std::to_string(days_in_month(year, unsigned(month))) + " days)";
  if (text.size() >= 19 && is_t(text[10]) && text.substr(16, 3) == ":60")
    return rule + "; second 60 (a leap second) is not a bar time";
  return rule;
}

}  // namespace detail

const char* to_string(TimeScale scale) {
  switch (scale) {
    case TimeScale::seconds: return "epoch seconds";
    case TimeScale::milliseconds: return "epoch milliseconds";
    case TimeScale::microseconds: return "epoch microseconds";
    case TimeScale::nanoseconds: return "epoch nanoseconds";
    case TimeScale::iso: return "ISO-8601 UTC";
  }
  return "?";
}

std::string format_timestamp(std::int64_t ms) { return text::iso_utc(ms); }

}  // namespace liqmap::io
