// The readers: map each file's columns onto the fields of MODEL.md section 1, check every row
// against its rules, merge files, and join open interest to candles as-of.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <sstream>

#include "csv_table.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::io {
namespace {

using detail::CsvLine;
using detail::lower;

enum Field : std::size_t { open, high, low, close, volume, oi, long_share, field_count };
constexpr std::array<const char*, field_count> field_names = {"open", "high", "low", "close", "volume", "oi", "long_share"};

struct Row {
  std::int64_t ts = 0;
  std::array<double, field_count> value{};
  std::size_t file = 0;  // index into the list of paths
  std::size_t line = 0;
};

// Which column of a file holds each field; -1 when it has none.
struct ColumnMap {
  std::string format;  // said in notices
  bool has_header = true;
  std::size_t width = 0;  // fields per row
  long ts = -1;
  std::array<long, field_count> field;
  std::array<std::string, field_count> header_name;  // as the file names it, for messages
  bool ratio_to_share = false;  // long_share column holds a long/short ratio r: share = r / (1 + r)
  bool oi_bars = false;         // the open interest is an OHLC bar; its close is known at the bar's end
  std::optional<OiUnit> oi_unit;
  std::string oi_unit_reason;

  ColumnMap() { field.fill(-1); }
  bool has(Field f) const { return field[f] >= 0; }
};

struct Table {
  std::string path;
  ColumnMap columns;
  std::vector<Row> rows;
};

// Rows broken by a rule: thrown, or (with --drop-bad-rows) counted per rule for one notice.
class RuleBreaks {
 public:
  explicit RuleBreaks(bool drop) : drop_(drop) {}

  void report(const std::string& path, std::size_t line, std::string_view column, std::string_view value,
              const std::string& rule) {
    std::ostringstream where;
    where << path << ":" << line << ": column '" << column << "' value '" << value << "': " << rule;
    if (!drop_) throw Error(ErrorCode::input, where.str());
    auto& count = dropped_[rule];
    if (count.first++ == 0) count.second = where.str();
  }

  void add_notices(std::vector<std::string>& notices) const {
    for (const auto& [rule, count] : dropped_)
      notices.push_back("dropped " + std::to_string(count.first) + " row(s) that break the rule '" + rule +
                        "' (first: " + count.second + ")");
  }

 private:
  bool drop_;
  std::map<std::string, std::pair<std::size_t, std::string>> dropped_;
};

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

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

std::string file_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return lower(slash == std::string::npos ? path : path.substr(slash + 1));
}

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
    const std::string& name = map.header_name[oi];
    const std::string file = file_name(path);
    if (contains(name, "usd") || contains(name, "value") || contains(name, "quote")) {
      map.oi_unit = OiUnit::quote;
      map.oi_unit_reason = "column name '" + name + "'";
    } else if (map.oi_bars && (contains(file, "coinglass") || contains(file, "usd"))) {
      map.oi_unit = OiUnit::quote;  // CoinGlass aggregates open interest across venues in USD
      map.oi_unit_reason = "file name (CoinGlass open interest is in USD)";
    }
  }
  return map;
}

// Reads one file into rows; rows that break a rule of their own are thrown or dropped here,
// order and duplicates are settled when the files are merged.
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

bool same_values(const Row& a, const Row& b, const ColumnMap& map) {
  for (std::size_t f = 0; f < field_count; ++f)
    if (map.field[f] >= 0 && a.value[f] != b.value[f]) return false;
  return true;
}

// All rows of `tables` in time order, exact duplicates dropped, conflicting ones reported.
std::vector<Row> merge(const std::vector<Table>& tables, const std::vector<std::string>& paths, RuleBreaks& breaks,
                       std::vector<std::string>& notices) {
  std::vector<Row> rows;
  for (const Table& table : tables) rows.insert(rows.end(), table.rows.begin(), table.rows.end());
  if (tables.size() > 1)
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.ts < b.ts; });
  std::vector<Row> kept;
  kept.reserve(rows.size());
  std::size_t duplicates = 0;
  for (const Row& row : rows) {
    if (kept.empty() || kept.back().ts != row.ts) {
      kept.push_back(row);
      continue;
    }
    const Row& first = kept.back();
    if (same_values(first, row, tables.front().columns)) {
      ++duplicates;
      continue;
    }
    breaks.report(paths[row.file], row.line, "ts", format_timestamp(row.ts),
                  "conflicting duplicate: " + paths[first.file] + ":" + std::to_string(first.line) +
                      " has the same timestamp with other values");
  }
  if (duplicates > 0)
    notices.push_back("dropped " + std::to_string(duplicates) + " exact duplicate row(s)");
  return kept;
}

