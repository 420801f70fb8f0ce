// `liqmap bench`: one job on each backend, time per stage and positions per second.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace liqmap::cli {

struct BenchOptions {
  double positions = 1e6;
  int bins = 2048;
  std::size_t steps = 10080;
  std::vector<std::string> backends = {"cpu", "cuda"};
  int threads = 0;
};

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options);

// Prints the table; a backend that is not usable here is listed as skipped, with the reason.
void run_bench(const BenchOptions& options);

}  // namespace liqmap::cli
