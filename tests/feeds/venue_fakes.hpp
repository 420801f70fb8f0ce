// The three exchanges' messages in their documented formats (host/feeds/binance.cpp, bybit.cpp,
// okx.cpp cite the pages), built for the replay tests, and REST handlers answering from a store
// of candles and open interest as the exchanges do (their parameters, page sizes and order).
#pragma once

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "feeds/candle.hpp"
#include "feeds/feed.hpp"

namespace liqmap::test {

using feeds::Candle;
using feeds::FeedKind;
using feeds::OiPoint;
using nlohmann::json;

// A deterministic candle for an open time: decimals as an exchange sends them.
inline Candle make_candle(std::int64_t open_ms, bool closed) {
  const long long i = (open_ms / 60000) % 1000;
  Candle c;
  c.open_ms = open_ms;
  c.open = std::to_string(100 + i) + ".5";
  c.high = std::to_string(102 + i) + ".25";
  c.low = std::to_string(99 + i) + ".75";
  c.close = std::to_string(101 + i);
  c.volume = std::to_string(10 + i) + ".125";
  c.closed = closed;
  return c;
}

inline OiPoint make_oi(std::int64_t ts) { return {ts, std::to_string(80000 + (ts / 60000) % 1000) + ".5"}; }

inline std::string ws_frame(FeedKind kind, const Candle& c) {
  if (kind == FeedKind::binance)
    return json{{"e", "kline"}, {"E", c.open_ms + 1000}, {"s", "BTCUSDT"},
                {"k", {{"t", c.open_ms}, {"T", c.open_ms + 59999}, {"s", "BTCUSDT"}, {"i", "1m"}, {"f", 1}, {"L", 2},
                       {"o", c.open}, {"c", c.close}, {"h", c.high}, {"l", c.low}, {"v", c.volume}, {"n", 2},
                       {"x", c.closed}, {"q", "1"}, {"V", "1"}, {"Q", "1"}, {"B", "0"}}}}.dump();
  if (kind == FeedKind::bybit)
    return json{{"topic", "kline.1.BTCUSDT"},
                {"data", json::array({{{"start", c.open_ms}, {"end", c.open_ms + 59999}, {"interval", "1"},
                                       {"open", c.open}, {"close", c.close}, {"high", c.high}, {"low", c.low},
                                       {"volume", c.volume}, {"turnover", "1"}, {"confirm", c.closed},
                                       {"timestamp", c.open_ms + 1000}}})},
                {"ts", c.open_ms + 1000}, {"type", "snapshot"}}.dump();
  return json{{"arg", {{"channel", "candle1m"}, {"instId", "BTC-USDT-SWAP"}}},
              {"data", json::array({json::array({std::to_string(c.open_ms), c.open, c.high, c.low, c.close, "999",
                                                 c.volume, "1", c.closed ? "1" : "0"})})}}.dump();
}

inline std::string ws_ack(FeedKind kind) {
  if (kind == FeedKind::binance) return R"({"result":null,"id":1})";
  if (kind == FeedKind::bybit) return R"({"success":true,"ret_msg":"","conn_id":"c1","op":"subscribe"})";
  return R"({"event":"subscribe","arg":{"channel":"candle1m","instId":"BTC-USDT-SWAP"},"connId":"c1"})";
}

inline std::int64_t param(const httplib::Request& req, const char* name, std::int64_t fallback) {
  return req.has_param(name) ? std::stoll(req.get_param_value(name)) : fallback;
}

// Store-backed REST answers for one exchange; `limit_first` answers the first `limit_first`
// requests to `limited_path` with the exchange's rate-limit answer.
struct FakeVenue {
  FeedKind kind;
  std::int64_t step = 60000;
  std::map<std::int64_t, Candle> candles;
  std::map<std::int64_t, OiPoint> oi;
  OiPoint oi_now{0, "0"};
  std::string limited_path;
  int limit_first = 0;
  std::string fail_path, fail_body;  // every request to fail_path answers fail_status
  int fail_status = 0;
  std::atomic<int> klines_requests{0}, oi_requests{0}, limited{0};
  std::vector<std::string> paths;
  std::mutex m;

  bool rate_limit(const httplib::Request& req, httplib::Response& res) {
    {
      std::lock_guard<std::mutex> lock(m);
      paths.push_back(req.path + "?" + httplib::detail::params_to_query_str(req.params));
    }
    if (req.path == fail_path) {
      res.status = fail_status;
      res.set_content(fail_body, "text/plain");
      return true;
    }
    if (req.path != limited_path || limited.load() >= limit_first) return false;
    ++limited;
    if (kind == FeedKind::binance) {
      res.status = 429;
      res.set_header("Retry-After", "1");
      res.set_content(R"({"code":-1003,"msg":"Too many requests; current limit is 2400 request weight per 1 MINUTE."})", "application/json");
    } else if (kind == FeedKind::bybit) {
      res.status = 403;
      res.set_content("access too frequent", "text/plain");
    } else {
      res.status = 429;
      res.set_content(R"({"code":"50011","msg":"Too Many Requests","data":[]})", "application/json");
    }
    return true;
  }

  std::vector<Candle> window(std::int64_t lo, std::int64_t hi, std::size_t limit) {
    std::vector<Candle> out;
    for (auto it = candles.lower_bound(lo); it != candles.end() && it->first <= hi && out.size() < limit; ++it)
      out.push_back(it->second);
    return out;
  }

