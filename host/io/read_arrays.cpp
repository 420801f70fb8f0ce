// A market handed in as arrays (the C API, Python's DataFrames) through the rules a file's rows
// go through, so the same data gives the same map and the same notices whichever way it comes:
// times by magnitude or as text from 1990 to 2200, each row's rules, time order and duplicates,
// open interest missing before its first value (a left join) as the warm-up, the unit of open
// interest from the data.
#include <array>
#include <cmath>
#include <set>

#include "market_rows.hpp"
#include "text/human_format.hpp"

namespace liqmap::io {

using namespace detail;

namespace {

const std::vector<double>& column_of(const Market& m, Field f) {
  switch (f) {
    case open: return m.open;
    case high: return m.high;
    case low: return m.low;
    case close: return m.close;
    case volume: return m.volume;
    case oi: return m.oi;
    default: return m.long_share;
  }
}

// How a time in ms that lies outside 1990..2200 is shown: as a date when it is one.
std::string shown_ms(std::int64_t ms) {
  constexpr std::int64_t kDateLimit = std::int64_t(1) << 53;
  const std::string number = std::to_string(ms) + " ms";
  return ms > -kDateLimit && ms < kDateLimit ? number + " (" + format_timestamp(ms) + ")" : number;
}

// Open interest the rows lack (NaN, as a left join of candles and open interest leaves it):
// before the first value, the rows within warmup_days of it are the warm-up that seeds it (as
// the file join keeps them) and earlier ones are left out; after it, the last value carries on.
void fill_missing_oi(std::vector<Row>& rows, const ArrayInput& input, const ReadOptions& options,
                     std::size_t& warmup_rows, std::vector<std::string>& notices) {
  std::size_t first = 0;
  while (first < rows.size() && std::isnan(rows[first].value[oi])) ++first;
  if (first == rows.size())
    throw Error(ErrorCode::input, input.name + ": column 'oi' has no value (every row is NaN); leave the column out to "
                                               "map from volume");
  std::size_t carried = 0, first_carried_line = 0;
  for (std::size_t i = first + 1; i < rows.size(); ++i)
    if (std::isnan(rows[i].value[oi])) {
      if (carried++ == 0) first_carried_line = rows[i].line;
      rows[i].value[oi] = rows[i - 1].value[oi];
    }
  if (first > 0) {
    const std::int64_t from = options.warmup_days
                                  ? rows[first].ts - static_cast<std::int64_t>(*options.warmup_days * 86400000.0)
                                  : rows[first].ts;
    std::size_t kept_from = first;
    while (kept_from > 0 && rows[kept_from - 1].ts >= from) --kept_from;
    for (std::size_t i = kept_from; i < first; ++i) rows[i].value[oi] = rows[first].value[oi];
    warmup_rows = first - kept_from;
    if (warmup_rows > 0)
      notices.push_back("kept " + std::to_string(warmup_rows) + " row(s) from " + format_timestamp(rows[kept_from].ts) +
                        " without open interest (NaN) before its first value as the warm-up that seeds it");
    if (kept_from > 0)
      notices.push_back("left out " + std::to_string(kept_from) +
                        " row(s) without open interest (NaN) before its first value; the map starts at " +
                        format_timestamp(rows[kept_from].ts));
    rows.erase(rows.begin(), rows.begin() + static_cast<long>(kept_from));
  }
  if (carried > 0)
    notices.push_back("open interest carried forward over " + std::to_string(carried) +
                      " row(s) without a value (NaN; the first at row " + std::to_string(first_carried_line) + ")");
}

}  // namespace

MarketData read_arrays(const Market& in, const ArrayInput& input, const ReadOptions& options) {
  const std::size_t n = in.open.size();
  const std::size_t times = input.ts_text.empty() ? in.ts.size() : input.ts_text.size();
  if (times != n)
    throw Error(ErrorCode::input, input.name + ": " + std::to_string(times) + " times but " + std::to_string(n) +
                                      " values of 'open'; every column needs one value per row");
  ColumnMap map;
  map.format = "arrays";
  for (std::size_t f = 0; f < field_count; ++f) {
    const std::vector<double>& values = column_of(in, static_cast<Field>(f));
    if (f > close && values.empty()) continue;
    if (values.size() != n)
      throw Error(ErrorCode::input, input.name + ": column '" + field_names[f] + "' has " + std::to_string(values.size()) +
                                        " values but the times have " + std::to_string(n));
    map.field[f] = static_cast<long>(f);
  }
  map.oi_unit = input.named_oi_unit;
  map.oi_unit_reason = input.named_oi_unit_reason;

  MarketData data;
  RuleBreaks breaks(options.drop_bad_rows, true);
  std::set<TimeScale> scales;
  std::vector<Row> rows;
  rows.reserve(n);
  std::size_t out_of_order = 0, first_out_of_order = 0;
  const std::string time_rule = "must be a time from 1990 to 2200: epoch s, ms, µs or ns, or ISO-8601 UTC (2025-10-06T12:00:00)";
  for (std::size_t i = 0; i < n; ++i) {
    Row row;
    row.line = i + 1;
    std::optional<Timestamp> ts;
    if (!input.ts_text.empty()) {
      ts = parse_timestamp(input.ts_text[i]);
      if (!ts) {
        breaks.report(input.name, row.line, "ts", input.ts_text[i], time_rule);
        continue;
      }
    } else if (input.ts_epoch_any) {
      ts = epoch_timestamp(in.ts[i]);
      if (!ts) {
        breaks.report(input.name, row.line, "ts", std::to_string(in.ts[i]), time_rule);
        continue;
      }
    } else {
      if (!in_market_years(in.ts[i])) {
        breaks.report(input.name, row.line, "ts", shown_ms(in.ts[i]),
                      "must be a time from 1990 to 2200; a date near 1970 is epoch values read in the wrong unit "
                      "(pandas: pd.to_datetime(ms, unit=\"ms\"), not pd.to_datetime(ms))");
        continue;
      }
      ts = Timestamp{in.ts[i], TimeScale::milliseconds};
    }
    if (!input.ts_text.empty() || input.ts_epoch_any) scales.insert(ts->scale);
    row.ts = ts->ms;
    bool usable = true;
    for (std::size_t f = 0; f < field_count && usable; ++f) {
      if (!map.has(static_cast<Field>(f))) continue;
      const double v = column_of(in, static_cast<Field>(f))[i];
      row.value[f] = v;
      if (f == oi && std::isnan(v)) continue;  // missing: filled below, as a join leaves it
      if (const char* broken = value_rule(static_cast<Field>(f), v)) {
        breaks.report(input.name, row.line, field_names[f], text::shortest(v), broken);
        usable = false;
      }
    }
    if (!usable || !candle_in_shape(row, input.name, row.line, breaks)) continue;
    if (!rows.empty() && row.ts < rows.back().ts && out_of_order++ == 0) first_out_of_order = row.line;
    rows.push_back(row);
  }
  if (out_of_order > 0)
    data.notices.push_back(input.name + ": " + std::to_string(out_of_order) +
                           " row(s) earlier than the row above them (first at row " + std::to_string(first_out_of_order) +
                           "): the rows are sorted by time");
  rows = sort_and_deduplicate(std::move(rows), {input.name}, map, breaks, data.notices);
  breaks.add_notices(data.notices);
  if (rows.empty()) throw Error(ErrorCode::input, input.name + ": no row is left to compute on");
  if (map.has(oi)) fill_missing_oi(rows, input, options, data.market.warmup_rows, data.notices);
  else data.market.warmup_rows = 0;
  if (rows.size() < 2 && !input.appended_rows)
    throw Error(ErrorCode::input, input.name + ": only 1 bar (" + format_timestamp(rows.front().ts) +
                                      ") is in the data: a map needs 2 or more bars (positions open at one and are "
                                      "liquidated at a later one)");
  // The warm-up a frame read_market gave (rows before a time) stands when no NaN says otherwise.
  if (data.market.warmup_rows == 0 && input.warmup_until_ms) {
    while (data.market.warmup_rows + 1 < rows.size() && rows[data.market.warmup_rows].ts < *input.warmup_until_ms)
      ++data.market.warmup_rows;
  } else if (data.market.warmup_rows == 0 && in.warmup_rows < rows.size()) {
    data.market.warmup_rows = in.warmup_rows;
  }

  std::string scale_names;
  for (TimeScale scale : scales) scale_names += (scale_names.empty() ? "" : " and ") + std::string(to_string(scale));
  if (!scale_names.empty()) data.notices.push_back("candle times read as " + scale_names + " (" + input.name + ")");
  note_gaps_and_empty_bars(rows, map.has(volume), data.notices);
  if (map.has(oi)) decide_oi_unit(rows, map, options, input.name, data);

  Market& m = data.market;
  std::array<std::vector<double>*, field_count> target = {&m.open, &m.high, &m.low, &m.close, &m.volume, &m.oi, &m.long_share};
  data.origin.file = input.name;
  for (const Row& row : rows) {
    m.ts.push_back(row.ts);
    for (std::size_t f = 0; f < field_count; ++f)
      if (map.has(static_cast<Field>(f))) target[f]->push_back(row.value[f]);
    data.origin.line.push_back(row.line);
  }
  return data;
}

}  // namespace liqmap::io
