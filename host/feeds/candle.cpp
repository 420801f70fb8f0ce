#include "candle.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <thread>

#include "liqmap/error.hpp"
#include "transport.hpp"

namespace liqmap::feeds {

std::string market_row(const Candle& c) {
  return std::to_string(c.open_ms) + "," + c.open + "," + c.high + "," + c.low + "," + c.close +
         "," + c.volume;
}

std::string oi_row(const OiPoint& p) { return std::to_string(p.ts_ms) + "," + p.oi; }

std::string market_csv(const std::vector<Candle>& candles) {
  if (candles.empty()) return "";
  std::string out = std::string(kMarketHeader) + "\n";
  for (const Candle& c : candles) out += market_row(c) + "\n";
  return out;
}

std::string oi_csv(const std::vector<OiPoint>& points) {
  if (points.empty()) return "";
  std::string out = std::string(kOiHeader) + "\n";
  for (const OiPoint& p : points) out += oi_row(p) + "\n";
  return out;
}

std::string checked_number(const std::string& text, const char* what) {
  char* end = nullptr;
  const double v = text.empty() ? NAN : std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !std::isfinite(v) ||
      text.find_first_of("xXpP") != std::string::npos)
    throw Error(ErrorCode::input, std::string("feed: ") + what + " is not a finite number: '" +
                                      text.substr(0, 40) + "'");
  return text;
}

std::int64_t interval_ms(const std::string& interval) {
  std::int64_t unit = 0;
  const char u = interval.empty() ? '\0' : interval.back();
  if (u == 'm') unit = 60000;
  else if (u == 'h') unit = 3600000;
  else if (u == 'd') unit = 86400000;
  std::int64_t n = 0;
  const std::string digits = interval.substr(0, interval.empty() ? 0 : interval.size() - 1);
  bool ok = unit != 0 && !digits.empty() && digits.size() < 4 &&
            std::all_of(digits.begin(), digits.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
  if (ok) n = std::stoll(digits);
  if (!ok || n <= 0)
    throw Error(ErrorCode::invalid_argument,
                "interval '" + interval + "': expected a count and a unit m, h or d (1m, 5m, 1h, 4h, 1d)");
  return n * unit;
}

void sort_unique(std::vector<Candle>& candles) {
  std::stable_sort(candles.begin(), candles.end(),
                   [](const Candle& a, const Candle& b) { return a.open_ms < b.open_ms; });
  std::vector<Candle> out;
  for (const Candle& c : candles) {
    if (!out.empty() && out.back().open_ms == c.open_ms) out.back() = c;
    else out.push_back(c);
  }
  candles.swap(out);
}

bool sleep_unless_stopped(double seconds, const std::atomic<bool>* stop) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point end =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  while (Clock::now() < end) {
    if (stop && stop->load()) return false;
    const Clock::duration left = end - Clock::now();
    std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(50)));
  }
  return !(stop && stop->load());
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string iso_time(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace liqmap::feeds
