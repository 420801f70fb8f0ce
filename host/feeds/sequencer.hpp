// Turns live kline updates into append requests: closed candles committed in order, the forming
// candle provisional; duplicates and frames older than what is committed are dropped; a candle
// beyond the next expected one (a gap: missed frames, a reconnect) first back-fills the missing
// closed candles through `Backfill` (REST klines), so the state never skips a candle it could get.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "candle.hpp"
#include "feed.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {

// An Appender refused a committed request: the feed stops (the state and the feed disagree).
class AppendRefused : public Error {
 public:
  using Error::Error;
};

class Sequencer {
 public:
  // The closed candles opening in [from_ms, to_ms], oldest first (REST; may be fewer).
  using Backfill = std::function<std::vector<Candle>(std::int64_t from_ms, std::int64_t to_ms)>;

  Sequencer(std::int64_t interval_ms, std::int64_t last_committed_ms, live::Appender append, LogSink log);

  void offer(const Candle& candle, const Backfill& backfill);
  // On (re)connect, before live frames: the closed candles after the last committed one.
  void catch_up(std::int64_t now_ms, const Backfill& backfill);
  // An open-interest reading, sent with the next committed candles.
  void add_oi(const OiPoint& point);

  std::int64_t last_committed() const { return last_; }
  int dropped() const { return dropped_; }
  int requests() const { return requests_; }

 private:
  void fill(std::int64_t from_ms, std::int64_t to_ms, const Backfill& backfill);
  void commit(const std::vector<Candle>& candles);
  void drop(const Candle& candle, const char* why);

  std::int64_t step_;
  std::int64_t last_;
  live::Appender append_;
  LogSink log_;
  std::optional<Candle> provisional_;
  std::vector<OiPoint> oi_;
  std::int64_t last_oi_ms_ = -1;
  int dropped_ = 0;
  int requests_ = 0;
};

}  // namespace liqmap::feeds
