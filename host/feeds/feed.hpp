// Live market feeds for the engine's append (issue 26 item 3): exchange websocket klines plus
// periodic open-interest requests, a growing CSV file, or stdin, each turned into
// liqmap::live::AppendRequest values handed to an Appender.
//
// Entry point for `liqmap serve --feed SPEC` (and `liqmap feed SPEC --print`):
//   liqmap::feeds::FeedSpec spec = liqmap::feeds::parse_feed_spec("binance:BTCUSDT:1m");
//   liqmap::feeds::run_feed(spec, appender, stop_flag, [](const std::string& line) { ... });
// run_feed blocks until `stop` becomes true (or, for file:/stdin, the input ends), and throws
// liqmap::Error when the feed cannot go on (a refused committed append, a bad file row...).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>

#include "live/append_request.hpp"

namespace liqmap::feeds {

enum class FeedKind { binance, bybit, okx, file, stdin_input };

const char* feed_kind_name(FeedKind kind);

struct FeedSpec {
  FeedKind kind = FeedKind::stdin_input;
  std::string symbol;       // exchange feeds: BTCUSDT (Binance, Bybit), BTC-USDT-SWAP (OKX)
  std::string interval = "1m";
  std::string path;         // file:PATH
  std::string ws_url;       // websocket base (default: the exchange's public host)
  std::string rest_url;     // REST base (default: the exchange's public host)
  double oi_poll_seconds = 60;      // how often the current open interest is requested
  double reconnect_min_seconds = 0.5;
  double reconnect_max_seconds = 30;
  double silence_seconds = 60;      // no frame for this long: reconnect
  double rest_min_interval_seconds = -1;  // spacing of REST requests; < 0: the exchange's default
  double file_poll_seconds = 0.2;   // file:/stdin: how often new bytes are looked for
  int max_connections = -1;         // tests: stop after this many websocket sessions (< 0: never)
  std::int64_t resume_after_ms = -1;  // open time of the last candle the state has: back-filled after it
  int input_fd = -1;                // stdin: read this descriptor instead of 0 (tests)
  bool follow = true;               // file:/stdin: keep waiting for more at the end (stdin: until EOF)
};

// "binance:BTCUSDT:1m" | "bybit:BTCUSDT:1m" | "okx:BTC-USDT-SWAP:1m" | "file:PATH" | "stdin";
// the interval is optional (1m). Throws Error(invalid_argument) naming what is wrong.
FeedSpec parse_feed_spec(const std::string& text);

using LogSink = std::function<void(const std::string&)>;

// Runs the feed until `stop`; see the header comment.
void run_feed(const FeedSpec& spec, const live::Appender& append, const std::atomic<bool>& stop,
              const LogSink& log);

// Whether the exchange feeds and `fetch` are compiled in (Boost.Beast + cpp-httplib) and whether
// TLS (wss/https, OpenSSL) is; `why` says what is missing.
bool exchange_feeds_available(std::string* why);
bool tls_available();

}  // namespace liqmap::feeds
