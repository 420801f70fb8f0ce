// One file in: split, map columns, parse numbers and times with std::from_chars, check each
// row's own rules (MODEL.md section 1) and the order of its timestamps.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "csv_table.hpp"
#include "market_rows.hpp"

namespace liqmap::io::detail {
namespace {

std::string number_text(double v) {
  std::ostringstream text;
  text.precision(17);
  text << v;
  return text.str();
}

bool parse_number(std::string_view text, double& value) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  const auto parsed = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && parsed.ec == std::errc() && parsed.ptr == text.data() + text.size();
}

bool looks_numeric(std::string_view field) {
  double ignored = 0;
  return parse_number(field, ignored);
}

}  // namespace

Table read_table(const std::string& path, std::size_t file_index, bool for_oi, const ReadOptions& options,
                 RuleBreaks& breaks) {
  Table table;
  table.path = path;
  const std::string text = read_text(path);
  const std::vector<CsvLine> lines = detail::csv_lines(text);
  if (lines.empty())
    throw Error(ErrorCode::input, path + ":1: the file is empty (expected a header such as ts,open,high,low,close)");

  std::vector<std::string_view> fields;
  detail::split_fields(lines.front().text, fields);
  const bool headerless = looks_numeric(fields.front());
  if (headerless) {
    const bool kline_layout = fields.size() >= 6 && options.format != MarketFormat::generic && !for_oi;
    if (!kline_layout)
      throw Error(ErrorCode::input, path + ":1: the file has no header row (first field '" + std::string(fields.front()) +
                                        "'); a header such as ts,open,high,low,close names the columns"
                                        " (only Binance kline files may come without one)");
    table.columns = binance_kline_columns(path, false, {});
    table.columns.width = fields.size();
  } else {
    std::vector<std::string> header;
    for (std::string_view name : fields) header.push_back(lower(name));
    table.columns = columns_from_header(path, header, for_oi, options.format, options.oi_unit);
  }
  ColumnMap& map = table.columns;

  const std::string header_text(lines.front().text);
  if (map.ts < 0)
    throw Error(ErrorCode::input, path + ":" + std::to_string(lines.front().number) +
                                      ": the header has no time column (ts, timestamp, open_time or time); header: " + header_text);
  if (for_oi && !map.has(oi))
    throw Error(ErrorCode::input, path + ":1: no open-interest column (oi, open_interest, oi_usd, sum_open_interest, or "
                                         "open,high,low,close of open interest); header: " + header_text);
  if (!for_oi) {
    if (map.format == "binance-metrics")
      throw Error(ErrorCode::input, path + ": a Binance metrics file holds open interest, not candles: pass it with --oi");
    for (Field f : {open, high, low, close})
      if (!map.has(f))
        throw Error(ErrorCode::input, path + ":1: the header has no '" + field_names[f] +
                                          "' column (required: ts,open,high,low,close); header: " + header_text);
  }

  const auto first_row = lines.begin() + (headerless ? 0 : 1);
  if (first_row == lines.end())
    throw Error(ErrorCode::input, path + ":" + std::to_string(lines.front().number) + ": the file has a header but no rows");
  table.rows.reserve(static_cast<std::size_t>(lines.end() - first_row));
  for (auto line = first_row; line != lines.end(); ++line) {
    detail::split_fields(line->text, fields);
    if (fields.size() != map.width) {
      breaks.report(path, line->number, "*", line->text,
                    "has " + std::to_string(fields.size()) + " fields, expected " + std::to_string(map.width));
      continue;
    }
    Row row;
    row.file = file_index;
    row.line = line->number;
    const std::string_view ts_text = fields[static_cast<std::size_t>(map.ts)];
    const std::optional<std::int64_t> ts = parse_timestamp_ms(ts_text);
    if (!ts) {
      breaks.report(path, line->number, "ts", ts_text, "must be epoch ms, epoch µs or ISO-8601 UTC (2025-10-06T12:00:00)");
      continue;
    }
    row.ts = *ts;
    bool good = true;
    for (std::size_t f = 0; f < field_count && good; ++f) {
      if (map.field[f] < 0) continue;
      const std::string_view cell = fields[static_cast<std::size_t>(map.field[f])];
      const char* column = map.header_name[f].empty() ? field_names[f] : map.header_name[f].c_str();
      double& v = row.value[f];
      if (!parse_number(cell, v)) {
        breaks.report(path, line->number, column, cell, "must be a number");
        good = false;
      } else if (!std::isfinite(v)) {
        breaks.report(path, line->number, column, cell, "must be a finite number");
        good = false;
      } else if (f <= close && !(v > 0)) {
        breaks.report(path, line->number, column, cell, "must be > 0");
        good = false;
      } else if (f > close && v < 0) {
        breaks.report(path, line->number, column, cell, "must be >= 0");
        good = false;
      } else if (f == long_share && map.ratio_to_share) {
        v = v / (1 + v);
      } else if (f == long_share && v > 1) {
        breaks.report(path, line->number, column, cell, "must be <= 1 (a fraction of new positions)");
        good = false;
      }
    }
    if (!good) continue;
    if (!for_oi) {
      const auto& p = row.value;
      if (p[high] < p[low]) {
        breaks.report(path, line->number, "high", number_text(p[high]), "must be >= low (" + number_text(p[low]) + ")");
        continue;
      }
      if (p[low] > std::min(p[open], p[close])) {
        breaks.report(path, line->number, "low", number_text(p[low]), "must be <= min(open, close)");
        continue;
      }
      if (p[high] < std::max(p[open], p[close])) {
        breaks.report(path, line->number, "high", number_text(p[high]), "must be >= max(open, close)");
        continue;
      }
    }
    if (!table.rows.empty() && row.ts < table.rows.back().ts) {
      breaks.report(path, line->number, "ts", ts_text,
                    "timestamps must be strictly increasing (line " + std::to_string(table.rows.back().line) + " has " +
                        format_timestamp(table.rows.back().ts) + ")");
      continue;
    }
    table.rows.push_back(row);
  }
  return table;
}

}  // namespace liqmap::io::detail
