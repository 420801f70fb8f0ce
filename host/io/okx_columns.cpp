// OKX's v5 REST market data written as CSV (docs/schedules.md, "Venue formats"):
//   GET /api/v5/market/history-candles  rows [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm],
//       newest first; vol counts contracts, volCcy coins, volCcyQuote the quote; confirm 0 marks
//       a candle still open (left out)
//   GET /api/v5/rubik/stat/contracts/open-interest-history  rows [ts, oi, oiCcy, oiUsd]; oi counts
//       contracts, oiCcy coins, oiUsd USD
// With those names as the header (OKX's download CSVs write "name/中文", read as "name"), or the
// rows as they come (9 or 4 fields, no header).
#include "csv_table.hpp"
#include "market_rows.hpp"

namespace liqmap::io::detail {
namespace {

constexpr const char* kCandleNames[] = {"ts", "o", "h", "l", "c", "vol", "volCcy", "volCcyQuote", "confirm"};
constexpr const char* kOiNames[] = {"ts", "oi", "oiCcy", "oiUsd"};

long lowered_index_of(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == lower(name)) return static_cast<long>(i);
  return -1;
}

std::string column_name(bool has_header, int k, const char* const* names) {
  return has_header ? names[k] : "field " + std::to_string(k + 1) + " (" + names[k] + ")";
}

ColumnMap candle_map(bool has_header, const std::vector<std::string>& header) {
  ColumnMap map;
  map.format = "okx-candles (volume from volCcy, in coins)";
  map.has_header = has_header;
  map.width = has_header ? header.size() : 9;
  const auto column = [&](int k) { return has_header ? lowered_index_of(header, kCandleNames[k]) : static_cast<long>(k); };
  map.ts = column(0);
  const int source[] = {1, 2, 3, 4, 6};  // o h l c volCcy
  for (Field f : {open, high, low, close, volume}) {
    map.field[f] = column(source[f]);
    map.header_name[f] = column_name(has_header, source[f], kCandleNames);
  }
  map.confirm = column(8);
  return map;
}

ColumnMap oi_map(bool has_header, const std::vector<std::string>& header, const std::optional<OiUnit>& wanted_unit) {
  ColumnMap map;
  map.format = "okx-open-interest";
  map.has_header = has_header;
  map.width = has_header ? header.size() : 4;
  const auto column = [&](int k) { return has_header ? lowered_index_of(header, kOiNames[k]) : static_cast<long>(k); };
  map.ts = column(0);
  // Contracts (oi) differ per instrument; coins or USD as asked (coins by default), the other
  // when a header has only that one.
  int k = wanted_unit == OiUnit::quote ? 3 : 2;
  if (column(k) < 0) k = 5 - k;
  map.field[oi] = column(k);
  map.header_name[oi] = column_name(has_header, k, kOiNames);
  map.oi_unit = k == 3 ? OiUnit::quote : OiUnit::base;
  map.oi_unit_reason = std::string("OKX column ") + kOiNames[k];
  return map;
}

bool is_flag(std::string_view field) { return field == "0" || field == "1"; }

}  // namespace

std::optional<ColumnMap> okx_columns_from_header(const std::vector<std::string>& header,
                                                 const std::optional<OiUnit>& wanted_unit) {
  if (lowered_index_of(header, "volCcy") >= 0 && lowered_index_of(header, "o") >= 0) return candle_map(true, header);
  if (lowered_index_of(header, "oiCcy") >= 0 || lowered_index_of(header, "oiUsd") >= 0) return oi_map(true, header, wanted_unit);
  return std::nullopt;
}

std::optional<ColumnMap> okx_headerless_columns(const std::vector<std::string_view>& fields, bool for_oi,
                                                const std::optional<OiUnit>& wanted_unit) {
  if (!for_oi && fields.size() == 9 && is_flag(fields[8])) return candle_map(false, {});
  if (for_oi && fields.size() == 4) return oi_map(false, {}, wanted_unit);
  return std::nullopt;
}

}  // namespace liqmap::io::detail
