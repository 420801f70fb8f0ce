// liqmap_engine_load_market: a market's arrays read with the file readers' rules (io::read_arrays)
// and the CLI's defaults, so arrays and DataFrames get the notices and checks files get.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/map_market.hpp"
#include "boundary.hpp"
#include "engine_state.hpp"
#include "liqmap/io.hpp"
#include "market_arrays.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

namespace {

std::vector<double> column(const double* values, std::size_t length) {
  return values == nullptr ? std::vector<double>{} : std::vector<double>(values, values + length);
}

std::optional<OiUnit> unit_of(const char* text) {
  if (text == nullptr || *text == '\0') return std::nullopt;
  const std::string unit = text;
  if (unit == "base") return OiUnit::base;
  if (unit == "quote") return OiUnit::quote;
  throw ApiError(LIQMAP_ERROR_INVALID_ARGUMENT, "options->oi_unit '" + unit.substr(0, 64) + "' is not \"base\" or \"quote\"");
}

// "a\nb\n" (or without the last '\n'): one view per line.
std::vector<std::string_view> lines_of(const char* text, std::size_t length) {
  std::vector<std::string_view> lines;
  std::string_view rest(text, length);
  while (!rest.empty()) {
    const std::size_t end = rest.find('\n');
    lines.push_back(rest.substr(0, end));
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end + 1);
  }
  return lines;
}

}  // namespace

extern "C" {

liqmap_load_options liqmap_load_options_default(void) {
  liqmap_load_options options{};
  options.size = sizeof options;
  options.warmup_days = -1;
  return options;
}

}  // extern "C"

namespace liqmap::c_api {

io::MarketData read_market_arrays(const liqmap_engine& e, const liqmap_market* market, const liqmap_load_options* options,
                                  std::optional<OiUnit> stated_unit, bool appended) {
    const liqmap_load_options given =
        options == nullptr ? liqmap_load_options_default()
                           : read_versioned(options, liqmap_load_options_default(),
                                            LIQMAP_FIRST_VERSION_SIZE(liqmap_load_options, warmup_days), "options");
    const liqmap_market in =
        read_versioned(market, liqmap_market{}, LIQMAP_FIRST_VERSION_SIZE(liqmap_market, long_share), "market");
    require(in.length >= 1, "market->length is 0; a market needs at least one step");
    require(in.ts != nullptr || given.ts_text != nullptr, "market->ts is NULL and options->ts_text gives no times");
    for (const auto& [pointer, name] : {std::pair<const double*, const char*>{in.open, "open"}, {in.high, "high"},
                                        {in.low, "low"}, {in.close, "close"}})
      require(pointer != nullptr, std::string("market->") + name + " is NULL; it is required");
    const std::size_t n = in.length;
    Market arrays;
    if (given.ts_text == nullptr) arrays.ts.assign(in.ts, in.ts + n);
    arrays.open = column(in.open, n);
    arrays.high = column(in.high, n);
    arrays.low = column(in.low, n);
    arrays.close = column(in.close, n);
    arrays.volume = column(in.volume, n);
    arrays.oi = column(in.oi, n);
    arrays.long_share = column(in.long_share, n);
    arrays.warmup_rows = in.warmup_rows;

    io::ArrayInput input;
    if (given.name != nullptr && *given.name != '\0') input.name = given.name;
    input.ts_epoch_any = given.ts_epoch_any != 0;
    if (given.has_warmup_until) input.warmup_until_ms = given.warmup_until_ms;
    if (given.ts_text != nullptr) input.ts_text = lines_of(given.ts_text, given.ts_text_length);
    io::ReadOptions read;
    read.drop_bad_rows = given.drop_bad_rows != 0;
    const std::optional<OiUnit> unit = unit_of(given.oi_unit);
    if (given.oi_unit_source == nullptr) {
      read.oi_unit = unit;
      read.oi_unit_option = "oi_unit";
    } else {
      input.named_oi_unit = unit;
      input.named_oi_unit_reason = given.oi_unit_source;
    }
    read.warmup_days = given.warmup_days >= 0 ? given.warmup_days : e.config.flow.warmup_days;
    if (stated_unit) read.oi_unit = stated_unit, input.named_oi_unit.reset();
    input.appended_rows = appended;

    io::MarketData data = io::read_arrays(arrays, input, read);
    validate_market(data.market, data.origin);  // the engine's own rules, as set_market checks them
    return data;
}

}  // namespace liqmap::c_api

extern "C" {

liqmap_status liqmap_engine_load_market(liqmap_engine* engine, const liqmap_market* market,
                                        const liqmap_load_options* options) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require(!e.computing, "the engine is computing and cannot be given a new market until liqmap_engine_compute returns");
    io::MarketData data = read_market_arrays(e, market, options, std::nullopt, false);
    Config config = e.config;  // changed only when all of it succeeds
    for (std::string& notice : app::apply_market_defaults(config, data.market, data.oi_unit))
      data.notices.push_back(std::move(notice));
    e.market = std::move(data.market);
    e.config = std::move(config);
    e.notices = std::move(data.notices);
    e.oi_unit = data.oi_unit;
    discard_result(e);
  });
}

}  // extern "C"