std::vector<Table> read_tables(const std::vector<std::string>& paths, std::size_t first_index, bool for_oi,
                               const ReadOptions& options, RuleBreaks& breaks) {
  std::vector<Table> tables;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    tables.push_back(read_table(paths[i], first_index + i, for_oi, options, breaks));
    const ColumnMap& first = tables.front().columns;
    const ColumnMap& now = tables.back().columns;
    for (std::size_t f = 0; f < field_count; ++f)
      if ((first.field[f] >= 0) != (now.field[f] >= 0))
        throw Error(ErrorCode::input, paths[i] + ": " + (now.field[f] >= 0 ? "has" : "lacks") + " the '" +
                                          field_names[f] + "' column that " + paths.front() +
                                          (now.field[f] >= 0 ? " lacks" : " has") + "; merged files need the same columns");
  }
  return tables;
}

std::int64_t smallest_step(const std::vector<Row>& rows) {
  std::int64_t step = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::int64_t gap = rows[i].ts - rows[i - 1].ts;
    if (step == 0 || gap < step) step = gap;
  }
  return step;
}

std::string hours(std::int64_t ms) {
  std::ostringstream text;
  text << static_cast<double>(ms) / 3.6e6 << " h";
  return text.str();
}

// Gives each candle the latest open interest known by the candle's close: an OHLC bar of open
// interest is known at its end, a snapshot at its time. Candles before the first known value are
// left out; a value older than one open-interest step is a gap, counted and reported.
std::vector<Row> join_as_of(const std::vector<Row>& candles, const std::vector<Row>& oi_rows, const ColumnMap& oi_map,
                            const std::string& oi_name, std::vector<std::string>& notices) {
  const std::int64_t candle_step = smallest_step(candles);
  const std::int64_t oi_step = smallest_step(oi_rows);
  const std::int64_t known_after = oi_map.oi_bars ? oi_step : 0;
  std::vector<Row> joined;
  joined.reserve(candles.size());
  std::size_t before_first = 0, stale = 0, next_oi = 0;
  std::int64_t longest_gap = 0, longest_gap_at = 0;
  for (const Row& candle : candles) {
    const std::int64_t candle_end = candle.ts + candle_step;
    while (next_oi < oi_rows.size() && oi_rows[next_oi].ts + known_after <= candle_end) ++next_oi;
    if (next_oi == 0) {
      ++before_first;
      continue;
    }
    const Row& known = oi_rows[next_oi - 1];
    Row row = candle;
    row.value[oi] = known.value[oi];
    if (oi_map.has(long_share)) row.value[long_share] = known.value[long_share];
    const std::int64_t age = candle_end - (known.ts + known_after);
    if (oi_step > 0 && age >= oi_step) {
      ++stale;
      if (age > longest_gap) longest_gap = age, longest_gap_at = candle.ts;
    }
    joined.push_back(row);
  }
  if (joined.empty())
    throw Error(ErrorCode::input, oi_name + ": no open-interest value is known before the last candle ends (" +
                                      format_timestamp(candles.back().ts + candle_step) + "): the files do not overlap");
  notices.push_back("joined open interest (" + oi_map.format + (oi_map.oi_bars ? ", bar close at bar end" : ", snapshots") +
                    ") to " + std::to_string(joined.size()) + " candles as-of: the latest value known at each candle's close");
  if (before_first > 0)
    notices.push_back("left out " + std::to_string(before_first) + " candle(s) before the first open-interest value; the map starts at " +
                      format_timestamp(joined.front().ts));
  if (stale > 0)
    notices.push_back("open interest carried forward over gaps for " + std::to_string(stale) + " candle(s) (longest: " +
                      hours(longest_gap) + " old at the candle of " + format_timestamp(longest_gap_at) + ")");
  return joined;
}

// Missing bars (exchange outages) and empty ones are valid data, but worth knowing about.
void note_gaps_and_empty_bars(const std::vector<Row>& rows, bool has_volume, std::vector<std::string>& notices) {
  const std::int64_t step = smallest_step(rows);
  std::size_t gaps = 0, empty_bars = 0;
  std::int64_t longest = 0, longest_end = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::int64_t gap = rows[i].ts - rows[i - 1].ts;
    if (gap <= step) continue;
    ++gaps;
    if (gap > longest) longest = gap, longest_end = rows[i].ts;
  }
  if (has_volume)
    empty_bars = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const Row& r) { return r.value[volume] == 0; }));
  if (gaps > 0)
    notices.push_back("the candles skip bars at " + std::to_string(gaps) + " place(s) (longest: " + hours(longest) +
                      " before " + format_timestamp(longest_end) + "); the engine takes the spacing as it is");
  if (empty_bars > 0) notices.push_back(std::to_string(empty_bars) + " candle(s) with zero volume");
}

std::string origin_name(const std::vector<std::string>& paths) {
  return paths.size() == 1 ? paths.front() : paths.front() + " (+" + std::to_string(paths.size() - 1) + " more files)";
}

}  // namespace

MarketFormat parse_market_format(const std::string& name) {
  if (name == "auto") return MarketFormat::automatic;
  if (name == "generic") return MarketFormat::generic;
  if (name == "binance-klines") return MarketFormat::binance_klines;
  if (name == "binance-metrics") return MarketFormat::binance_metrics;
  throw Error(ErrorCode::invalid_argument, "unknown market format '" + name +
                                               "' (allowed: auto, generic, binance-klines, binance-metrics)");
}

