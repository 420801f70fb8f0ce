// Bybit v5, linear (USDT) perpetuals, public market data. Documentation:
//   kline stream  https://bybit-exchange.github.io/docs/v5/websocket/public/kline
//     wss://stream.bybit.com/v5/public/linear, send {"op":"subscribe","args":["kline.1.BTCUSDT"]};
//     pushes {"topic":"kline.1.BTCUSDT","data":[{"start","end","interval","open","close","high",
//     "low","volume" (coins),"turnover","confirm" (closed?),"timestamp"}],"ts","type":"snapshot"}
//   heartbeat     https://bybit-exchange.github.io/docs/v5/ws/connect  {"op":"ping"} every 20 s
//   klines        https://bybit-exchange.github.io/docs/v5/market/kline
//     GET /v5/market/kline?category=linear&symbol&interval (1,3,5,15,30,60,120,240,360,720,D)
//     &start&end&limit (<= 1000) -> {"retCode":0,"result":{"list":[[start,o,h,l,c,volume,turnover]]}}
//     newest first.
//   open interest https://bybit-exchange.github.io/docs/v5/market/open-interest
//     GET /v5/market/open-interest?category=linear&symbol&intervalTime (5min,15min,30min,1h,4h,1d)
//     &startTime&endTime&limit (<= 200) -> result.list [{"openInterest" (coins),"timestamp"}]
//   limits        https://bybit-exchange.github.io/docs/v5/rate-limit
//     600 requests / 5 s per IP; over it: HTTP 403 "access too frequent"; retCode 10006 too many visits.
#include "adapter_util.hpp"
#include "exchange.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {
namespace {

using detail::decimal;
using detail::millis;
using detail::item;
using detail::need;

constexpr const char* kBybit = "bybit";

std::string bybit_interval(const std::string& interval) {
  const std::int64_t ms = interval_ms(interval);
  if (ms == 86400000) return "D";
  const std::int64_t minutes = ms / 60000;
  for (int m : {1, 3, 5, 15, 30, 60, 120, 240, 360, 720})
    if (minutes == m && ms % 60000 == 0) return std::to_string(m);
  throw Error(ErrorCode::invalid_argument, "bybit: no kline interval " + interval +
                                               " (1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d)");
}

// The answer's result after checking retCode (0 = success).
nlohmann::json result_of(const std::string& body, const char* what) {
  const auto j = detail::parse_json(body, kBybit, what);
  const auto& code = need(j, "retCode", kBybit);
  if (!code.is_number_integer() || code.get<long long>() != 0)
    throw Error(ErrorCode::input, std::string("bybit: ") + what + " refused: retCode " + code.dump() +
                                      " " + (j.contains("retMsg") ? j.at("retMsg").dump() : ""));
  return need(j, "result", kBybit);
}

class Bybit final : public Exchange {
 public:
  const char* name() const override { return kBybit; }
  std::string default_ws_url() const override { return "wss://stream.bybit.com"; }
  std::string default_rest_url() const override { return "https://api.bybit.com"; }
  std::string ws_target(const std::string& symbol, const std::string& interval) const override {
    detail::query({{"symbol", symbol}});
    bybit_interval(interval);
    return "/v5/public/linear";
  }
  std::vector<std::string> subscribe_messages(const std::string& symbol, const std::string& interval) const override {
    nlohmann::json m = {{"op", "subscribe"}, {"args", {"kline." + bybit_interval(interval) + "." + symbol}}};
    return {m.dump()};
  }
  std::string heartbeat_message() const override { return R"({"op":"ping"})"; }
  double heartbeat_seconds() const override { return 20; }
  WsFrame parse_ws(const std::string& text) const override {
    WsFrame frame;
    const auto j = detail::parse_json(text, kBybit, "websocket frame");
    if (j.is_object() && j.contains("op")) {  // subscribe / ping answers
      if (j.contains("success") && j.at("success") == false)
        frame.error = "bybit: " + j.value("ret_msg", std::string("request refused"));
      frame.ack = true;
      return frame;
    }
    const auto& topic = need(j, "topic", kBybit);
    if (!topic.is_string() || topic.get<std::string>().rfind("kline.", 0) != 0) {
      frame.ack = true;
      return frame;
    }
    for (const auto& d : need(j, "data", kBybit)) {
      Candle c;
      c.open_ms = millis(need(d, "start", kBybit), "bybit start");
      c.open = decimal(need(d, "open", kBybit), "bybit open");
      c.high = decimal(need(d, "high", kBybit), "bybit high");
      c.low = decimal(need(d, "low", kBybit), "bybit low");
      c.close = decimal(need(d, "close", kBybit), "bybit close");
      c.volume = decimal(need(d, "volume", kBybit), "bybit volume");
      const auto& confirm = need(d, "confirm", kBybit);
      if (!confirm.is_boolean()) throw Error(ErrorCode::input, "bybit: confirm is not true/false");
      c.closed = confirm.get<bool>();
      frame.candles.push_back(c);
    }
    return frame;
  }

