// The three exchanges' public market-data APIs, as pure functions over their documented
// message formats (no I/O here: the transports are in ws_client / rest_client). Each adapter
// cites its documentation in its own file (binance.cpp, bybit.cpp, okx.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candle.hpp"
#include "feed.hpp"

namespace liqmap::feeds {

// What one websocket text frame said.
struct WsFrame {
  std::vector<Candle> candles;  // kline updates, in the order sent
  bool ack = false;             // a subscription answer, pong or other control message
  std::string error;            // the exchange refused something (subscription error...)
};

class Exchange {
 public:
  virtual ~Exchange() = default;
  virtual const char* name() const = 0;
  virtual std::string default_ws_url() const = 0;
  virtual std::string default_rest_url() const = 0;
  // Path (and query) of the kline stream below ws_url; the messages sent after connecting.
  virtual std::string ws_target(const std::string& symbol, const std::string& interval) const = 0;
  virtual std::vector<std::string> subscribe_messages(const std::string& symbol,
                                                      const std::string& interval) const = 0;
  // An application-level ping the exchange asks for ("" when the websocket ping suffices).
  virtual std::string heartbeat_message() const { return ""; }
  virtual double heartbeat_seconds() const { return 20; }
  virtual WsFrame parse_ws(const std::string& text) const = 0;

  // REST klines: a request for the candles opening in [from_ms, to_ms] (at most klines_page() of
  // them), and its answer (closed = the candle ended by now_ms, or the exchange's flag).
  virtual int klines_page() const = 0;
  virtual std::string klines_path(const std::string& symbol, const std::string& interval,
                                  std::int64_t from_ms, std::int64_t to_ms) const = 0;
  virtual std::vector<Candle> parse_klines(const std::string& body, std::int64_t interval_ms,
                                           std::int64_t now_ms) const = 0;

  // REST open interest now, and its history at `period` (oi_period() picks one).
  virtual std::string oi_now_path(const std::string& symbol) const = 0;
  virtual OiPoint parse_oi_now(const std::string& body) const = 0;
  virtual std::string oi_period(const std::string& interval) const = 0;  // the exchange's name
  virtual std::int64_t oi_period_ms(const std::string& period) const = 0;
  virtual int oi_page() const = 0;
  virtual std::string oi_history_path(const std::string& symbol, const std::string& period,
                                      std::int64_t from_ms, std::int64_t to_ms) const = 0;
  virtual std::vector<OiPoint> parse_oi_history(const std::string& body) const = 0;

  // Seconds between REST requests to `path` that keep well inside the documented limits.
  virtual double rest_min_interval_seconds(const std::string& path) const = 0;
  // Whether an HTTP answer means "slow down" on this exchange (429 everywhere, 418 Binance's ban,
  // Bybit's 403 "access too frequent", OKX's code 50011 in a 200/429 body).
  virtual bool rate_limited(int status, const std::string& body) const;
};

const Exchange& exchange(FeedKind kind);  // kind binance, bybit or okx

}  // namespace liqmap::feeds
