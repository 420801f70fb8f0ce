// `liqmap compute ... --state DIR` and `liqmap append --state DIR` (README "Live").
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "app/map_market.hpp"
#include "liqmap/config.hpp"
#include "map_options.hpp"

namespace liqmap::cli {

struct AppendOptions {
  std::string state_dir, out_dir, outputs = "all";
  std::vector<std::string> market, oi;
  bool provisional = false, quiet = false, json = false;
  int threads = 0;
};

CLI::App* add_append_command(CLI::App& app, AppendOptions& options);
void run_append(const AppendOptions& options);

// compute with --state: the job's inputs and resolved config made into a live state.
void run_state_compute(const MapOptions& options, const std::string& state_dir, const app::MapInputs& inputs,
                       Config config);

}  // namespace liqmap::cli
