// What a map shows, in words, wherever a venue or exchange name appears (titles of heatmap.png
// and liqmap_map.png, review.md, the page, axes.json): the open interest of the files on an
// exchange's margin brackets is not that exchange's liquidation map (issue 27 item 6).
#pragma once

#include <string>
#include <vector>

#include "liqmap/config.hpp"

namespace liqmap::app {

// One market: "the market's open interest on Binance's margin brackets (binance-usdm-btcusdt)",
// or with several exchanges "the market's open interest shared out Binance 35%, Bybit 20%, ...,
// each on its margin brackets".
std::string market_subject(const Config& config);
// One venue of a several-venue run: "bybit's own candles and open interest on Bybit's margin
// brackets (bybit-linear-btcusdt)".
std::string venue_subject(const std::string& venue, const Config& venue_config);
// The venues' sum: "the sum of 3 venues (binance + bybit + okx), each its own open interest on
// its own margin brackets".
std::string aggregate_subject(const std::vector<std::string>& venues);

// "The market's ..." for the start of a line.
std::string capitalised(std::string text);

}  // namespace liqmap::app
