// liqmap_map.png: the liquidation map as CoinGlass users know it. Price right, one bar per price
// level stacked by leverage tier, the cumulative long curve below the price and the cumulative
// short curve above it (right axis), the price marked.
#pragma once

#include <functional>
#include <string>

#include "liquidation_map/liquidation_map.hpp"

namespace liqmap::report {

// `subject` says what the map shows (app/map_subject.hpp), beside the title. Throws Error(io) when the file cannot be
// written, Error(cancelled) when `cancelled` says stop; without Cairo, Error(internal).
void render_liquidation_map_png(const std::string& path, const map::LiquidationMap& map, const std::string& subject,
                                const std::function<bool()>& cancelled = {}, int width = 1600, int height = 900);

// The price range shown: where the cumulative curves reach 98% of each side's total, at least
// 3% and at most 50% from the price, within the axis.
std::pair<double, double> liquidation_map_range(const map::LiquidationMap& map);

}  // namespace liqmap::report
