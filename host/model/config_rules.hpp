// The rules every configuration obeys, however it was built (JSON file or C++/C API).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "liqmap/config.hpp"

namespace liqmap::detail {

// Throws Error(ErrorCode::config) naming the key and what is allowed.
void check_config(const Config& config);

// A price axis the grid can resolve: price_min < price_max and bins at least 1e-12 of the price
// wide. Throws Error(ErrorCode::config) naming grid.price_max.
void check_price_range(double price_min, double price_max, int bins);

// load_config_file with `patch` (when not null) merged over the file's JSON key by key (RFC 7386)
// before it is read; `where` names the result in messages.
Config load_config_file(const std::string& path, const nlohmann::json* patch, const std::string& where);

}  // namespace liqmap::detail
