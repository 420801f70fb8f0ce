#include "live_command.hpp"

#include <chrono>
#include <iostream>

#include "interrupt.hpp"
#include "live/live_state.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "progress.hpp"
#include "report_options.hpp"
#include "summary.hpp"

namespace liqmap::cli {
namespace {

void print_state(const live::StateRun& run, const std::string& state_dir, bool quiet, bool json, double seconds) {
  const Result& drawn = run.run.drawn.result;
  if (json) {
    nlohmann::json summary = run_summary_json(drawn, run.run.drawn.market, run.out_dir, seconds, run.run.notices);
    summary["state"] = {{"folder", state_dir},
                        {"committed_candles", run.committed_steps},
                        {"pending_candles", run.pending_steps},
                        {"candles_added", run.steps_added},
                        {"model_seconds", run.seconds_model}};
    std::cout << summary.dump(1) << "\n";
    return;
  }
  if (quiet) return;
  print_run_summary(std::cout, drawn, seconds);
  const Market& market = run.run.drawn.market;
  std::cout << "  live state         " << state_dir << ": " << run.committed_steps << " candles committed (+"
            << run.steps_added << " in " << run.seconds_model * 1e3 << " ms), " << run.pending_steps
            << " shown provisionally\n";
  std::cout << "  drawn              " << io::format_timestamp(market.ts.front()) << " .. "
            << io::format_timestamp(market.ts.back()) << " (" << market.size() << " bars)\n";
  std::cout << "  outputs in         " << run.out_dir << "\n";
}

void print_notices(const std::vector<std::string>& notices, bool quiet) {
  if (quiet) return;
  for (const std::string& notice : notices) std::cerr << "liqmap: note: " << notice << "\n";
}

}  // namespace

CLI::App* add_append_command(CLI::App& app, AppendOptions& o) {
  auto* cmd = app.add_subcommand("append", "add new candles (and open interest) to a live state and redraw its run");
  cmd->footer(
      "Examples:\n"
      "  liqmap compute --market btc-1h.csv --oi btc-oi.csv --out map --state live\n"
      "  liqmap append --state live --market btc-1h-new.csv --oi btc-oi-new.csv\n"
      "  liqmap append --state live --market forming.csv --provisional   # shown once, not kept");
  cmd->add_option("--state", o.state_dir, "the live state's folder (made by compute --state)")->required();
  cmd->add_option("--market", o.market, "new candle file(s), in any layout compute reads; globs");
  cmd->add_option("--oi", o.oi, "new open-interest file(s); globs");
  cmd->add_option("--out", o.out_dir, "folder to write the run into (default: the state's)");
  cmd->add_option("--outputs", o.outputs, "files to write, as for compute")->capture_default_str();
  cmd->add_flag("--provisional", o.provisional,
                "the candles are still forming: draw them, keep nothing (the next append replaces them)");
  cmd->add_option("--threads", o.threads, "CPU threads (0 = all)")->check(thread_count());
  cmd->add_flag("--quiet,-q", o.quiet, "print nothing but errors");
  cmd->add_flag("--json", o.json, "print a machine-readable summary on stdout");
  return cmd;
}

void run_append(const AppendOptions& o) {
  live::StateOptions options;
  options.run.backend = Backend::cpu;
  options.run.threads = o.threads;
  options.out_dir = o.out_dir;
  options.outputs = o.outputs;
  options.on_notices = [&o](const std::vector<std::string>& notices) { print_notices(notices, o.quiet); };
  options.cancelled = [] { return interrupted(); };
  const auto start = std::chrono::steady_clock::now();
  const live::StateRun run = live::append_files(o.state_dir, o.market, o.oi, o.provisional, options);
  print_state(run, o.state_dir, o.quiet, o.json,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

void run_state_compute(const MapOptions& o, const std::string& state_dir, const app::MapInputs& inputs, Config config) {
  if (!o.from.empty() || !o.to.empty() || !o.map_at.empty())
    throw Error(ErrorCode::invalid_argument, "--state draws every candle of the state: leave out --from, --to and "
                                             "--map-at (render the run folder for another window)");
  live::StateOptions options;
  options.run.backend = parse_backend(o.backend);
  options.run.threads = o.threads;
  options.out_dir = o.out_dir;
  options.outputs = o.outputs;
  options.drawing = report_options(o.report);
  report::validate(options.drawing);
  options.on_notices = [&o](const std::vector<std::string>& notices) { print_notices(notices, o.quiet); };
  options.cancelled = [] { return interrupted(); };
  const auto start = std::chrono::steady_clock::now();
  live::StateRun run = [&] {
    const ProgressBar bar(o.quiet || o.json);
    options.run.progress = bar.callback();
    return live::create_state(state_dir, inputs, std::move(config), options);
  }();
  print_state(run, state_dir, o.quiet, o.json, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace liqmap::cli
