// Bybit's v5 REST market data written as CSV (docs/schedules.md, "Venue formats"):
//   GET /v5/market/kline          list rows [startTime, openPrice, highPrice, lowPrice,
//                                 closePrice, volume, turnover], newest first
//   GET /v5/market/open-interest  list objects {openInterest, timestamp}, newest first
// With the docs' field names as the header, or the kline rows as they come (7 fields, no header).
// A linear (USDT) contract counts volume and open interest in coins; an inverse one (BTCUSD) in
// USD, with the coins in turnover. public.bybit.com's trading/ files are trades, not candles.
#include "csv_table.hpp"
#include "market_rows.hpp"

namespace liqmap::io::detail {
namespace {

constexpr const char* kKlineNames[] = {"starttime", "openprice", "highprice", "lowprice", "closeprice", "volume", "turnover"};

long index_of(const std::vector<std::string>& header, const char* name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<long>(i);
  return -1;
}

ColumnMap kline_map(const std::string& path, bool has_header, const std::vector<std::string>& header) {
  const bool inverse = symbol_of_file(path).coin_margined;
  ColumnMap map;
  map.format = std::string("bybit-klines") + (inverse ? " (inverse: volume from turnover, in coins)" : " (linear)");
  map.has_header = has_header;
  map.width = has_header ? header.size() : 7;
  const char* names[] = {"startTime", "openPrice", "highPrice", "lowPrice", "closePrice", "volume", "turnover"};
  const auto column = [&](int k) { return has_header ? index_of(header, kKlineNames[k]) : static_cast<long>(k); };
  map.ts = column(0);
  const int source[] = {1, 2, 3, 4, inverse ? 6 : 5};
  for (Field f : {open, high, low, close, volume}) {
    const int k = source[f];
    map.field[f] = column(k);
    map.header_name[f] = has_header ? names[k] : "field " + std::to_string(k + 1) + " (" + names[k] + ")";
  }
  if (has_header && map.field[volume] < 0) map.header_name[volume].clear();
  return map;
}

}  // namespace

std::optional<ColumnMap> bybit_columns_from_header(const std::string& path, const std::vector<std::string>& header) {
  if (index_of(header, "openprice") >= 0 && index_of(header, "closeprice") >= 0) return kline_map(path, true, header);
  const long oi_column = index_of(header, "openinterest");
  if (oi_column < 0) return std::nullopt;
  ColumnMap map;
  map.format = "bybit-open-interest";
  map.width = header.size();
  map.ts = index_of(header, "timestamp");
  map.field[oi] = oi_column;
  map.header_name[oi] = "openInterest";
  // Bybit's unit follows the contract: coins for a USDT (linear) symbol, USD for an inverse one.
  const bool inverse = symbol_of_file(path).coin_margined;
  map.oi_unit = inverse ? OiUnit::quote : OiUnit::base;
  map.oi_unit_reason = std::string("Bybit's openInterest of ") + (inverse ? "an inverse" : "a linear") + " symbol";
  return map;
}

bool bybit_kline_row(const std::vector<std::string_view>& fields) { return fields.size() == 7; }

ColumnMap bybit_headerless_columns(const std::string& path) { return kline_map(path, false, {}); }

}  // namespace liqmap::io::detail
