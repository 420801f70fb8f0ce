// One file in: split, map columns, parse numbers and times with std::from_chars, check each
// row's own rules (MODEL.md section 1) and note rows out of time order (merge() sorts them).
#include <algorithm>
#include <charconv>
#include <cmath>

#include "csv_table.hpp"
#include "market_rows.hpp"
#include "text/human_format.hpp"

namespace liqmap::io::detail {
namespace {

std::string number_text(double v) { return text::shortest(v); }

bool parse_number(std::string_view text, double& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && parsed.ec == std::errc() && parsed.ptr == text.data() + text.size();
}

bool looks_numeric(std::string_view field) {
  double ignored = 0;
  return parse_number(field, ignored);
}

// The column map of a file from its first line: a header, or Binance's headerless kline layout.
ColumnMap map_columns(const std::string& path, const std::vector<std::string_view>& first_fields,
                      const std::string& first_line, bool for_oi, const ReadOptions& options) {
  ColumnMap map;
  if (looks_numeric(first_fields.front())) {
    // Without a header the columns are known only for the venues' own layouts, and only when
    // the row matches one exactly: Binance's archive (12 fields, the close time in field 7 after
    // the open time); Bybit's v5 klines (7 fields) and OKX's v5 candles (9 fields ending in the
    // 0/1 confirm flag) and open interest (4 fields) only in a file the name gives to that venue,
    // since a generic ts,open,high,low,close,volume,oi row has 7 fields too.
    constexpr std::size_t kKlineFields = 12;
    const auto open_time = parse_timestamp(first_fields.front());
    const auto close_time = first_fields.size() == kKlineFields ? parse_timestamp(first_fields[6]) : std::nullopt;
    const bool kline_layout = !for_oi && options.format != MarketFormat::generic && open_time && close_time &&
                              close_time->scale == open_time->scale && close_time->ms > open_time->ms;
    const std::string name = lower(path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1));
    const bool venues = options.format == MarketFormat::automatic && open_time;
    const bool okx_name = name.find("okx") != std::string::npos || name.find("-swap") != std::string::npos;
    const std::optional<ColumnMap> okx =
        venues && okx_name ? okx_headerless_columns(first_fields, for_oi, options.oi_unit) : std::nullopt;
    if (kline_layout) map = binance_kline_columns(path, false, {});
    else if (okx) map = *okx;
    else if (venues && !for_oi && name.find("bybit") != std::string::npos && bybit_kline_row(first_fields))
      map = bybit_headerless_columns(path);
    else
      throw Error(ErrorCode::input, path + ":1: the file has no header row (first field '" + shown(first_fields.front()) +
                                        "', " + std::to_string(first_fields.size()) +
                                        " fields) and is none of the headerless layouts read: Binance's 12-column "
                                        "kline layout, Bybit's 7-column klines in a file named *bybit*, OKX's 9-column "
                                        "candles or 4-column open interest in a file named *okx* or *-SWAP*; a header "
                                        "such as ts,open,high,low,close names the columns");
  } else {
    std::vector<std::string> header;
    // OKX's download CSVs name a column "name/中文": the part before '/' is the name.
    for (std::string_view name : first_fields) header.push_back(lower(name.substr(0, name.find('/'))));
    map = columns_from_header(path, header, for_oi, options.format, options.oi_unit);
  }
  // Every column the map reads must exist in the file (a forced layout may not fit it).
  for (std::size_t f = 0; f < field_count; ++f)
    if (map.field[f] >= static_cast<long>(map.width))
      throw Error(ErrorCode::input, path + ":1: the " + map.format + " layout reads '" + field_names[f] + "' from column " +
                                        std::to_string(map.field[f] + 1) + " but the file has " +
                                        std::to_string(map.width) + " column(s); header: " + shown(first_line));

