// `liqmap demo` and `liqmap compute` (one market or several venues): the options parsed into a
// map job (app/map_job.hpp), run, written, summarised.
#pragma once

#include "liqmap/synthetic.hpp"
#include "map_options.hpp"

namespace liqmap::cli {

// compute: the market's files (or the venues') given by `data`.
void run_compute(const MapOptions& options, const DataOptions& data);

// demo: the built-in synthetic market (its seed is the config's positions.seed).
void run_demo(const MapOptions& options, SyntheticOptions market);

}  // namespace liqmap::cli
