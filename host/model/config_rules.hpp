// The rules every configuration obeys, however it was built (JSON file or C++/C API).
#pragma once

#include "liqmap/config.hpp"

namespace liqmap::detail {

// Throws Error(ErrorCode::config) naming the key and what is allowed.
void check_config(const Config& config);

// A price axis the grid can resolve: price_min < price_max and bins at least 1e-12 of the price
// wide. Throws Error(ErrorCode::config) naming grid.price_max.
void check_price_range(double price_min, double price_max, int bins);

}  // namespace liqmap::detail
