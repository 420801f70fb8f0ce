// OKX v5, perpetual swaps (BTC-USDT-SWAP), public market data. Documentation (one page,
// https://www.okx.com/docs-v5/en/):
//   #public-data-websocket-candlesticks-channel  wss://ws.okx.com:8443/ws/v5/business (candles
//     moved to /business in June 2023), send {"op":"subscribe","args":[{"channel":"candle1m",
//     "instId":"BTC-USDT-SWAP"}]}; pushes {"arg":{..},"data":[[ts,o,h,l,c,vol (contracts),
//     volCcy (coins),volCcyQuote,confirm ("0" forming, "1" closed)]]}; answers {"event":"subscribe"}
//     or {"event":"error","code","msg"}; send "ping" after 30 s of silence, the answer is "pong".
//   #order-book-trading-market-data-get-candlesticks-history  GET /api/v5/market/history-candles
//     ?instId&bar (1m 3m 5m 15m 30m 1H 2H 4H 6Hutc 12Hutc 1Dutc)&after (older than)&before (newer
//     than)&limit (<= 100) -> {"code":"0","data":[[ts,o,h,l,c,vol,volCcy,volCcyQuote,confirm]]}
//     newest first; 20 requests / 2 s.
//   #public-data-rest-api-get-open-interest  GET /api/v5/public/open-interest?instType=SWAP&instId
//     -> data [{"oi" (contracts),"oiCcy" (coins),"oiUsd","ts"}]
//   #trading-statistics-rest-api-get-contract-open-interest-history  GET
//     /api/v5/rubik/stat/contracts/open-interest-history?instId&period (5m 15m 30m 1H 2H 4H 1Dutc)
//     &begin&end&limit (<= 100) -> data [[ts, oi, oiCcy, oiUsd]]; 5 requests / 2 s.
//   Rate limits: HTTP 429 with code "50011" (Too Many Requests).
#include "adapter_util.hpp"
#include "exchange.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {
namespace {

using detail::decimal;
using detail::millis;
using detail::item;
using detail::need;

constexpr const char* kOkx = "okx";

std::string okx_bar(const std::string& interval) {
  const std::int64_t ms = interval_ms(interval);
  struct Bar { std::int64_t ms; const char* name; };
  static const Bar bars[] = {{60000, "1m"}, {180000, "3m"}, {300000, "5m"}, {900000, "15m"},
                             {1800000, "30m"}, {3600000, "1H"}, {7200000, "2H"}, {14400000, "4H"},
                             {21600000, "6Hutc"}, {43200000, "12Hutc"}, {86400000, "1Dutc"}};
  for (const Bar& b : bars)
    if (b.ms == ms) return b.name;
  throw Error(ErrorCode::invalid_argument, "okx: no candle bar for " + interval +
                                               " (1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d)");
}

// The answer's data after checking code ("0" = success).
nlohmann::json data_of(const std::string& body, const char* what) {
  const auto j = detail::parse_json(body, kOkx, what);
  const auto& code = need(j, "code", kOkx);
  if (!(code == "0" || code == 0))
    throw Error(ErrorCode::input, std::string("okx: ") + what + " refused: code " + code.dump() + " " +
                                      (j.contains("msg") ? j.at("msg").dump() : ""));
  return need(j, "data", kOkx);
}

Candle candle_row(const nlohmann::json& row) {
  Candle c;
  c.open_ms = millis(item(row, 0, kOkx), "okx candle ts");
  c.open = decimal(item(row, 1, kOkx), "okx candle o");
  c.high = decimal(item(row, 2, kOkx), "okx candle h");
  c.low = decimal(item(row, 3, kOkx), "okx candle l");
  c.close = decimal(item(row, 4, kOkx), "okx candle c");
  c.volume = decimal(item(row, 6, kOkx), "okx candle volCcy");
  const auto& confirm = item(row, 8, kOkx);
  if (!(confirm == "0" || confirm == "1"))
    throw Error(ErrorCode::input, "okx: candle confirm is not \"0\" or \"1\": " + confirm.dump());
  c.closed = confirm == "1";
  return c;
}

class Okx final : public Exchange {
 public:
  const char* name() const override { return kOkx; }
  std::string default_ws_url() const override { return "wss://ws.okx.com:8443"; }
  std::string default_rest_url() const override { return "https://www.okx.com"; }
  std::string ws_target(const std::string& symbol, const std::string& interval) const override {
    detail::query({{"instId", symbol}});
    okx_bar(interval);
    return "/ws/v5/business";
  }
  std::vector<std::string> subscribe_messages(const std::string& symbol, const std::string& interval) const override {
    nlohmann::json arg = {{"channel", "candle" + okx_bar(interval)}, {"instId", symbol}};
    nlohmann::json m = {{"op", "subscribe"}, {"args", nlohmann::json::array({arg})}};
    return {m.dump()};
  }
  std::string heartbeat_message() const override { return "ping"; }
  double heartbeat_seconds() const override { return 25; }
  WsFrame parse_ws(const std::string& text) const override {
    WsFrame frame;
    if (text == "pong") {
      frame.ack = true;
      return frame;
    }
    const auto j = detail::parse_json(text, kOkx, "websocket frame");
    if (j.is_object() && j.contains("event")) {
      if (j.at("event") == "error")
        frame.error = "okx: code " + j.value("code", std::string("?")) + " " + j.value("msg", std::string(""));
      frame.ack = true;
      return frame;
    }
    for (const auto& row : need(j, "data", kOkx)) frame.candles.push_back(candle_row(row));
    return frame;
  }