  void install(httplib::Server& s) {
    const std::string klines = kind == FeedKind::binance ? "/fapi/v1/klines"
                               : kind == FeedKind::bybit ? "/v5/market/kline" : "/api/v5/market/history-candles";
    s.Get(klines, [this](const httplib::Request& req, httplib::Response& res) {
      ++klines_requests;
      if (rate_limit(req, res)) return;
      json body;
      if (kind == FeedKind::binance) {
        body = json::array();
        for (const Candle& c : window(param(req, "startTime", 0), param(req, "endTime", INT64_MAX), param(req, "limit", 500)))
          body.push_back({c.open_ms, c.open, c.high, c.low, c.close, c.volume, c.open_ms + step - 1, "1", 3, "1", "1", "0"});
      } else if (kind == FeedKind::bybit) {
        json list = json::array();
        auto w = window(param(req, "start", 0), param(req, "end", INT64_MAX), param(req, "limit", 200));
        std::reverse(w.begin(), w.end());
        for (const Candle& c : w) list.push_back({std::to_string(c.open_ms), c.open, c.high, c.low, c.close, c.volume, "1"});
        body = {{"retCode", 0}, {"retMsg", "OK"}, {"result", {{"category", "linear"}, {"symbol", "BTCUSDT"}, {"list", list}}}, {"time", 1}};
      } else {
        json data = json::array();
        auto w = window(param(req, "before", -1) + 1, param(req, "after", INT64_MAX) - 1, param(req, "limit", 100));
        std::reverse(w.begin(), w.end());
        for (const Candle& c : w)
          data.push_back({std::to_string(c.open_ms), c.open, c.high, c.low, c.close, "999", c.volume, "1", "1"});
        body = {{"code", "0"}, {"msg", ""}, {"data", data}};
      }
      res.set_content(body.dump(), "application/json");
    });
    auto oi_window = [this](std::int64_t lo, std::int64_t hi, std::size_t limit) {
      std::vector<OiPoint> out;
      for (auto it = oi.lower_bound(lo); it != oi.end() && it->first <= hi && out.size() < limit; ++it) out.push_back(it->second);
      return out;
    };
    if (kind == FeedKind::binance) {
      s.Get("/fapi/v1/openInterest", [this](const httplib::Request& req, httplib::Response& res) {
        ++oi_requests;
        if (rate_limit(req, res)) return;
        res.set_content(json{{"openInterest", oi_now.oi}, {"symbol", "BTCUSDT"}, {"time", oi_now.ts_ms}}.dump(), "application/json");
      });
      s.Get("/futures/data/openInterestHist", [this, oi_window](const httplib::Request& req, httplib::Response& res) {
        ++oi_requests;
        if (rate_limit(req, res)) return;
        json body = json::array();
        for (const OiPoint& p : oi_window(param(req, "startTime", 0), param(req, "endTime", INT64_MAX), param(req, "limit", 30)))
          body.push_back({{"symbol", "BTCUSDT"}, {"sumOpenInterest", p.oi}, {"sumOpenInterestValue", "1"}, {"timestamp", p.ts_ms}});
        res.set_content(body.dump(), "application/json");
      });
    } else if (kind == FeedKind::bybit) {
      s.Get("/v5/market/open-interest", [this, oi_window](const httplib::Request& req, httplib::Response& res) {
        ++oi_requests;
        if (rate_limit(req, res)) return;
        std::vector<OiPoint> w = req.has_param("startTime")
            ? oi_window(param(req, "startTime", 0), param(req, "endTime", INT64_MAX), param(req, "limit", 50))
            : std::vector<OiPoint>{oi_now};
        std::reverse(w.begin(), w.end());
        json list = json::array();
        for (const OiPoint& p : w) list.push_back({{"openInterest", p.oi}, {"timestamp", std::to_string(p.ts_ms)}});
        res.set_content(json{{"retCode", 0}, {"retMsg", "OK"},
                             {"result", {{"symbol", "BTCUSDT"}, {"category", "linear"}, {"list", list}, {"nextPageCursor", ""}}},
                             {"time", 1}}.dump(), "application/json");
      });
    } else {
      s.Get("/api/v5/public/open-interest", [this](const httplib::Request& req, httplib::Response& res) {
        ++oi_requests;
        if (rate_limit(req, res)) return;
        res.set_content(json{{"code", "0"}, {"msg", ""},
                             {"data", json::array({{{"instType", "SWAP"}, {"instId", "BTC-USDT-SWAP"}, {"oi", "5"},
                                                    {"oiCcy", oi_now.oi}, {"oiUsd", "1"}, {"ts", std::to_string(oi_now.ts_ms)}}})}}.dump(),
                        "application/json");
      });
      s.Get("/api/v5/rubik/stat/contracts/open-interest-history", [this, oi_window](const httplib::Request& req, httplib::Response& res) {
        ++oi_requests;
        if (rate_limit(req, res)) return;
        auto w = oi_window(param(req, "begin", 0), param(req, "end", INT64_MAX), param(req, "limit", 100));
        std::reverse(w.begin(), w.end());
        json data = json::array();
        for (const OiPoint& p : w) data.push_back({std::to_string(p.ts_ms), "5", p.oi, "1"});
        res.set_content(json{{"code", "0"}, {"msg", ""}, {"data", data}}.dump(), "application/json");
      });
    }
  }
};

inline std::string rows(const std::vector<Candle>& cs) {
  std::string out;
  for (const Candle& c : cs) out += feeds::market_row(c) + "\n";
  return out;
}

}  // namespace liqmap::test
