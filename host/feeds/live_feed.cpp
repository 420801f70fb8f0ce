// The exchange feed loop: websocket klines through the Sequencer, REST back-fill of gaps,
// open interest polled over REST, reconnects with exponential backoff.
#include <algorithm>

#include "exchange.hpp"
#include "history.hpp"
#include "liqmap/error.hpp"
#include "sequencer.hpp"
#include "transport.hpp"

namespace liqmap::feeds {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

}  // namespace

void run_exchange_feed(const FeedSpec& spec, const live::Appender& append, const std::atomic<bool>& stop,
                       const LogSink& log) {
  const Exchange& ex = exchange(spec.kind);
  const std::int64_t step = interval_ms(spec.interval);
  const std::string ws_url = spec.ws_url.empty() ? ex.default_ws_url() : spec.ws_url;
  const std::string rest_url = spec.rest_url.empty() ? ex.default_rest_url() : spec.rest_url;
  const std::string target = ex.ws_target(spec.symbol, spec.interval);
  RestClient rest(rest_url, ex, spec.rest_min_interval_seconds, &stop, log);
  Sequencer seq(step, spec.resume_after_ms, append, log);
  const Sequencer::Backfill backfill = [&](std::int64_t from, std::int64_t to) {
    return fetch_klines(rest, ex, spec.symbol, spec.interval, from, to, now_ms());
  };
  double delay = spec.reconnect_min_seconds;
  Clock::time_point next_oi = Clock::now();
  for (int sessions = 0; !stop.load(); ++sessions) {
    if (spec.max_connections >= 0 && sessions >= spec.max_connections) break;
    try {
      WsClient ws;
      ws.connect(ws_url, target, 15);
      if (log) log(std::string(ex.name()) + ": connected to " + ws_url + target);
      for (const std::string& m : ex.subscribe_messages(spec.symbol, spec.interval)) ws.write(m);
      seq.catch_up(now_ms(), backfill);
      Clock::time_point last_frame = Clock::now(), last_beat = Clock::now();
      bool live = false;
      while (!stop.load()) {
        if (Clock::now() >= next_oi) {
          next_oi = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(spec.oi_poll_seconds));
          try {
            seq.add_oi(ex.parse_oi_now(rest.get(ex.oi_now_path(spec.symbol))));
          } catch (const Error& e) {
            if (e.code() == ErrorCode::cancelled) throw;
            if (log) log(std::string(ex.name()) + ": open interest not read: " + e.what());
          }
        }
        std::string text;
        if (ws.read(text, 0.2)) {
          last_frame = Clock::now();
          WsFrame frame;
          try {
            frame = ex.parse_ws(text);
          } catch (const Error& e) {
            if (log) log(std::string(ex.name()) + ": frame dropped: " + e.what());
            continue;
          }
          if (!frame.error.empty()) throw Error(ErrorCode::invalid_argument, frame.error);
          if (!live && !frame.candles.empty()) delay = spec.reconnect_min_seconds, live = true;
          for (const Candle& c : frame.candles) seq.offer(c, backfill);
        } else if (seconds_since(last_frame) > spec.silence_seconds) {
          throw Error(ErrorCode::io, "no frame for " + std::to_string(static_cast<int>(spec.silence_seconds)) + " s");
        }
        if (!ex.heartbeat_message().empty() && seconds_since(last_beat) > ex.heartbeat_seconds()) {
          ws.write(ex.heartbeat_message());
          last_beat = Clock::now();
        }
      }
    } catch (const AppendRefused&) {
      throw;
    } catch (const Error& e) {
      if (e.code() == ErrorCode::cancelled || stop.load()) break;
      if (e.code() != ErrorCode::io && e.code() != ErrorCode::input) throw;
      if (log) log(std::string(ex.name()) + ": " + e.what() + "; reconnecting in " + std::to_string(delay).substr(0, 4) + " s");
      if (!sleep_unless_stopped(delay, &stop)) break;
      delay = std::min(delay * 2, spec.reconnect_max_seconds);
    }
  }
  if (log) log(std::string(ex.name()) + ": feed stopped (" + std::to_string(seq.requests()) + " requests, " +
               std::to_string(seq.dropped()) + " frames dropped)");
}

bool exchange_feeds_available(std::string* why) {
  if (why) why->clear();
  return true;
}

}  // namespace liqmap::feeds
