// The options of the commands that compute a map (demo, compute), shared by main.cpp and the
// several-venue runner (venues_command.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "report_options.hpp"

namespace liqmap::cli {

// What demo and compute share: where to write, what to draw, how to run.
struct MapOptions {
  std::string config_path, out_dir, from, to, range, backend = "auto", outputs = "all", grid_type = "float32";
  std::optional<int> bins, samples;
  std::optional<double> price_min, price_max;
  std::optional<std::uint64_t> seed;
  bool log_price = false, quiet = false, json = false;
  bool show_warmup = false;  // --show-warmup: draw the warm-up candles too, shaded
  int threads = 0;
  cli::ReportArgs report;
  std::string map_at;  // the liquidation map's time (default: the last column drawn)
};

struct DataOptions {
  std::vector<std::string> market, oi;
  std::string oi_unit, format = "auto";
  std::string symbol;  // --symbol: the coin whose margin schedules apply (else the config's or the file names')
  bool drop_bad_rows = false;
  std::vector<std::string> venues;  // NAME[@SCHEDULE]:candles[,open interest...]
  std::string state;                // compute --state: also keep a live state there
};

// --threads: 0 (all) to kMaxThreads. --seed: a whole number 0 to 2^64-1, never wrapped (-1).
CLI::Validator thread_count();
CLI::Validator seed_number();

// --from/--to/--map-at: the unit of an epoch number is told by magnitude, like the files', and said.
std::optional<std::int64_t> parse_time_option(const std::string& text, const char* option, bool quiet);

}  // namespace liqmap::cli
