#include "bench_command.hpp"

#include <cstdio>

#include "engine/benchmark_job.hpp"
#include "liqmap/error.hpp"
#include "map_options.hpp"

namespace liqmap::cli {
namespace {

void print_run(const detail::BenchmarkRun& run, const detail::BenchmarkJob& job) {
  std::printf("%-11s %9.3g %6d %8zu", run.backend.c_str(), double(run.positions), job.bins, job.steps);
  for (const char* stage : {"passage_tables", "upload", "scatter_deltas", "survival_recurrence", "smooth_price", "smooth_time", "download"}) {
    double seconds = -1;
    for (const auto& s : run.stages)
      if (s.stage == stage) seconds = s.seconds;
    if (seconds < 0) std::printf(" %10s", "-");
    else std::printf(" %10.4f", seconds);
  }
  std::printf(" %10.4f %12.4g\n", run.seconds, run.positions_per_second());
}

}  // namespace

void run_bench(const BenchOptions& o) {
  detail::BenchmarkJob job;
  job.positions = o.positions;
  job.bins = o.bins;
  job.steps = o.steps;
  const detail::Plan plan = detail::benchmark_plan(job);
  std::printf("job: %.3g positions requested, %d price bins x %zu steps (synthetic market, default config)\n"
              "seconds per stage; positions/s over all stages\n\n",
              o.positions, o.bins, o.steps);
  std::printf("%-11s %9s %6s %8s %10s %10s %10s %10s %10s %10s %10s %10s %12s\n", "backend", "positions",
              "bins", "steps", "tables", "upload", "scatter", "recurrence", "smooth_p", "smooth_t", "download",
              "total", "positions/s");
  for (const std::string& backend : o.backends) {
    try {
      print_run(detail::run_benchmark(plan, backend, o.threads), job);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::device) throw;
      std::printf("%-11s skipped: %s\n", backend.c_str(), e.what());
    }
    std::fflush(stdout);
  }
}

CLI::App* add_bench_command(CLI::App& app, BenchOptions& options) {
  CLI::App* bench = app.add_subcommand(
      "bench", "time one job per backend: seconds per stage and positions per second\n"
               "  example: liqmap bench --positions 1e7 --bins 4096 --backends cpu,cuda");
  bench->add_option("--positions", options.positions, "synthetic positions (at least)")
      ->check(CLI::Range(1.0, 1e12));
  bench->add_option("--bins", options.bins, "price bins")->check(CLI::Range(1, 1 << 20));
  bench->add_option("--steps", options.steps, "one-minute steps of the synthetic market")
      ->check(CLI::Range(2, 100000000));
  bench->add_option("--backends", options.backends, "cpu, omp, cuda")
      ->delimiter(',')
      ->check(CLI::IsMember({"cpu", "omp", "cuda"}));
  bench->add_option("--threads", options.threads, "CPU threads (0 = all)")->check(cli::thread_count());
  return bench;
}

}  // namespace liqmap::cli
