// REST history shared by the live back-fill and `liqmap fetch`: klines and open interest over
// a time range, paged by the exchanges' documented page sizes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "candle.hpp"
#include "exchange.hpp"
#include "transport.hpp"

namespace liqmap::feeds {

// Candles opening in [from_ms, to_ms], oldest first, one per open time; each page is a window of
// klines_page() candles, so an empty page (before a listing, a halt) does not end the range.
// `on_page` (optional) sees each page's candles as they come (fetch writes them at once).
std::vector<Candle> fetch_klines(RestClient& rest, const Exchange& ex, const std::string& symbol,
                                 const std::string& interval, std::int64_t from_ms, std::int64_t to_ms,
                                 std::int64_t now_ms,
                                 const std::function<void(const std::vector<Candle>&)>& on_page = {});

// Open interest at `period` in [from_ms, to_ms], oldest first, one per time.
std::vector<OiPoint> fetch_oi(RestClient& rest, const Exchange& ex, const std::string& symbol,
                              const std::string& period, std::int64_t from_ms, std::int64_t to_ms,
                              const std::function<void(const std::vector<OiPoint>&)>& on_page = {});

}  // namespace liqmap::feeds
