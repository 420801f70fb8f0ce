// liqmap: the command line. Exit codes: 0 ok, 2 usage, 3 input or config error, 4 I/O or
// memory, 5 device, 1 anything else.
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "liqmap/synthetic.hpp"
#include "bench_command.hpp"
#include "market_csv.hpp"
#include "outputs.hpp"
#include "summary.hpp"

namespace {

using namespace liqmap;

struct CommonOptions {
  std::string config_path;
  std::string out_dir;
  std::string backend = "auto";
  int threads = 0;
  long long seed = -1;
};

void add_common(CLI::App& cmd, CommonOptions& o) {
  cmd.add_option("--config", o.config_path, "JSON configuration (MODEL.md section 8)")->check(CLI::ExistingFile);
  cmd.add_option("--out", o.out_dir, "output folder")->required();
  cmd.add_option("--backend", o.backend, "auto | cpu | cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd.add_option("--threads", o.threads, "CPU threads (0 = all)")->check(CLI::NonNegativeNumber);
  cmd.add_option("--seed", o.seed, "seed of the synthetic positions (overrides the config)")->check(CLI::NonNegativeNumber);
}

Config make_config(const CommonOptions& o, Config (*defaults)()) {
  Config config = o.config_path.empty() ? defaults() : load_config_file(o.config_path);
  if (o.seed >= 0) config.positions.seed = static_cast<std::uint64_t>(o.seed);
  return config;
}

void run_and_write(const Market& market, const Config& config, const CommonOptions& o) {
  RunOptions run;
  run.backend = parse_backend(o.backend);
  run.threads = o.threads;
  const Result result = compute(market, config, run);
  const auto start = std::chrono::steady_clock::now();
  detail::write_output_files(o.out_dir, detail::standard_outputs(result, market, config));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  cli::print_run_summary(std::cout, result, seconds);
  std::cout << "  outputs in         " << o.out_dir << "\n";
}

int exit_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::input:
    case ErrorCode::config: return 3;
    case ErrorCode::io:
    case ErrorCode::out_of_memory: return 4;
    case ErrorCode::device: return 5;
    case ErrorCode::invalid_argument: return 2;
    default: return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"liqmap: liquidation heatmaps for crypto perpetual futures"};
  app.require_subcommand(1);

  CommonOptions demo_opts;
  std::size_t demo_steps = 10080;
  auto* demo = app.add_subcommand("demo", "the full run on the built-in synthetic market\n"
                                          "  example: liqmap demo --out demo-out");
  add_common(*demo, demo_opts);
  demo->add_option("--steps", demo_steps, "one-minute steps of the synthetic market")->check(CLI::Range(2, 100000000));

  CommonOptions compute_opts;
  std::string market_path;
  auto* compute_cmd = app.add_subcommand("compute", "a map of a market CSV (ts,open,high,low,close[,volume][,oi][,long_share])\n"
                                                    "  example: liqmap compute --market btc.csv --config cfg.json --out map");
  add_common(*compute_cmd, compute_opts);
  compute_cmd->add_option("--market", market_path, "market CSV")->required()->check(CLI::ExistingFile);

  cli::BenchOptions bench_opts;
  auto* bench = cli::add_bench_command(app, bench_opts);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  try {
    if (*demo) {
      SyntheticOptions synth;
      synth.steps = demo_steps;
      const Config config = make_config(demo_opts, demo_config);
      synth.seed = config.positions.seed;
      run_and_write(synthetic_market(synth), config, demo_opts);
    } else if (*compute_cmd) {
      const Config config = make_config(compute_opts, default_config);
      const cli::MarketFile file = cli::read_generic_csv(market_path);
      validate_market(file.market, file.origin);
      run_and_write(file.market, config, compute_opts);
    } else if (*bench) {
      cli::run_bench(bench_opts);
    }
  } catch (const Error& e) {
    std::cerr << "liqmap: error (" << error_code_name(e.code()) << "): " << e.what() << "\n";
    return exit_code(e.code());
  } catch (const std::exception& e) {
    std::cerr << "liqmap: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
