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

constexpr std::initializer_list<const char*> kTimeNames = {"ts", "timestamp", "open_time", "time", "create_time"};
// Names spreadsheets and exports use, read when the names above are absent: Binance's website
// export (Open Time,Open,High,...), pandas' (date,o,h,l,c,v). Two of them for one field are refused.
constexpr std::initializer_list<const char*> kTimeAliases = {"date", "datetime", "open time", "opentime", "t"};

// The column of the one alias of a field the header holds; -1 for none; two are ambiguous.
std::pair<long, std::string> find_alias(const std::string& path, const std::vector<std::string>& header, const char* field,
                                        std::initializer_list<const char*> aliases) {
  std::pair<long, std::string> found{-1, ""};
  for (const char* alias : aliases)
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] != alias) continue;
      if (found.first >= 0)
        throw Error(ErrorCode::input, path + ":1: columns " + std::to_string(found.first + 1) + " ('" + found.second +
                                          "') and " + std::to_string(i + 1) + " ('" + alias + "') could both be the " +
                                          field + ": which one is meant is ambiguous; rename one to '" + field + "'");
      found = {static_cast<long>(i), alias};
    }
  return found;
}

// A name the map reads that the header gives twice (two `volume` columns) leaves the column unsaid.
void refuse_repeated_names(const std::string& path, const std::vector<std::string>& header, const ColumnMap& map) {
  std::vector<std::string> read;
  if (map.ts >= 0) read.push_back(header[static_cast<std::size_t>(map.ts)]);
  for (const auto& [column, name] : map.ts_alternates) read.push_back(name);
  for (std::size_t f = 0; f < field_count; ++f)
    if (map.field[f] >= 0) read.push_back(header[static_cast<std::size_t>(map.field[f])]);
  for (const std::string& name : read) {
    std::string columns;
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) columns += (columns.empty() ? "" : " and ") + std::to_string(i + 1);
    if (columns.find(" and ") != std::string::npos)
      throw Error(ErrorCode::input, path + ":1: the header names '" + name + "' more than once (columns " + columns +
                                        "): which one to read is ambiguous; rename or remove the others");
  }
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
  std::tie(map.ts, map.ts_name) = find(kTimeNames);
  if (map.ts < 0) std::tie(map.ts, map.ts_name) = find_alias(path, header, "time", kTimeAliases);
  // Several time columns must agree row by row (read_table checks): which one is meant is not said.
  for (const char* name : kTimeNames)
    if (auto it = index.find(name); it != index.end() && it->second != map.ts) map.ts_alternates.emplace_back(it->second, name);

  const bool metrics = index.count("sum_open_interest") > 0;
  if (format == MarketFormat::binance_metrics || metrics) {
    map.format = "binance-metrics";
    const bool quote = wanted_unit == OiUnit::quote;
    set(oi, {quote ? "sum_open_interest_value" : "sum_open_interest"});
    map.oi_unit = quote ? OiUnit::quote : OiUnit::base;
    map.oi_unit_reason = std::string("column ") + (quote ? "sum_open_interest_value" : "sum_open_interest");
    set(long_share, {"count_long_short_ratio"});
    map.ratio_to_share = map.has(long_share);
    refuse_repeated_names(path, header, map);
    return map;
  }
  // Binance's kline header (close_time, quote_volume or base_volume) is read by its names like
  // any other: its positions are Binance's only when the file really is Binance's.
  const bool klines = index.count("close_time") > 0 || format == MarketFormat::binance_klines;
  map.format = klines ? "binance-klines" : "generic";
  set(open, {"open"});
  set(high, {"high"});
  set(low, {"low"});
  set(close, {"close"});
  set(volume, {"volume"});
  if (!klines) {
    const auto alias = [&](Field f, std::initializer_list<const char*> names) {
      if (!map.has(f)) std::tie(map.field[f], map.header_name[f]) = find_alias(path, header, field_names[f], names);
    };
    alias(open, {"o"});
    alias(high, {"h"});
    alias(low, {"l"});
    alias(close, {"c"});
    alias(volume, {"v", "vol"});
  }
  if (klines) {
    // COIN-M volume counts contracts; its base_volume column holds the coins the model wants.
    const bool coin_margined_name = contains(file_name(path), "usd_");
    if (index.count("base_volume") || index.count("base_asset_volume")) {
      set(volume, {"base_volume", "base_asset_volume"});
      map.format += " (COIN-M: volume from base_volume, in coins)";
    } else if (coin_margined_name && map.has(volume)) {
      throw Error(ErrorCode::input, path + ":1: the name says a COIN-M file (volume in contracts) but the header has no "
                                           "base_volume column (the volume in coins)");
    } else {
      map.format += " (USDⓈ-M)";
    }
  }
  set(long_share, {"long_share"});
  set(oi, {"oi", "open_interest", "oi_usd", "open_interest_usd", "oi_value", "open_interest_value", "oi_quote"});
  if (for_oi && !map.has(oi) && map.has(close) && map.has(volume))
    throw Error(ErrorCode::input, path + ":1: open,high,low,close with a '" + map.header_name[volume] +
                                      "' column is a candle file, not open interest (an OHLC series of open interest has "
                                      "no volume): pass it with --market");
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
  refuse_repeated_names(path, header, map);
  return map;
}

}  // namespace liqmap::io::detail
