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
// Throws Error(io) naming the file that is missing or malformed.
SavedRun load_saved_run(const std::string& dir);

}  // namespace liqmap::report
