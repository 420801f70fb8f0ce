// `liqmap cascade RUN_DIR` (docs/backtest.md, "Cascade").
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace liqmap::cli {

struct CascadeOptions {
  std::string run_dir, out_dir, shock, at;
  std::optional<double> target, daily_volume, sigma;
  double volume_scale = 1.0;  // the market's volume as a multiple of --market's (one venue of several, spot)
  std::vector<std::string> market;
  double impact_y = 1.0, depth_days = 30;
  bool quiet = false, json = false;
};

void add_cascade_options(CLI::App& cmd, CascadeOptions& o);
void run_cascade_command(const CascadeOptions& o);

}  // namespace liqmap::cli
