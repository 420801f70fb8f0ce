// `liqmap score` and `liqmap calibrate`.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace liqmap::cli {

struct ScoreOptions {
  std::string run_dir, realized, from, to, bar, realized_venues, oi_venues;
  int bootstrap = 1000;
  bool json = false;
};

struct CalibrateOptions {
  std::vector<std::string> market, oi;
  std::string oi_unit, realized, train_from, train_to, config_path, out_path, bar, realized_venues, oi_venues;
  int threads = 0;
  double tolerance = 0.01;
};

void add_score_options(CLI::App& cmd, ScoreOptions& o);
void add_calibrate_options(CLI::App& cmd, CalibrateOptions& o);
void run_score(const ScoreOptions& o);
void run_calibrate(const CalibrateOptions& o);

}  // namespace liqmap::cli
