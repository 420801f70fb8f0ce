// Markets from files, with the CLI's own readers (io/) and defaults (app/map_market.hpp), and the
// engine's market read back column by column (for the Python package's DataFrames).
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/map_market.hpp"
#include "liqmap/io.hpp"
#include "boundary.hpp"
#include "engine_state.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

namespace {

std::vector<std::string> path_list(const char* const* paths, std::size_t count, const char* what) {
  require(count == 0 || paths != nullptr, std::string(what) + " is NULL but its count is " + std::to_string(count));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) {
    require(paths[i] != nullptr, std::string(what) + "[" + std::to_string(i) + "] is NULL");
    out.emplace_back(paths[i]);
  }
  return out;
}

std::optional<OiUnit> oi_unit_of(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  const std::string unit = text;
  if (unit == "base") return OiUnit::base;
  if (unit == "quote") return OiUnit::quote;
  throw ApiError(LIQMAP_ERROR_INVALID_ARGUMENT, "oi_unit '" + unit + "' is not \"base\" or \"quote\"");
}

void require_idle(const liqmap_engine& engine) {
  require(!engine.computing, "the engine is computing and cannot be given a new market until liqmap_engine_compute returns");
}

}  // namespace

extern "C" {

liqmap_read_options liqmap_read_options_default(void) {
  liqmap_read_options options{};
  options.size = sizeof options;
  options.warmup_days = -1;
  return options;
}

liqmap_status liqmap_engine_read_market(liqmap_engine* engine, const char* const* market_paths,
                                        size_t market_count, const char* const* oi_paths, size_t oi_count,
                                        const liqmap_read_options* options) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require_idle(e);
    const liqmap_read_options given =
        options == nullptr ? liqmap_read_options_default()
                           : read_versioned(options, liqmap_read_options_default(),
                                            LIQMAP_FIRST_VERSION_SIZE(liqmap_read_options, warmup_days), "options");
    const std::vector<std::string> candles = path_list(market_paths, market_count, "market_paths");
    require(!candles.empty(), "market_count is 0; give at least one candle file");
    io::ReadOptions read;
    read.format = io::parse_market_format(given.format == nullptr ? "auto" : given.format);
    read.drop_bad_rows = given.drop_bad_rows != 0;
    read.oi_unit = oi_unit_of(given.oi_unit);
    if (given.warmup_days >= 0) read.warmup_days = given.warmup_days;
    Config config = e.config;  // changed only when the read succeeds
    io::MarketData data = app::read_map_market(candles, path_list(oi_paths, oi_count, "oi_paths"), read, config);
    e.market = std::move(data.market);
    e.config = std::move(config);
    e.notices = std::move(data.notices);
    e.oi_unit = data.oi_unit;
    discard_result(e);
  });
}

liqmap_status liqmap_engine_apply_market_defaults(liqmap_engine* engine, const char* oi_unit) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require_idle(e);
    if (!e.market) throw ApiError(LIQMAP_ERROR_NO_MARKET, "no market: set or read one first");
    const std::optional<OiUnit> unit = oi_unit_of(oi_unit);
    e.notices = app::apply_market_defaults(e.config, *e.market, unit);
    e.oi_unit = unit;
    discard_result(e);
  });
}

liqmap_status liqmap_engine_get_notices(liqmap_engine* engine, char* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const liqmap_engine& e = checked_engine(engine);
    nlohmann::json out{{"notices", e.notices},
                       {"oi_unit", e.oi_unit ? nlohmann::json(to_string(*e.oi_unit)) : nlohmann::json()},
                       {"warmup_rows", e.market ? e.market->warmup_rows : 0},
                       {"symbol", e.config.symbol ? nlohmann::json(*e.config.symbol) : nlohmann::json()}};
    copy_string_out(out.dump(), buffer, capacity, count, "the notices");
  });
}

liqmap_status liqmap_engine_get_market_ts(liqmap_engine* engine, int64_t* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const liqmap_engine& e = checked_engine(engine);
    if (!e.market) throw ApiError(LIQMAP_ERROR_NO_MARKET, "no market: set or read one first");
    copy_out(e.market->ts.data(), e.market->ts.size(), buffer, capacity, count, "the timestamps");
  });
}

liqmap_status liqmap_engine_get_market_column(liqmap_engine* engine, liqmap_market_column column, double* buffer,
                                              size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const liqmap_engine& e = checked_engine(engine);
    if (!e.market) throw ApiError(LIQMAP_ERROR_NO_MARKET, "no market: set or read one first");
    const Market& m = *e.market;
    const std::vector<double>* values = nullptr;
    switch (raw_enum(column)) {
      case LIQMAP_COLUMN_OPEN: values = &m.open; break;
      case LIQMAP_COLUMN_HIGH: values = &m.high; break;
      case LIQMAP_COLUMN_LOW: values = &m.low; break;
      case LIQMAP_COLUMN_CLOSE: values = &m.close; break;
      case LIQMAP_COLUMN_VOLUME: values = &m.volume; break;
      case LIQMAP_COLUMN_OI: values = &m.oi; break;
      case LIQMAP_COLUMN_LONG_SHARE: values = &m.long_share; break;
    }
    require(values != nullptr, "column " + std::to_string(raw_enum(column)) + " is not a liqmap_market_column");
    copy_out(values->data(), values->size(), buffer, capacity, count, "the column");
  });
}

liqmap_status liqmap_parse_time(const char* text, int64_t* ms) {
  return guarded(__func__, [&] {
    require(text != nullptr && ms != nullptr, "text and ms must not be NULL");
    const auto time = io::parse_timestamp_ms(text);
    if (!time)
      throw Error(ErrorCode::input, "'" + std::string(text).substr(0, 64) +
                                        "' is not a time: expected ISO-8601 UTC or epoch s, ms, µs or ns, from 1990 to 2200");
    *ms = *time;
  });
}

}  // extern "C"
