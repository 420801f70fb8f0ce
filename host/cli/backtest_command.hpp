// `liqmap backtest RUN_DIR` (docs/backtest.md).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace liqmap::cli {

struct BacktestOptions {
  std::string run_dir, out_dir, horizons = "4h,24h,72h,1w", every, from, to, momentum_lookback;
  double min_distance = 1.0, max_distance = 5.0;
  std::size_t reverse_bars = 3;
  int bootstrap = 1000;
  std::uint64_t seed = 1;
  bool quiet = false, verbose = false, review = false;
};

void add_backtest_options(CLI::App& cmd, BacktestOptions& o);
void run_backtest_command(const BacktestOptions& o);

// "90m", "4h", "3d", "1w" in ms; throws Error(invalid_argument) naming `option`.
std::int64_t parse_duration_ms(const std::string& text, const char* option);

}  // namespace liqmap::cli