  int klines_page() const override { return 100; }
  std::string klines_path(const std::string& symbol, const std::string& interval, std::int64_t from_ms,
                          std::int64_t to_ms) const override {
    // after = older than, before = newer than (both exclusive).
    return "/api/v5/market/history-candles" +
           detail::query({{"instId", symbol}, {"bar", okx_bar(interval)}, {"after", std::to_string(to_ms + 1)},
                          {"before", std::to_string(from_ms - 1)}, {"limit", std::to_string(klines_page())}});
  }
  std::vector<Candle> parse_klines(const std::string& body, std::int64_t, std::int64_t) const override {
    std::vector<Candle> out;
    for (const auto& row : data_of(body, "candles answer")) out.push_back(candle_row(row));
    sort_unique(out);
    return out;
  }

  std::string oi_now_path(const std::string& symbol) const override {
    return "/api/v5/public/open-interest" + detail::query({{"instType", "SWAP"}, {"instId", symbol}});
  }
  OiPoint parse_oi_now(const std::string& body) const override {
    const auto data = data_of(body, "open-interest answer");
    const auto& row = item(data, 0, kOkx);
    return {millis(need(row, "ts", kOkx), "okx OI ts"), decimal(need(row, "oiCcy", kOkx), "okx oiCcy")};
  }
  std::string oi_period(const std::string& interval) const override {
    const std::int64_t ms = interval_ms(interval);
    std::string best = "5m";
    for (const char* p : {"5m", "15m", "30m", "1H", "2H", "4H", "1Dutc"})
      if (oi_period_ms(p) <= ms) best = p;
    return best;
  }
  std::int64_t oi_period_ms(const std::string& period) const override {
    if (period == "1Dutc") return 86400000;
    std::string p = period;
    if (!p.empty() && p.back() == 'H') p.back() = 'h';
    return interval_ms(p);
  }
  int oi_page() const override { return 100; }
  std::string oi_history_path(const std::string& symbol, const std::string& period, std::int64_t from_ms,
                              std::int64_t to_ms) const override {
    return "/api/v5/rubik/stat/contracts/open-interest-history" +
           detail::query({{"instId", symbol}, {"period", period}, {"begin", std::to_string(from_ms)},
                          {"end", std::to_string(to_ms)}, {"limit", std::to_string(oi_page())}});
  }
  std::vector<OiPoint> parse_oi_history(const std::string& body) const override {
    std::vector<OiPoint> out;
    for (const auto& row : data_of(body, "open-interest history"))
      out.push_back({millis(item(row, 0, kOkx), "okx OI ts"), decimal(item(row, 2, kOkx), "okx oiCcy")});
    std::sort(out.begin(), out.end(), [](const OiPoint& a, const OiPoint& b) { return a.ts_ms < b.ts_ms; });
    return out;
  }
  double rest_min_interval_seconds(const std::string& path) const override {
    return path.find("/rubik/") != std::string::npos ? 0.45 : 0.12;
  }
  bool rate_limited(int status, const std::string& body) const override {
    return status == 429 || body.find("\"50011\"") != std::string::npos;
  }
};

}  // namespace

const Exchange& okx_exchange() {
  static const Okx instance;
  return instance;
}

}  // namespace liqmap::feeds
