// Which column holds which field, for each format: from the header's names, or from Binance's
// fixed kline layout when the file has no header.
#include <algorithm>

#include "csv_table.hpp"
#include "market_rows.hpp"

namespace liqmap::io::detail {
namespace {

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

std::string file_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return lower(slash == std::string::npos ? path : path.substr(slash + 1));
}

}  // namespace

// Binance's headerless kline layout: open_time,open,high,low,close,volume,close_time,
// quote_volume (USDⓈ-M) or base_volume (COIN-M),count,taker_buy_volume,...,ignore.
ColumnMap binance_kline_columns(const std::string& path, bool has_header, const std::vector<std::string>& header) {
  ColumnMap map;
  map.format = "binance-klines";
  map.has_header = has_header;
  map.width = has_header ? header.size() : 12;
  map.ts = 0;
  for (Field f : {open, high, low, close}) map.field[f] = static_cast<long>(f) + 1;
  // COIN-M volume counts contracts (USD 100 each for BTC); the model wants coins, which COIN-M
  // files carry in column 8 (base_volume). COIN-M symbols end in _PERP or a delivery date.
  const auto named = [&](const char* name) { return std::find(header.begin(), header.end(), name) != header.end(); };
  const bool coin_margined = named("base_volume") || named("base_asset_volume") || contains(file_name(path), "usd_");
  map.field[volume] = coin_margined ? 7 : 5;
  map.format += coin_margined ? " (COIN-M: volume from base_volume, in coins)" : " (USDⓈ-M)";
  return map;
}

ColumnMap columns_from_header(const std::string& path, const std::vector<std::string>& header, bool for_oi,
                              MarketFormat format, const std::optional<OiUnit>& wanted_unit) {
  if (format == MarketFormat::automatic) {
    if (auto bybit = bybit_columns_from_header(path, header)) return *bybit;
    if (auto okx = okx_columns_from_header(header, wanted_unit)) return *okx;
  }
  ColumnMap map;
  map.width = header.size();
  std::map<std::string, long> index;
  for (std::size_t i = 0; i < header.size(); ++i) index.emplace(header[i], static_cast<long>(i));
  const auto find = [&](std::initializer_list<const char*> names) -> std::pair<long, std::string> {
    for (const char* name : names)
      if (auto it = index.find(name); it != index.end()) return {it->second, name};
    return {-1, ""};
  };
  const auto set = [&](Field f, std::initializer_list<const char*> names) {
    std::tie(map.field[f], map.header_name[f]) = find(names);
  };
  map.ts = find({"ts", "timestamp", "open_time", "time", "create_time"}).first;

  const bool metrics = index.count("sum_open_interest") > 0;
  if (format == MarketFormat::binance_metrics || metrics) {
    map.format = "binance-metrics";
    const bool quote = wanted_unit == OiUnit::quote;
    set(oi, {quote ? "sum_open_interest_value" : "sum_open_interest"});
    map.oi_unit = quote ? OiUnit::quote : OiUnit::base;
    map.oi_unit_reason = std::string("column ") + (quote ? "sum_open_interest_value" : "sum_open_interest");
    set(long_share, {"count_long_short_ratio"});
    map.ratio_to_share = map.has(long_share);
    return map;
  }
  map.format = index.count("close_time") ? "binance-klines" : "generic";
  if (map.format == "binance-klines" || format == MarketFormat::binance_klines)
    return binance_kline_columns(path, true, header);

  set(open, {"open"});
  set(high, {"high"});
  set(low, {"low"});
  set(close, {"close"});
  set(volume, {"volume"});
  set(long_share, {"long_share"});
  set(oi, {"oi", "open_interest", "oi_usd", "open_interest_usd", "oi_value", "open_interest_value", "oi_quote"});
  if (for_oi && !map.has(oi) && map.has(close)) {
    // An OHLC series of open interest (CoinGlass exports): the close is the bar-end value.
    map.field[oi] = map.field[close];
    map.header_name[oi] = "close";
    map.oi_bars = true;
    for (Field f : {open, high, low, close, volume}) map.field[f] = -1;
  }
  if (map.has(oi)) {
    // A name can state the unit; the data must then agree (read_market checks). File names
    // state nothing: CoinGlass's USD is told from the data.
    const std::string& name = map.header_name[oi];
    if (contains(name, "usd") || contains(name, "value") || contains(name, "quote")) {
      map.oi_unit = OiUnit::quote;
      map.oi_unit_reason = "column name '" + name + "'";
    }
  }
  return map;
}

}  // namespace liqmap::io::detail
