// Binance USD-M futures (USDⓈ-M perpetuals), public market data. Documentation:
//   kline stream  https://developers.binance.com/docs/derivatives/usds-margined-futures/websocket-market-streams/Kline-Candlestick-Streams
//     wss://fstream.binance.com/ws/<symbol>@kline_<interval> (symbol lower case); payload
//     {"e":"kline","E":..,"s":"BTCUSDT","k":{"t":open ms,"T":close ms,"i":"1m","o","c","h","l",
//     "v":base volume,"x":closed?,...}}; the server pings every few minutes (Beast answers).
//   klines        https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Kline-Candlestick-Data
//     GET /fapi/v1/klines?symbol&interval&startTime&endTime&limit (<= 1500, weight 10 above 1000);
//     rows [open time, o, h, l, c, volume, close time, quote volume, trades, ...].
//   open interest https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Open-Interest
//     GET /fapi/v1/openInterest?symbol -> {"openInterest":"10659.509","symbol":..,"time":ms} (coins)
//   OI history    https://developers.binance.com/docs/derivatives/usds-margined-futures/market-data/rest-api/Open-Interest-Statistics
//     GET /futures/data/openInterestHist?symbol&period&startTime&endTime&limit (<= 500; the last
//     30 days only) -> [{"sumOpenInterest" (coins),"sumOpenInterestValue","timestamp"}]
//   limits        https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info
//     2400 request weight a minute per IP; 429 = over the limit (Retry-After), 418 = banned.
#include <algorithm>

#include "adapter_util.hpp"
#include "exchange.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {
namespace {

using detail::decimal;
using detail::millis;
using detail::item;
using detail::need;

constexpr const char* kBinance = "binance";

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

class Binance final : public Exchange {
 public:
  const char* name() const override { return kBinance; }
  std::string default_ws_url() const override { return "wss://fstream.binance.com"; }
  std::string default_rest_url() const override { return "https://fapi.binance.com"; }
  std::string ws_target(const std::string& symbol, const std::string& interval) const override {
    detail::query({{"symbol", symbol}, {"interval", interval}});  // checks the characters
    interval_ms(interval);
    return "/ws/" + lower(symbol) + "@kline_" + interval;
  }
  std::vector<std::string> subscribe_messages(const std::string&, const std::string&) const override {
    return {};  // the stream is named in the path
  }
  WsFrame parse_ws(const std::string& text) const override {
    WsFrame frame;
    const auto j = detail::parse_json(text, kBinance, "websocket frame");
    if (j.is_object() && j.contains("code") && j.contains("msg")) {
      frame.error = "binance: " + j.at("msg").dump();
      return frame;
    }
    if (!j.is_object() || !j.contains("k")) {
      frame.ack = true;  // {"result":null,"id":1} and other control answers
      return frame;
    }
    const auto& k = need(j, "k", kBinance);
    Candle c;
    c.open_ms = millis(need(k, "t", kBinance), "binance k.t");
    c.open = decimal(need(k, "o", kBinance), "binance k.o");
    c.high = decimal(need(k, "h", kBinance), "binance k.h");
    c.low = decimal(need(k, "l", kBinance), "binance k.l");
    c.close = decimal(need(k, "c", kBinance), "binance k.c");
    c.volume = decimal(need(k, "v", kBinance), "binance k.v");
    const auto& x = need(k, "x", kBinance);
    if (!x.is_boolean()) throw Error(ErrorCode::input, "binance: k.x (closed) is not true/false");
    c.closed = x.get<bool>();
    frame.candles.push_back(c);
    return frame;
  }

  int klines_page() const override { return 1500; }
  std::string klines_path(const std::string& symbol, const std::string& interval, std::int64_t from_ms,
                          std::int64_t to_ms) const override {
    return "/fapi/v1/klines" + detail::query({{"symbol", symbol}, {"interval", interval},
                                              {"startTime", std::to_string(from_ms)},
                                              {"endTime", std::to_string(to_ms)},
                                              {"limit", std::to_string(klines_page())}});
  }
  std::vector<Candle> parse_klines(const std::string& body, std::int64_t step, std::int64_t now) const override {
    const auto j = detail::parse_json(body, kBinance, "klines answer");
    if (!j.is_array()) throw Error(ErrorCode::input, "binance: klines answer is not an array: " + detail::excerpt(body));
    std::vector<Candle> out;
    for (const auto& row : j) {
      Candle c;
      c.open_ms = millis(item(row, 0, kBinance), "binance kline open time");
      c.open = decimal(item(row, 1, kBinance), "binance kline open");
      c.high = decimal(item(row, 2, kBinance), "binance kline high");
      c.low = decimal(item(row, 3, kBinance), "binance kline low");
      c.close = decimal(item(row, 4, kBinance), "binance kline close");
      c.volume = decimal(item(row, 5, kBinance), "binance kline volume");
      c.closed = c.open_ms + step <= now;
      out.push_back(c);
    }
    return out;
  }

  std::string oi_now_path(const std::string& symbol) const override {
    return "/fapi/v1/openInterest" + detail::query({{"symbol", symbol}});
  }
  OiPoint parse_oi_now(const std::string& body) const override {
    const auto j = detail::parse_json(body, kBinance, "open-interest answer");
    return {millis(need(j, "time", kBinance), "binance open-interest time"),
            decimal(need(j, "openInterest", kBinance), "binance openInterest")};
  }
  std::string oi_period(const std::string& interval) const override {
    // The documented periods; the longest not above the candles' interval (5m at least).
    static const char* periods[] = {"5m", "15m", "30m", "1h", "2h", "4h", "6h", "12h", "1d"};
    std::string best = "5m";
    for (const char* p : periods)
      if (oi_period_ms(p) <= interval_ms(interval)) best = p;
    return best;
  }
  std::int64_t oi_period_ms(const std::string& period) const override { return interval_ms(period); }
  int oi_page() const override { return 500; }
  std::string oi_history_path(const std::string& symbol, const std::string& period, std::int64_t from_ms,
                              std::int64_t to_ms) const override {
    return "/futures/data/openInterestHist" +
           detail::query({{"symbol", symbol}, {"period", period}, {"startTime", std::to_string(from_ms)},
                          {"endTime", std::to_string(to_ms)}, {"limit", std::to_string(oi_page())}});
  }
  std::vector<OiPoint> parse_oi_history(const std::string& body) const override {
    const auto j = detail::parse_json(body, kBinance, "open-interest history");
    if (!j.is_array()) throw Error(ErrorCode::input, "binance: open-interest history is not an array: " + detail::excerpt(body));
    std::vector<OiPoint> out;
    for (const auto& row : j)
      out.push_back({millis(need(row, "timestamp", kBinance), "binance OI timestamp"),
                     decimal(need(row, "sumOpenInterest", kBinance), "binance sumOpenInterest")});
    return out;
  }
  double rest_min_interval_seconds(const std::string&) const override { return 0.3; }  // <= 2000 weight/min
  bool rate_limited(int status, const std::string&) const override { return status == 429 || status == 418; }
};

}  // namespace

const Exchange& binance_exchange() {
  static const Binance instance;
  return instance;
}

}  // namespace liqmap::feeds