  if (map.ts < 0)
    throw Error(ErrorCode::input, path + ":1: the header has no time column (ts, timestamp, open_time, time, startTime); "
                                         "header: " + shown(first_line));
  if (for_oi && !map.has(oi))
    throw Error(ErrorCode::input, path + ":1: no open-interest column (oi, open_interest, oi_usd, sum_open_interest, or "
                                         "open,high,low,close of open interest); header: " + shown(first_line));
  if (!for_oi && (map.format == "binance-metrics" || map.format == "bybit-open-interest" || map.format == "okx-open-interest"))
    throw Error(ErrorCode::input, path + ": a " + map.format + " file holds open interest, not candles: pass it with --oi");
  if (!for_oi)
    for (Field f : {open, high, low, close})
      if (!map.has(f))
        throw Error(ErrorCode::input, path + ":1: the header has no '" + field_names[f] +
                                          "' column (required: ts,open,high,low,close); header: " + shown(first_line));
  return map;
}

}  // namespace

const char* value_rule(Field f, double v, bool ratio_to_share) {
  if (!std::isfinite(v)) return "must be a finite number";
  if (f <= close && !(v > 0)) return "must be > 0";
  if (f > close && v < 0) return "must be >= 0";
  if (f == long_share && !ratio_to_share && v > 1) return "must be <= 1 (a fraction of new positions)";
  return nullptr;
}

namespace {

// Parses the mapped fields of one row and checks each value's own rule; false (after reporting
// the first broken rule) when the row cannot be used.
bool read_values(const ColumnMap& map, const std::vector<std::string_view>& fields, const std::string& path,
                 std::size_t line, Row& row, RuleBreaks& breaks) {
  for (std::size_t f = 0; f < field_count; ++f) {
    if (map.field[f] < 0) continue;
    const std::string_view cell = fields[static_cast<std::size_t>(map.field[f])];
    const char* column = map.header_name[f].empty() ? field_names[f] : map.header_name[f].c_str();
    double& v = row.value[f];
    const char* broken = parse_number(cell, v) ? value_rule(static_cast<Field>(f), v, map.ratio_to_share) : "must be a number";
    if (broken) {
      breaks.report(path, line, column, cell, broken);
      return false;
    }
    if (f == long_share && map.ratio_to_share) v = v / (1 + v);
  }
  return true;
}

}  // namespace

// A candle's own shape: high >= low, low <= min(open, close), high >= max(open, close).
bool candle_in_shape(const Row& row, const std::string& path, std::size_t line, RuleBreaks& breaks) {
  const auto& p = row.value;
  if (p[high] < p[low])
    breaks.report(path, line, "high", number_text(p[high]), "must be >= low (" + number_text(p[low]) + ")");
  else if (p[low] > std::min(p[open], p[close]))
    breaks.report(path, line, "low", number_text(p[low]), "must be <= min(open, close)");
  else if (p[high] < std::max(p[open], p[close]))
    breaks.report(path, line, "high", number_text(p[high]), "must be >= max(open, close)");
  else
    return true;
  return false;
}

namespace {

// UTF-16 (what Excel's "Unicode text" and PowerShell write) has a NUL beside every ASCII byte.
void refuse_unreadable_text(const std::string& path, const std::string& text) {
  const std::string_view start = std::string_view(text).substr(0, 2);
  const bool bom = start == "\xFF\xFE" || start == "\xFE\xFF";
  if (bom || text.find('\0', 0) < std::min<std::size_t>(text.size(), 4096))
    throw Error(ErrorCode::input, path + ":1: the file is " + (bom ? "UTF-16 text (it starts with a UTF-16 byte-order mark)"
                                                                   : "not text (it holds NUL bytes: UTF-16?)") +
                                      "; save it as UTF-8 or ASCII CSV");
}

// A header of one field holding ';' or tabs is a CSV with another separator. ';' (European
// Excel's) is read when the header holds no comma and splits into named fields; a tab is refused.
char field_separator(const std::string& path, std::string_view first_line, const std::vector<std::string_view>& fields) {
  if (fields.size() != 1) return ',';
  if (first_line.find(';') != std::string_view::npos) {
    std::vector<std::string_view> split;
    split_fields(first_line, split, ';');
    if (split.size() >= 2 && !looks_numeric(split.front())) return ';';
  }
  const char* separator = first_line.find(';') != std::string_view::npos    ? "';' (semicolon)"
                          : first_line.find('\t') != std::string_view::npos ? "tab"
                                                                            : nullptr;
  if (separator)
    throw Error(ErrorCode::input, path + ":1: the fields are separated by " + separator +
                                      ", not commas; liqmap reads comma-separated files, and ';' ones with a header "
                                      "row (first line: " + shown(first_line) + ")");
  return ',';
}

}  // namespace

