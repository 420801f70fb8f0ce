// One candle and one open-interest reading as the feeds carry them: the exchange's decimal
// strings kept as sent (checked to be finite numbers), times in epoch milliseconds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace liqmap::feeds {

struct Candle {
  std::int64_t open_ms = 0;
  std::string open, high, low, close, volume;  // volume in coins (base asset)
  bool closed = false;
  bool operator==(const Candle& o) const {
    return open_ms == o.open_ms && open == o.open && high == o.high && low == o.low &&
           close == o.close && volume == o.volume && closed == o.closed;
  }
};

struct OiPoint {
  std::int64_t ts_ms = 0;
  std::string oi;  // coins (base asset)
};

inline constexpr const char* kMarketHeader = "ts,open,high,low,close,volume";
inline constexpr const char* kOiHeader = "ts,oi";

std::string market_row(const Candle& c);  // no newline
std::string oi_row(const OiPoint& p);
std::string market_csv(const std::vector<Candle>& candles);  // header + rows, "" when empty
std::string oi_csv(const std::vector<OiPoint>& points);

// A decimal the exchange sent; throws Error(input) naming `what` when it is not a finite number.
std::string checked_number(const std::string& text, const char* what);

// "1m", "5m", "1h", "4h", "1d"...: milliseconds; throws Error(invalid_argument).
std::int64_t interval_ms(const std::string& interval);

// Sorted by time, one candle per open time (the last one given wins).
void sort_unique(std::vector<Candle>& candles);

std::int64_t now_ms();
std::string iso_time(std::int64_t ms);  // 2025-01-02T03:04:00Z, for messages

}  // namespace liqmap::feeds
