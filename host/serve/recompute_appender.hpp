// An Appender that recomputes the whole map: it keeps the market (and open-interest) CSV of the
// state in DIR/recompute/, adds each request's rows to it and runs the map job into DIR/run.
// Exact by construction and slow (the whole history per append): the fallback `liqmap serve
// --recompute` uses, and the reference the tests use, until the engine state's append is there.
#pragma once

#include <string>

#include "live/append_request.hpp"

namespace liqmap::serve {

struct RecomputeOptions {
  std::string state_dir;
  std::string market_csv;   // copied to DIR/recompute/market.csv when that is not there yet
  std::string oi_csv;       // optional, likewise to DIR/recompute/oi.csv
  int bins = 0;             // 0: the config's
  std::string outputs = "all";
};

// Checks the files and copies them in; throws Error(io/input) naming what is wrong.
live::Appender recompute_appender(const RecomputeOptions& options);

// Runs the full compute once into DIR/run (the state's first run).
void recompute_run(const RecomputeOptions& options);

}  // namespace liqmap::serve
