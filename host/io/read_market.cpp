// The readers together: many files merged in time order with duplicates settled, open interest
// joined, the unit of open interest decided, and the result laid out as a Market.
#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>

#include "market_rows.hpp"

namespace liqmap::io {

using namespace detail;

namespace {

bool same_values(const Row& a, const Row& b, const ColumnMap& map) {
  for (std::size_t f = 0; f < field_count; ++f)
    if (map.field[f] >= 0 && a.value[f] != b.value[f] && !(std::isnan(a.value[f]) && std::isnan(b.value[f])))
      return false;
  return true;
}

}  // namespace

std::vector<Row> detail::sort_and_deduplicate(std::vector<Row> rows, const std::vector<std::string>& paths,
                                              const ColumnMap& map, RuleBreaks& breaks, std::vector<std::string>& notices) {
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
    if (same_values(first, row, map)) {
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

namespace {

// All rows of `tables` in time order, exact duplicates dropped, conflicting ones reported.
std::vector<Row> merge(const std::vector<Table>& tables, const std::vector<std::string>& paths, RuleBreaks& breaks,
                       std::vector<std::string>& notices) {
  std::vector<Row> rows;
  for (const Table& table : tables) {
    rows.insert(rows.end(), table.rows.begin(), table.rows.end());
    if (table.unconfirmed > 0)
      notices.push_back(table.path + ": left out " + std::to_string(table.unconfirmed) +
                        " candle(s) still open (confirm = 0)");
    if (table.out_of_order > 0)
      notices.push_back(table.path + ": " + std::to_string(table.out_of_order) +
                        " row(s) earlier than the row above them (first at line " +
                        std::to_string(table.first_out_of_order_line) + "): the rows are sorted by time");
  }
  return sort_and_deduplicate(std::move(rows), paths, tables.front().columns, breaks, notices);
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

// One notice per way of writing times, e.g. "candle times read as epoch seconds (prices.csv)".
void note_time_scales(const std::vector<Table>& tables, const char* what, std::vector<std::string>& notices) {
  std::map<std::string, std::vector<std::string>> files;  // "epoch seconds" -> its files
  for (const Table& table : tables) {
    std::string scales;
    for (TimeScale scale : table.time_scales) scales += (scales.empty() ? "" : " and ") + std::string(to_string(scale));
    if (!scales.empty()) files[scales].push_back(table.path);
  }
  for (const auto& [scales, paths] : files) {
    std::string names = paths.front();
    if (paths.size() > 1) names += " and " + std::to_string(paths.size() - 1) + " more file(s)";
    notices.push_back(std::string(what) + " times read as " + scales + " (" + names + ")");
  }
}

const char* unit_name(OiUnit unit) { return unit == OiUnit::quote ? "USD (quote)" : "coins (base)"; }
// "--oi-unit quote" (the CLI), "oi_unit='quote'" (Python, the C API).
std::string unit_option(const std::string& option, OiUnit unit) {
  const char* word = unit == OiUnit::quote ? "quote" : "base";
  return option.rfind("--", 0) == 0 ? option + " " + word : option + "='" + word + "'";
}
OiUnit other_unit(OiUnit unit) { return unit == OiUnit::quote ? OiUnit::base : OiUnit::quote; }

std::string origin_name(const std::vector<std::string>& paths) {
  return paths.size() == 1 ? paths.front() : paths.front() + " (+" + std::to_string(paths.size() - 1) + " more files)";
}

}  // namespace

// The open-interest unit: as stated (--oi-unit, or a column such as oi_usd or Binance's
// sum_open_interest) when the data agrees, else as the data shows; a statement the data
// contradicts is an error, and so is data that fits neither unit.
void detail::decide_oi_unit(const std::vector<Row>& rows, const ColumnMap& columns, const ReadOptions& options,
                    const std::string& origin, MarketData& data) {
  const OiUnitReading reading = read_oi_unit(rows, columns.has(volume));
  const auto fails = [&](OiUnit unit) -> const std::string& {
    return unit == OiUnit::base ? reading.base_fails : reading.quote_fails;
  };
  const std::optional<OiUnit> stated = options.oi_unit ? options.oi_unit : columns.oi_unit;
  // Data that fits neither reading is beyond what the plausibility bounds know: it decides nothing.
  const bool neither = !reading.base_fails.empty() && !reading.quote_fails.empty();
  if (stated && !neither) {
    const std::string by = options.oi_unit ? unit_option(options.oi_unit_option, *options.oi_unit) : "the " + columns.oi_unit_reason;
    if (!fails(*stated).empty())
      throw Error(ErrorCode::input, origin + ": " + by + " says the open interest is in " + unit_name(*stated) +
                                        ", but " + fails(*stated) + "; in " + unit_name(other_unit(*stated)) +
                                        " it is plausible (" + unit_option(options.oi_unit_option, other_unit(*stated)) + ")");
    data.oi_unit = stated;
    if (!options.oi_unit)
      data.notices.push_back(std::string("open interest in ") + unit_name(*stated) + ", as " + by +
                             " says (the data agrees); " + options.oi_unit_option + " overrides");
  } else if (reading.unit) {
    data.oi_unit = reading.unit;
    data.notices.push_back(std::string("open interest read as ") + unit_name(*reading.unit) + " from the data: " +
                           fails(*reading.unit == OiUnit::base ? OiUnit::quote : OiUnit::base) +
                           "; " + options.oi_unit_option + " overrides");
  } else {
    if (stated) data.oi_unit = stated;
    else
      data.notices.push_back("the data does not tell whether open interest is in coins or USD (" +
                             std::string(neither ? "neither reading is plausible" : "both readings are plausible") +
                             "): the config's flow.oi_unit applies (default: coins); " + options.oi_unit_option + " says which");
  }
}

namespace {

// Each open-interest file's unit, as its data shows or its column name states: merged files
// must agree, or all would be read in the first file's unit (oi_usd in one, coins in another).
void require_one_oi_unit(const std::vector<Table>& oi_tables, const std::vector<Row>& candles, bool has_volume,
                         const ReadOptions& options) {
  if (oi_tables.size() < 2) return;
  struct Seen {
    std::string path, why;
    OiUnit unit;
  };
  std::optional<Seen> first;
  for (const Table& table : oi_tables) {
    std::optional<OiUnit> unit = options.oi_unit ? options.oi_unit : table.columns.oi_unit;
    std::string why = options.oi_unit ? unit_option(options.oi_unit_option, *options.oi_unit) : "its " + table.columns.oi_unit_reason;
    std::vector<Row> rows = table.rows;
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.ts < b.ts; });
    OiUnitReading reading;
    try {
      std::size_t warmup = 0;
      std::vector<std::string> ignored;
      reading = read_oi_unit(join_as_of(candles, rows, table.columns, std::nullopt, warmup, table.path, ignored), has_volume);
    } catch (const Error& e) {
      // A file beside the candles' time tells nothing from its data; the whole join says why.
      if (e.code() != ErrorCode::input) throw;
    }
    if (reading.unit) {
      const std::string& other_fails = *reading.unit == OiUnit::base ? reading.quote_fails : reading.base_fails;
      if (unit && *unit != *reading.unit)
        throw Error(ErrorCode::input, table.path + ": " + why + " says the open interest is in " + unit_name(*unit) +
                                          ", but " + other_fails + "; in " + unit_name(*reading.unit) +
                                          " it is plausible (" + unit_option(options.oi_unit_option, *reading.unit) + ")");
      unit = reading.unit;
      why = "its data (" + other_fails + ")";
    }
    if (!unit) continue;
    if (!first) {
      first = Seen{table.path, why, *unit};
    } else if (first->unit != *unit) {
      throw Error(ErrorCode::input, table.path + ": the open interest is in " + unit_name(*unit) + " by " + why + ", but " +
                                        first->path + " holds " + unit_name(first->unit) + " by " + first->why +
                                        ": merged open-interest files need one unit; convert one, or read them apart");
    }
  }
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

  // binance-metrics names the format of the open-interest files; the others, of the candles.
  const bool metrics_forced = options.format == MarketFormat::binance_metrics;
  ReadOptions candle_options = options;
  if (metrics_forced) candle_options.format = MarketFormat::automatic;
  const std::vector<Table> candle_tables = read_tables(market_paths, 0, false, candle_options, breaks);
  ColumnMap columns = candle_tables.front().columns;
  for (const Table& table : candle_tables)
    data.coin_margined = data.coin_margined || table.columns.format.find("COIN-M") != std::string::npos ||
                         table.columns.format.find("inverse") != std::string::npos;
  // The venues' REST layouts are told apart by their names and widths: say which was read.
  for (const Table& table : candle_tables)
    if (table.columns.format.rfind("bybit", 0) == 0 || table.columns.format.rfind("okx", 0) == 0)
      data.notices.push_back(table.path + " read as " + table.columns.format);
  std::vector<Row> rows = merge(candle_tables, paths, breaks, data.notices);
  if (rows.empty()) throw Error(ErrorCode::input, origin_name(market_paths) + ": no row is left to compute on");
  note_time_scales(candle_tables, "candle", data.notices);
  note_gaps_and_empty_bars(rows, columns.has(volume), data.notices);
  if (market_paths.size() > 1)
    data.notices.push_back("merged " + std::to_string(market_paths.size()) + " candle files (" + columns.format + "): " +
                           std::to_string(rows.size()) + " rows from " + format_timestamp(rows.front().ts) + " to " +
                           format_timestamp(rows.back().ts));

  if (!oi_paths.empty()) {
    for (const std::string& oi_path : oi_paths)
      for (const std::string& market_path : market_paths) {
        std::error_code ignored;
        if (oi_path == market_path || (oi_path != "-" && std::filesystem::equivalent(oi_path, market_path, ignored)))
          throw Error(ErrorCode::input, oi_path + ": the same file is given as candles (--market) and as open interest "
                                                  "(--oi)");
      }
    ReadOptions oi_options = options;
    oi_options.format = metrics_forced ? MarketFormat::binance_metrics : MarketFormat::automatic;
    const std::vector<Table> oi_tables = read_tables(oi_paths, market_paths.size(), true, oi_options, breaks);
    const ColumnMap& oi_map = oi_tables.front().columns;
    require_one_oi_unit(oi_tables, rows, columns.has(volume), options);
    const std::vector<Row> oi_rows = merge(oi_tables, paths, breaks, data.notices);
    if (oi_rows.empty()) throw Error(ErrorCode::input, origin_name(oi_paths) + ": no open-interest row is left");
    note_time_scales(oi_tables, "open-interest", data.notices);
    if (columns.has(oi)) data.notices.push_back("the candles' own 'oi' column is replaced by " + origin_name(oi_paths));
    rows = join_as_of(rows, oi_rows, oi_map, options.warmup_days, data.market.warmup_rows, origin_name(oi_paths),
                      data.notices);
    columns.field[oi] = oi_map.field[oi];
    if (oi_map.has(long_share)) columns.field[long_share] = oi_map.field[long_share];
    columns.ratio_to_share = oi_map.ratio_to_share;
    columns.oi_unit = oi_map.oi_unit;
    columns.oi_unit_reason = oi_map.oi_unit_reason;
  }
  breaks.add_notices(data.notices);

  if (columns.has(oi)) decide_oi_unit(rows, columns, options, origin_name(oi_paths.empty() ? market_paths : oi_paths), data);
  if (columns.has(oi)) {
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
