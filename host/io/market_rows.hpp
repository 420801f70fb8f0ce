// The row model shared by the readers: the fields of MODEL.md section 1, one parsed row, which
// column of a file holds each field, and how a row that breaks a rule is handled.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "csv_table.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::io::detail {

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
  std::string ts_name;  // as the header names it ("" without a header)
  std::vector<std::pair<long, std::string>> ts_alternates;  // further time columns: must agree with ts
  std::array<long, field_count> field;
  std::array<std::string, field_count> header_name;  // as the file names it, for messages
  bool ratio_to_share = false;  // long_share column holds a long/short ratio r: share = r / (1 + r)
  bool oi_bars = false;         // the open interest is an OHLC bar; its close is known at the bar's end
  std::optional<OiUnit> oi_unit;
  std::string oi_unit_reason;
  long confirm = -1;  // OKX's confirm flag: a row with 0 is a candle still open, left out

  ColumnMap() { field.fill(-1); }
  bool has(Field f) const { return field[f] >= 0; }
};

struct Table {
  std::string path;
  ColumnMap columns;
  std::vector<Row> rows;  // in file order; merge() sorts them
  std::set<TimeScale> time_scales;  // how the file writes its times (Binance went from ms to µs in 2025)
  std::size_t out_of_order = 0;         // rows earlier than the row above them
  std::size_t unconfirmed = 0;          // candles still open (OKX confirm = 0), left out
  std::size_t first_out_of_order_line = 0;
};

// Rows broken by a rule: thrown, or (with --drop-bad-rows) counted per rule for one notice.
class RuleBreaks {
 public:
  // rows: `line` counts rows of arrays ("name: row 5: ..."), not lines of a file ("path:5: ...").
  explicit RuleBreaks(bool drop, bool rows = false) : drop_(drop), rows_(rows) {}

  void report(const std::string& path, std::size_t line, std::string_view column, std::string_view value,
              const std::string& rule) {
    std::ostringstream where;
    where << path << (rows_ ? ": row " : ":") << line << ": column '" << column << "' value '" << shown(value) << "': " << rule;
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
  bool rows_;
  std::map<std::string, std::pair<std::size_t, std::string>> dropped_;
};

// The column map of a Binance kline file (with its header row, or the archive's fixed layout).
ColumnMap binance_kline_columns(const std::string& path, bool has_header, const std::vector<std::string>& header);

// The column map a header row (lower-cased names) describes: generic, Binance klines or metrics,
// or (for_oi) an open-interest file, with the open-interest unit where the names say it.
ColumnMap columns_from_header(const std::string& path, const std::vector<std::string>& header, bool for_oi,
                              MarketFormat format, const std::optional<OiUnit>& wanted_unit);

// The venue layouts beside Binance's (bybit_columns.cpp, okx_columns.cpp): the map a header
// describes, nullopt when the header is not the venue's; and the headerless rows as the venue's
// REST API returns them (Bybit klines: 7 fields; OKX candles: 9 fields ending in the 0/1 confirm
// flag, OKX open interest: 4 fields).
std::optional<ColumnMap> bybit_columns_from_header(const std::string& path, const std::vector<std::string>& header);
bool bybit_kline_row(const std::vector<std::string_view>& fields);
ColumnMap bybit_headerless_columns(const std::string& path);
std::optional<ColumnMap> okx_columns_from_header(const std::vector<std::string>& header,
                                                 const std::optional<OiUnit>& wanted_unit);
std::optional<ColumnMap> okx_headerless_columns(const std::vector<std::string_view>& fields, bool for_oi,
                                                const std::optional<OiUnit>& wanted_unit);

// Reads one file into rows; rows that break a rule of their own are thrown or dropped here,
// order and duplicates are settled when the files are merged.
Table read_table(const std::string& path, std::size_t file_index, bool for_oi, const ReadOptions& options,
                 RuleBreaks& breaks);

// The rule a parsed value of field `f` breaks (nullptr: none); ratio_to_share: a long_share
// column holding a long/short ratio. candle_in_shape: high >= low, low <= min(open, close),
// high >= max(open, close), else reported.
const char* value_rule(Field f, double v, bool ratio_to_share = false);
bool candle_in_shape(const Row& row, const std::string& path, std::size_t line, RuleBreaks& breaks);

// Rows in time order (stable), exact duplicates dropped (noticed), a duplicate time with other
// values reported. paths[row.file] names a row's file in messages.
std::vector<Row> sort_and_deduplicate(std::vector<Row> rows, const std::vector<std::string>& paths, const ColumnMap& map,
                                      RuleBreaks& breaks, std::vector<std::string>& notices);

// The open-interest unit of `rows`: as options.oi_unit or columns.oi_unit state it when the data
// agrees (a statement it contradicts is an error), else as the data shows; noticed either way.
void decide_oi_unit(const std::vector<Row>& rows, const ColumnMap& columns, const ReadOptions& options,
                    const std::string& origin, MarketData& data);

// Gives each candle the latest open interest known by the candle's close: an OHLC bar of open
// interest is known at its end, a snapshot at its time. Candles before the first known value are
// left out; a value older than one open-interest step is a gap, counted and reported.
std::vector<Row> join_as_of(const std::vector<Row>& candles, const std::vector<Row>& oi_rows, const ColumnMap& oi_map,
                            std::optional<double> warmup_days, std::size_t& warmup_rows,
                            const std::string& oi_name, std::vector<std::string>& notices);

// What the data says about the open-interest unit: the unit when only one reading is
// plausible, and why each reading fails (empty when it does not).
struct OiUnitReading {
  std::optional<OiUnit> unit;
  std::string base_fails, quote_fails;
};
OiUnitReading read_oi_unit(const std::vector<Row>& rows, bool has_volume);

// The rule a time cell breaks, naming the near-misses (a spreadsheet serial date, an epoch
// with a fraction, a day past the month's end, a leap second).
std::string time_rule(std::string_view text);

// Missing bars (exchange outages) and empty ones are valid data, but worth knowing about.
void note_gaps_and_empty_bars(const std::vector<Row>& rows, bool has_volume, std::vector<std::string>& notices);

}  // namespace liqmap::io::detail
