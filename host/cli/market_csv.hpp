// The generic market CSV of MODEL.md section 1: header ts,open,high,low,close[,volume][,oi]
// [,long_share], ts in ms since the epoch.
#pragma once

#include <string>

#include "liqmap/market.hpp"

namespace liqmap::cli {

struct MarketFile {
  Market market;
  RowOrigin origin;
};

// Throws Error(ErrorCode::input) naming file, line, column and rule; Error(io) if unreadable.
MarketFile read_generic_csv(const std::string& path);

}  // namespace liqmap::cli
