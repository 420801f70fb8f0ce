// A run read back from its output folder, for `liqmap render DIR`.
#pragma once

#include <string>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"

namespace liqmap::report {

struct SavedRun {
  Result result;  // axes, smooth_long/smooth_short (float32 precision), liq_long/liq_short
  Market market;  // ts, open, high, low, close from prices.csv
  Config config;  // the defaults with the run's `clusters` section
};

// Reads long.npy, short.npy, axes.json, liquidations.csv and prices.csv from `dir`.
// Validated whole (shapes, rising axes, column steps inside the run, finite values, times of the
// columns those of their steps): throws Error(io) naming the file and the rule it breaks.
SavedRun load_saved_run(const std::string& dir);

}  // namespace liqmap::report
