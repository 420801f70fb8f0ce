// A market's arrays read with the file readers' rules (io::read_arrays), for load_market and
// append; `stated_unit` overrides what the options say about the open interest's unit, and
// `appended` bars may be a single one.
#pragma once

#include <optional>

#include "engine_state.hpp"
#include "liqmap/io.hpp"

namespace liqmap::c_api {

io::MarketData read_market_arrays(const liqmap_engine& e, const liqmap_market* market, const liqmap_load_options* options,
                                  std::optional<OiUnit> stated_unit, bool appended);

}  // namespace liqmap::c_api
