// Market data in: the generic CSV of MODEL.md section 1, Binance public-data klines and futures
// metrics, separate candle and open-interest files joined as-of, many files merged, .zip archives
// and stdin. Every rule of MODEL.md section 1 is checked here with the file, line, column, value
// and rule named, so a bad row is found before anything is computed.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/market.hpp"

namespace liqmap::io {

enum class MarketFormat {
  automatic,       // decided per file from its header (or its first row, when it has none)
  generic,         // ts,open,high,low,close[,volume][,oi][,long_share] (MODEL.md section 1)
  binance_klines,  // data.binance.vision futures klines, USDⓈ-M or COIN-M, header or not
  binance_metrics  // data.binance.vision futures metrics: open interest and account ratios
};
MarketFormat parse_market_format(const std::string& name);  // auto|generic|binance-klines|binance-metrics
const char* to_string(MarketFormat format);

struct ReadOptions {
  // generic and binance-klines force the format of the candle files, binance-metrics that of the
  // open-interest files; automatic detects each file's format.
  MarketFormat format = MarketFormat::automatic;
  bool drop_bad_rows = false;  // drop rows that break a rule (reported) instead of failing
  std::optional<OiUnit> oi_unit;  // given by the user; otherwise detected where the files say
  // Keep the candles of this many days before the first open-interest value (their oi set to
  // that value, counted in Market::warmup_rows) to seed the opening open interest; unset: drop them.
  std::optional<double> warmup_days;
  std::string oi_unit_option = "--oi-unit";  // how messages name oi_unit (Python: "oi_unit=")
};

struct MarketData {
  Market market;
  RowOrigin origin;               // file and line of every row (file = "<n files>" when merged)
  std::optional<OiUnit> oi_unit;  // the unit of market.oi when the reader knows it
  std::vector<std::string> notices;  // dropped rows, gaps, joins: one line each, for the user
  bool coin_margined = false;     // a candle file's layout is an inverse contract's (COIN-M klines)
};

// Reads and merges `market_paths` (candles, possibly with oi/long_share columns) and, when given,
// `oi_paths` (open interest, joined to the candles as-of). "-" reads stdin; a path ending in
// ".zip" is read from the archive. Throws Error(input) for data that breaks a rule, Error(io)
// for a file that cannot be read.
MarketData read_market(const std::vector<std::string>& market_paths,
                       const std::vector<std::string>& oi_paths = {}, const ReadOptions& options = {});

// A market handed in as arrays (the C API's, a Python DataFrame's) read with the rules of
// read_market: times from 1990 to 2200 (epoch values told apart by magnitude, or text read as a
// file's), each row's rules (thrown, or dropped with options.drop_bad_rows), rows sorted and
// exact duplicates dropped, fewer than 2 rows refused; a NaN open interest before the first value
// is the warm-up (options.warmup_days, as the file join keeps it), after it the last value
// carries on; gaps noted and the open-interest unit decided from the data. Notices as read_market's.
struct ArrayInput {
  std::string name = "market arrays";  // the data in messages: "<name>: row 5: column ..."
  bool ts_epoch_any = false;  // market.ts holds epoch s, ms, µs or ns (by magnitude); else ms
  std::vector<std::string_view> ts_text;  // when not empty, the times as text, one per row
  std::optional<OiUnit> named_oi_unit;    // the unit the data's names state
  std::string named_oi_unit_reason;       // what states it, e.g. "column name 'oi_usd'"
  std::optional<std::int64_t> warmup_until_ms;  // rows before it are warm-up (a frame read_market gave)
  bool appended_rows = false;  // bars appended to a market (liqmap_engine_append): one bar is enough
};
MarketData read_arrays(const Market& arrays, const ArrayInput& input, const ReadOptions& options = {});

// Expands glob patterns (sorted); a pattern with * ? or [ that matches nothing is Error(io) "no
// file matches"; a plain path is kept as given, so the error that follows names it. "-" stays "-".
std::vector<std::string> expand_paths(const std::vector<std::string>& patterns);

// The whole text of a file, of stdin for "-", or of the one CSV inside a ".zip"; gzip-compressed
// text (told from its first bytes) is inflated. Error(input) for a damaged stream or a bomb.
std::string read_text(const std::string& path);

// How a file writes its times. Epoch values are told apart by magnitude: only dates from 1990 to
// 2200 are read, and in those years seconds, ms, µs and ns never overlap.
enum class TimeScale { seconds, milliseconds, microseconds, nanoseconds, iso };
const char* to_string(TimeScale scale);  // "epoch seconds", ..., "ISO-8601 UTC"

struct Timestamp {
  std::int64_t ms;  // since the epoch
  TimeScale scale;  // as written
};

// A time from epoch s / ms / µs / ns (by magnitude) or ISO-8601 UTC ("2025-10-06T12:00:00",
// "2025-10-06 12:00:00.5Z", "2025-10-06T12:00+00:00", "2025-10-06"); nullopt for anything else,
// and for dates before 1990 or after 2200 (a timestamp there is a unit or format mistake).
std::optional<Timestamp> parse_timestamp(std::string_view text);
std::optional<std::int64_t> parse_timestamp_ms(std::string_view text);  // parse_timestamp's ms
// An epoch value in s, ms, µs or ns, told apart by magnitude as parse_timestamp does; nullopt
// outside 1990 to 2200. in_market_years: whether a time in ms lies within those years.
std::optional<Timestamp> epoch_timestamp(std::int64_t epoch);
bool in_market_years(std::int64_t ms);
std::string format_timestamp(std::int64_t ms);  // ISO-8601 UTC, e.g. 2025-10-06T12:00:00Z

// The coin a file name names ("ETHUSDT-1m-2024-01.zip", "ETH-USDT-SWAP-candles.csv",
// "btcusdt_4h.csv": ETH, ETH, BTC; "" when it names none), and the coin of a schedule's
// instrument ("BTCUSDT USDⓈ-M perpetual": BTC).
SymbolAsset symbol_of_file(const std::string& path);
std::string asset_of_file(const std::string& path);
std::string asset_of_schedule(const Schedule& schedule);

// The margin schedules of a run: the config's symbol, else the coin the file names agree on,
// picks each exchange's built-in schedule where the config named none (apply_symbol). Returns the
// notice that says which schedules were chosen and from what. Throws Error(input) when file
// names disagree with each other or the config, Error(config|input) when a coin has no schedule
// on an exchange (listing the bundled ones) or a named schedule is another coin's.
// A name that says USD picks the coin-margined (inverse) schedules only when it names a contract
// (BTCUSD_PERP, BTC-USD-SWAP) or data_coin_margined (the files' layout is COIN-M or inverse, as
// MarketData::coin_margined says); else the USD-margined ones, with a notice. Words that are
// never coins (OI, USD, USDT, 1h, ...) name none.
std::vector<std::string> choose_schedules(const std::vector<std::string>& paths, Config& config,
                                          bool data_coin_margined = false);

// choose_schedules on a copy: throws as it does, changes nothing.
void require_matching_assets(const std::vector<std::string>& paths, const Config& config);

// The generic CSV of MODEL.md section 1 (the optional columns the market has).
void write_market_csv(std::ostream& out, const Market& market);

}  // namespace liqmap::io
