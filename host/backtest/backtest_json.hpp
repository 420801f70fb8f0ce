// backtest.json as a JSON value (the CLI's file, the C API's and Python's result).
#pragma once

#include <nlohmann/json.hpp>

#include "backtest/backtest.hpp"

namespace liqmap::backtest {

nlohmann::json backtest_json(const Report& report);

}  // namespace liqmap::backtest
