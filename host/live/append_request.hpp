// What a live source hands the engine: new candles (and open interest) in the market files'
// CSV formats, committed or provisional (the forming candle, replaced by the next append).
// The server's POST /api/append, the exchange feeds and `liqmap append` all build one.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace liqmap::live {

struct AppendRequest {
  std::string market_csv;    // header + rows, the format `compute --market` reads; may be empty
  std::string oi_csv;        // header + rows, the format `compute --oi` reads; may be empty
  bool provisional = false;  // the last candle is still forming: shown, not committed
};

struct AppendResult {
  std::int64_t steps_added = 0;  // committed candles added to the state
  std::int64_t columns = 0;      // the map's columns after the append
  std::vector<std::string> notices;
};

// Applies one request to a live state and brings its run folder up to date; throws
// liqmap::Error with a message for the user (the request is refused whole: nothing changes).
using Appender = std::function<AppendResult(const AppendRequest&)>;

}  // namespace liqmap::live