const char* to_string(MarketFormat format) {
  switch (format) {
    case MarketFormat::automatic: return "auto";
    case MarketFormat::generic: return "generic";
    case MarketFormat::binance_klines: return "binance-klines";
    case MarketFormat::binance_metrics: return "binance-metrics";
  }
  return "?";
}

MarketData read_market(const std::vector<std::string>& market_paths, const std::vector<std::string>& oi_paths,
                       const ReadOptions& options) {
  if (market_paths.empty()) throw Error(ErrorCode::invalid_argument, "no market file given");
  MarketData data;
  RuleBreaks breaks(options.drop_bad_rows);
  std::vector<std::string> paths = market_paths;
  paths.insert(paths.end(), oi_paths.begin(), oi_paths.end());

  const std::vector<Table> candle_tables = read_tables(market_paths, 0, false, options, breaks);
  ColumnMap columns = candle_tables.front().columns;
  std::vector<Row> rows = merge(candle_tables, paths, breaks, data.notices);
  if (rows.empty()) throw Error(ErrorCode::input, origin_name(market_paths) + ": no row is left to compute on");
  note_gaps_and_empty_bars(rows, columns.has(volume), data.notices);
  if (market_paths.size() > 1)
    data.notices.push_back("merged " + std::to_string(market_paths.size()) + " candle files (" + columns.format + "): " +
                           std::to_string(rows.size()) + " rows from " + format_timestamp(rows.front().ts) + " to " +
                           format_timestamp(rows.back().ts));

  if (!oi_paths.empty()) {
    ReadOptions oi_options = options;
    oi_options.format = MarketFormat::automatic;
    const std::vector<Table> oi_tables = read_tables(oi_paths, market_paths.size(), true, oi_options, breaks);
    const ColumnMap& oi_map = oi_tables.front().columns;
    const std::vector<Row> oi_rows = merge(oi_tables, paths, breaks, data.notices);
    if (oi_rows.empty()) throw Error(ErrorCode::input, origin_name(oi_paths) + ": no open-interest row is left");
    if (columns.has(oi)) data.notices.push_back("the candles' own 'oi' column is replaced by " + origin_name(oi_paths));
    rows = join_as_of(rows, oi_rows, oi_map, origin_name(oi_paths), data.notices);
    columns.field[oi] = oi_map.field[oi];
    if (oi_map.has(long_share)) columns.field[long_share] = oi_map.field[long_share];
    columns.ratio_to_share = oi_map.ratio_to_share;
    columns.oi_unit = oi_map.oi_unit;
    columns.oi_unit_reason = oi_map.oi_unit_reason;
  }
  breaks.add_notices(data.notices);

  if (columns.has(oi)) {
    if (options.oi_unit) {
      data.oi_unit = options.oi_unit;
    } else if (columns.oi_unit) {
      data.oi_unit = columns.oi_unit;
      data.notices.push_back(std::string("open interest in ") + (*columns.oi_unit == OiUnit::quote ? "USD (quote)" : "coins (base)") +
                             ", as the " + columns.oi_unit_reason + " says; --oi-unit overrides");
    }
    if (columns.ratio_to_share)
      data.notices.push_back("long_share from Binance's count_long_short_ratio r (accounts): r / (1 + r)");
  }

  Market& m = data.market;
  const std::size_t n = rows.size();
  m.ts.reserve(n);
  std::array<std::vector<double>*, field_count> target = {&m.open, &m.high, &m.low, &m.close, &m.volume, &m.oi, &m.long_share};
  for (std::size_t f = 0; f < field_count; ++f)
    if (columns.has(static_cast<Field>(f))) target[f]->reserve(n);
  data.origin.file = origin_name(market_paths);
  data.origin.line.reserve(n);
  for (const Row& row : rows) {
    m.ts.push_back(row.ts);
    for (std::size_t f = 0; f < field_count; ++f)
      if (columns.has(static_cast<Field>(f))) target[f]->push_back(row.value[f]);
    data.origin.line.push_back(row.line);
  }
  return data;
}

void write_market_csv(std::ostream& out, const Market& market) {
  out << "ts,open,high,low,close" << (market.has_volume() ? ",volume" : "") << (market.has_oi() ? ",oi" : "")
      << (market.has_long_share() ? ",long_share" : "") << '\n';
  out.precision(17);
  for (std::size_t t = 0; t < market.size(); ++t) {
    out << market.ts[t] << ',' << market.open[t] << ',' << market.high[t] << ',' << market.low[t] << ',' << market.close[t];
    if (market.has_volume()) out << ',' << market.volume[t];
    if (market.has_oi()) out << ',' << market.oi[t];
    if (market.has_long_share()) out << ',' << market.long_share[t];
    out << '\n';
  }
}

}  // namespace liqmap::io
