// `liqmap backtest RUN_DIR`: reads a saved run, backtests its clusters, writes the files into it.
#include "backtest_command.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/map_window.hpp"
#include "backtest/backtest.hpp"
#include "backtest/backtest_outputs.hpp"
#include "interrupt.hpp"
#include "map_options.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "outputs/atomic_output.hpp"
#include "report/saved_run.hpp"

namespace liqmap::cli {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::int64_t parse_duration_ms(const std::string& text, const char* option) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const double unit_ms = unit == "m" ? 60e3 : unit == "h" ? 3600e3 : unit == "d" ? 86400e3 : unit == "w" ? 604800e3 : 0;
  if (used == 0 || unit_ms == 0 || !(value > 0))
    throw Error(ErrorCode::invalid_argument, std::string(option) + " '" + text +
                                                 "': expected a positive duration with a unit m, h, d or w (90m, 4h, 3d, 1w)");
  return static_cast<std::int64_t>(value * unit_ms + 0.5);
}

void add_backtest_options(CLI::App& cmd, BacktestOptions& o) {
  cmd.add_option("dir", o.run_dir, "output folder of `compute` or `demo` (long.npy, short.npy, axes.json, prices.csv)")
      ->required()->check(CLI::ExistingDirectory);
  cmd.add_option("--out", o.out_dir, "folder for backtest.json/.md/.png (default: the run's folder)");
  cmd.add_flag("--review", o.review, "also add (or replace) the backtest section of the run's review.md, written into --out");
  cmd.add_option("--min-distance", o.min_distance, "nearest cluster considered, % from the close")->capture_default_str();
  cmd.add_option("--max-distance", o.max_distance, "farthest cluster considered, % from the close")->capture_default_str();
  cmd.add_option("--horizons", o.horizons, "comma-separated horizons (m, h, d, w)")->capture_default_str();
  cmd.add_option("--every", o.every, "spacing of evaluation times (default: each horizon, so windows do not overlap; "
                                     "shorter uses a block bootstrap)");
  cmd.add_option("--from", o.from, "first evaluation time (ISO-8601 UTC or epoch ms)");
  cmd.add_option("--to", o.to, "last evaluation time");
  cmd.add_option("--reverse-bars", o.reverse_bars, "sweep and reverse: a close back within this many bars")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  cmd.add_option("--momentum-lookback", o.momentum_lookback, "return window of the momentum rule (default: the horizon)");
  cmd.add_option("--bootstrap", o.bootstrap, "block bootstrap draws")->check(CLI::Range(100, 100000))->capture_default_str();
  cmd.add_option("--seed", o.seed, "seed of the random control (Philox) and the bootstrap")->check(cli::seed_number())->capture_default_str();
  cmd.add_flag("--verbose,-v", o.verbose, "print backtest.md's tables (by default a summary per horizon)");
  cmd.add_flag("--quiet,-q", o.quiet, "print nothing but errors");
}

void run_backtest_command(const BacktestOptions& o) {
  backtest::Options options;
  options.min_distance_pct = o.min_distance;
  options.max_distance_pct = o.max_distance;
  options.horizons_ms.clear();
  std::stringstream list(o.horizons);
  for (std::string item; std::getline(list, item, ',');) options.horizons_ms.push_back(parse_duration_ms(item, "--horizons"));
  if (!o.every.empty()) options.every_ms = parse_duration_ms(o.every, "--every");
  if (!o.momentum_lookback.empty()) options.momentum_lookback_ms = parse_duration_ms(o.momentum_lookback, "--momentum-lookback");
  options.from_ms = parse_time_option(o.from, "--from", true);
  options.to_ms = parse_time_option(o.to, "--to", true);
  app::require_ordered_window(options.from_ms, options.to_ms, "--from", "--to");
  options.reverse_bars = o.reverse_bars;
  options.bootstrap_draws = o.bootstrap;
  options.seed = o.seed;
  backtest::validate(options);  // before reading the grids

  const report::SavedRun run = report::load_saved_run(o.run_dir);
  options.clusters = run.config.clusters;
  backtest::Report report = backtest::run_backtest(run.result, run.market, options);
  report.run_dir = o.run_dir;

  const std::string out_dir = o.out_dir.empty() ? o.run_dir : o.out_dir;
  detail::OutputSet outputs(out_dir);
  const std::string markdown = backtest::backtest_markdown(report);
  std::vector<detail::OutputFile> files = {
      {"backtest.json", [&](const std::string& p, const detail::CancelFn&) {
         backtest::write_text(p, backtest::backtest_json(report).dump(1) + "\n");
       }},
      {"backtest.md", [&](const std::string& p, const detail::CancelFn&) { backtest::write_text(p, markdown); }}};
  if (backtest::can_draw_png())
    files.push_back({"backtest.png", [&](const std::string& p, const detail::CancelFn&) { backtest::write_backtest_png(p, report); }});
  // review.md is the run's own page: edited only when asked (--review), into the output folder.
  if (o.review) {
    const std::string review_path = (std::filesystem::path(o.run_dir) / "review.md").string();
    if (!std::filesystem::exists(review_path))
      throw Error(ErrorCode::invalid_argument, "--review: " + review_path +
                                                   " does not exist (compute writes it with --outputs review)");
    const std::string review = backtest::with_review_section(read_file(review_path), backtest::review_section(report));
    files.push_back({"review.md", [review](const std::string& p, const detail::CancelFn&) { backtest::write_text(p, review); }});
  }
  outputs.write_and_commit(files, [] { return interrupted(); });
  if (o.quiet) return;
  std::cout << (o.verbose ? markdown : backtest::backtest_summary(report));
  for (const auto& f : files)
    std::cout << "  wrote " << out_dir << "/" << f.name
              << (f.name == "review.md" ? " (its backtest section)" : f.name == "backtest.md" && !o.verbose ? " (the tables; --verbose prints them)" : "")
              << "\n";
}

}  // namespace liqmap::cli