  int klines_page() const override { return 1000; }
  std::string klines_path(const std::string& symbol, const std::string& interval, std::int64_t from_ms,
                          std::int64_t to_ms) const override {
    return "/v5/market/kline" + detail::query({{"category", "linear"}, {"symbol", symbol},
                                               {"interval", bybit_interval(interval)},
                                               {"start", std::to_string(from_ms)}, {"end", std::to_string(to_ms)},
                                               {"limit", std::to_string(klines_page())}});
  }
  std::vector<Candle> parse_klines(const std::string& body, std::int64_t step, std::int64_t now) const override {
    const auto result = result_of(body, "klines answer");
    std::vector<Candle> out;
    for (const auto& row : need(result, "list", kBybit)) {
      Candle c;
      c.open_ms = millis(item(row, 0, kBybit), "bybit kline start");
      c.open = decimal(item(row, 1, kBybit), "bybit kline open");
      c.high = decimal(item(row, 2, kBybit), "bybit kline high");
      c.low = decimal(item(row, 3, kBybit), "bybit kline low");
      c.close = decimal(item(row, 4, kBybit), "bybit kline close");
      c.volume = decimal(item(row, 5, kBybit), "bybit kline volume");
      c.closed = c.open_ms + step <= now;
      out.push_back(c);
    }
    sort_unique(out);  // newest first as sent
    return out;
  }

  std::string oi_now_path(const std::string& symbol) const override {
    return "/v5/market/open-interest" +
           detail::query({{"category", "linear"}, {"symbol", symbol}, {"intervalTime", "5min"}, {"limit", "1"}});
  }
  OiPoint parse_oi_now(const std::string& body) const override {
    const auto points = parse_oi_history(body);
    if (points.empty()) throw Error(ErrorCode::input, "bybit: open-interest answer has no row");
    return points.back();
  }
  std::string oi_period(const std::string& interval) const override {
    const std::int64_t ms = interval_ms(interval);
    std::string best = "5min";
    for (const char* p : {"5min", "15min", "30min", "1h", "4h", "1d"})
      if (oi_period_ms(p) <= ms) best = p;
    return best;
  }
  std::int64_t oi_period_ms(const std::string& period) const override {
    return interval_ms(period.size() > 3 && period.compare(period.size() - 3, 3, "min") == 0
                           ? period.substr(0, period.size() - 3) + "m" : period);
  }
  int oi_page() const override { return 200; }
  std::string oi_history_path(const std::string& symbol, const std::string& period, std::int64_t from_ms,
                              std::int64_t to_ms) const override {
    return "/v5/market/open-interest" +
           detail::query({{"category", "linear"}, {"symbol", symbol}, {"intervalTime", period},
                          {"startTime", std::to_string(from_ms)}, {"endTime", std::to_string(to_ms)},
                          {"limit", std::to_string(oi_page())}});
  }
  std::vector<OiPoint> parse_oi_history(const std::string& body) const override {
    const auto result = result_of(body, "open-interest answer");
    std::vector<OiPoint> out;
    for (const auto& row : need(result, "list", kBybit))
      out.push_back({millis(need(row, "timestamp", kBybit), "bybit OI timestamp"),
                     decimal(need(row, "openInterest", kBybit), "bybit openInterest")});
    std::sort(out.begin(), out.end(), [](const OiPoint& a, const OiPoint& b) { return a.ts_ms < b.ts_ms; });
    return out;
  }
  double rest_min_interval_seconds(const std::string&) const override { return 0.1; }
  bool rate_limited(int status, const std::string& body) const override {
    return status == 429 || status == 403 || body.find("\"retCode\":10006") != std::string::npos;
  }
};

}  // namespace

const Exchange& bybit_exchange() {
  static const Bybit instance;
  return instance;
}

}  // namespace liqmap::feeds