Table read_table(const std::string& path, std::size_t file_index, bool for_oi, const ReadOptions& options,
                 RuleBreaks& breaks) {
  Table table;
  table.path = path;
  const std::string text = read_text(path);
  refuse_unreadable_text(path, text);
  const std::vector<CsvLine> lines = csv_lines(text);
  if (lines.empty())
    throw Error(ErrorCode::input, path + ":1: the file is empty (expected a header such as ts,open,high,low,close)");

  std::vector<std::string_view> fields;
  split_fields(lines.front().text, fields);
  const char separator = field_separator(path, lines.front().text, fields);
  if (separator != ',') split_fields(lines.front().text, fields, separator);
  table.columns = map_columns(path, fields, std::string(lines.front().text), for_oi, options);
  const ColumnMap& map = table.columns;

  const auto first_row = lines.begin() + (map.has_header ? 1 : 0);
  if (first_row == lines.end())
    throw Error(ErrorCode::input, path + ":" + std::to_string(lines.front().number) + ": the file has a header but no rows");
  table.rows.reserve(static_cast<std::size_t>(lines.end() - first_row));
  for (auto line = first_row; line != lines.end(); ++line) {
    split_fields(line->text, fields, separator);
    if (fields.size() != map.width) {
      breaks.report(path, line->number, "*", line->text,
                    "has " + std::to_string(fields.size()) + " fields, expected " + std::to_string(map.width));
      continue;
    }
    Row row;
    row.file = file_index;
    row.line = line->number;
    const std::string_view ts_text = fields[static_cast<std::size_t>(map.ts)];
    const std::optional<Timestamp> ts = parse_timestamp(ts_text);
    const char* ts_column = map.ts_name.empty() ? "ts" : map.ts_name.c_str();
    if (!ts) {
      breaks.report(path, line->number, ts_column, ts_text, time_rule(ts_text));
      continue;
    }
    table.time_scales.insert(ts->scale);
    row.ts = ts->ms;
    bool times_agree = true;
    for (const auto& [column, name] : map.ts_alternates) {
      const std::string_view other = fields[static_cast<std::size_t>(column)];
      const std::optional<Timestamp> other_ts = parse_timestamp(other);
      if (!other_ts || other_ts->ms != ts->ms) {
        breaks.report(path, line->number, name, other,
                      "must be the same time as column '" + std::string(ts_column) + "' (" + format_timestamp(ts->ms) +
                          "): the file has two time columns and which one is meant is not said");
        times_agree = false;
        break;
      }
    }
    if (!times_agree) continue;
    if (map.confirm >= 0) {
      const std::string_view flag = fields[static_cast<std::size_t>(map.confirm)];
      if (flag != "0" && flag != "1") {
        breaks.report(path, line->number, "confirm", flag, "must be 0 (candle still open) or 1 (closed)");
        continue;
      }
      if (flag == "0") {
        ++table.unconfirmed;
        continue;
      }
    }
    if (!read_values(map, fields, path, line->number, row, breaks)) continue;
    if (!for_oi && !candle_in_shape(row, path, line->number, breaks)) continue;
    if (!table.rows.empty() && row.ts < table.rows.back().ts && table.out_of_order++ == 0)
      table.first_out_of_order_line = line->number;
    table.rows.push_back(row);
  }
  return table;
}

}  // namespace liqmap::io::detail
