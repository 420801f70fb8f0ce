// Open interest joined to candles as-of, and the gaps in both reported. Timestamps are read
// only from 1990 to 2200, so differences between them cannot overflow.
#include <algorithm>

#include "market_rows.hpp"
#include "text/human_format.hpp"

namespace liqmap::io::detail {
namespace {

std::int64_t smallest_step(const std::vector<Row>& rows) {
  std::int64_t step = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const std::int64_t gap = rows[i].ts - rows[i - 1].ts;
    if (step == 0 || gap < step) step = gap;
  }
  return step;
}

std::string duration(std::int64_t ms) { return text::duration_ms(static_cast<double>(ms)); }

}  // namespace

std::vector<Row> join_as_of(const std::vector<Row>& candles, const std::vector<Row>& oi_rows, const ColumnMap& oi_map,
                            std::optional<double> warmup_days, std::size_t& warmup_rows,
                            const std::string& oi_name, std::vector<std::string>& notices) {
  const std::int64_t candle_step = smallest_step(candles);
  const std::int64_t oi_step = smallest_step(oi_rows);
  const std::int64_t known_after = oi_map.oi_bars ? oi_step : 0;
  std::vector<Row> joined;
  joined.reserve(candles.size());
  std::size_t before_first = 0, stale = 0, fresh = 0, next_oi = 0;
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
    } else {
      ++fresh;
    }
    joined.push_back(row);
  }
  warmup_rows = 0;
  if (warmup_days && !joined.empty() && before_first > 0) {
    // The warm-up: candles of the last `warmup_days` before the first value, carrying that value.
    const std::int64_t from = joined.front().ts - static_cast<std::int64_t>(*warmup_days * 86400000.0);
    std::vector<Row> warmup;
    for (std::size_t i = 0; i < before_first; ++i) {
      if (candles[i].ts < from) continue;
      Row row = candles[i];
      row.value[oi] = joined.front().value[oi];
      if (oi_map.has(long_share)) row.value[long_share] = joined.front().value[long_share];
      warmup.push_back(row);
    }
    warmup_rows = warmup.size();
    if (warmup_rows > 0) {
      notices.push_back("kept " + std::to_string(warmup_rows) + " candle(s) from " + format_timestamp(warmup.front().ts) +
                        " before the first open-interest value as the warm-up that seeds it");
      joined.insert(joined.begin(), warmup.begin(), warmup.end());
    }
    before_first -= warmup_rows;
  }
  if (joined.empty())
    throw Error(ErrorCode::input, oi_name + ": no open-interest value is known before the last candle ends (" +
                                      format_timestamp(candles.back().ts + candle_step) + "): the files do not overlap");
  // Open interest that ends before the candles begin would be one stale value over the whole map.
  if (oi_step > 0 && fresh == 0)
    throw Error(ErrorCode::input, oi_name + ": the open interest ends at " + format_timestamp(oi_rows.back().ts) +
                                      (oi_rows.back().ts < candles.front().ts
                                           ? ", " + duration(candles.front().ts - oi_rows.back().ts) + " before the first candle (" +
                                                 format_timestamp(candles.front().ts) + ")"
                                           : std::string()) +
                                      ": no candle has a value younger than one open-interest step; the files do not "
                                      "overlap");
  notices.push_back("joined open interest (" + oi_map.format + (oi_map.oi_bars ? ", bar close at bar end" : ", snapshots") +
                    ") to " + std::to_string(joined.size()) + " candles as-of: the latest value known at each candle's close");
  if (before_first > 0)
    notices.push_back("left out " + std::to_string(before_first) + " candle(s) before the first open-interest value; the map starts at " +
                      format_timestamp(joined.front().ts));
  if (stale > 0)
    notices.push_back("open interest carried forward over gaps for " + std::to_string(stale) + " candle(s) (longest: " +
                      duration(longest_gap) + " old at the candle of " + format_timestamp(longest_gap_at) + ")");
  return joined;
}

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
    notices.push_back("the candles skip bars at " + std::to_string(gaps) + " place(s) (longest: " + duration(longest) +
                      " before " + format_timestamp(longest_end) + "); the engine takes the spacing as it is");
  if (empty_bars > 0) notices.push_back(std::to_string(empty_bars) + " candle(s) with zero volume");
}

}  // namespace liqmap::io::detail
