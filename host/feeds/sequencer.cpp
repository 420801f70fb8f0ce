#include "sequencer.hpp"

namespace liqmap::feeds {

Sequencer::Sequencer(std::int64_t interval_ms, std::int64_t last_committed_ms, live::Appender append, LogSink log)
    : step_(interval_ms), last_(last_committed_ms), append_(std::move(append)), log_(std::move(log)) {}

void Sequencer::drop(const Candle& c, const char* why) {
  ++dropped_;
  if (log_) log_(std::string("feed: dropped ") + why + " candle " + iso_time(c.open_ms) + (c.closed ? " (closed)" : " (forming)"));
}

void Sequencer::offer(const Candle& c, const Backfill& backfill) {
  if (c.open_ms % step_ != 0) return drop(c, "misaligned");
  if (last_ >= 0 && c.open_ms <= last_) return drop(c, c.open_ms == last_ ? "duplicate" : "out-of-order (older)");
  if (last_ >= 0 && c.open_ms > last_ + step_) {
    fill(last_ + step_, c.open_ms - step_, backfill);
    if (c.open_ms > last_ + step_ && log_)
      log_("feed: " + std::to_string((c.open_ms - last_) / step_ - 1) + " candle(s) before " + iso_time(c.open_ms) +
           " could not be back-filled");
  }
  if (c.closed) {
    commit({c});
    return;
  }
  if (provisional_ && *provisional_ == c) return drop(c, "duplicate");
  provisional_ = c;
  ++requests_;
  try {
    append_(live::AppendRequest{market_csv({c}), "", true});
  } catch (const Error& e) {
    if (log_) log_(std::string("feed: provisional candle refused: ") + e.what());
  }
}

void Sequencer::catch_up(std::int64_t now, const Backfill& backfill) {
  if (last_ < 0) return;  // nothing known to continue from
  const std::int64_t last_closed_open = (now / step_) * step_ - step_;
  if (last_closed_open > last_) fill(last_ + step_, last_closed_open, backfill);
}

void Sequencer::fill(std::int64_t from, std::int64_t to, const Backfill& backfill) {
  if (log_) log_("feed: back-filling " + iso_time(from) + " .. " + iso_time(to) + " from REST klines");
  std::vector<Candle> got = backfill(from, to);
  std::vector<Candle> keep;
  for (const Candle& c : got)
    if (c.closed && c.open_ms > last_ && c.open_ms <= to && c.open_ms % step_ == 0) keep.push_back(c);
  sort_unique(keep);
  if (!keep.empty()) commit(keep);
}

void Sequencer::add_oi(const OiPoint& p) {
  if (p.ts_ms <= last_oi_ms_) return;
  last_oi_ms_ = p.ts_ms;
  oi_.push_back(p);
}

void Sequencer::commit(const std::vector<Candle>& candles) {
  live::AppendRequest request{market_csv(candles), oi_csv(oi_), false};
  ++requests_;
  try {
    append_(request);
  } catch (const Error& e) {
    throw AppendRefused(e.code(), std::string("feed: the state refused candles ") + iso_time(candles.front().open_ms) +
                                      " .. " + iso_time(candles.back().open_ms) + ": " + e.what());
  }
  last_ = candles.back().open_ms;
  oi_.clear();
  provisional_.reset();
}

}  // namespace liqmap::feeds
