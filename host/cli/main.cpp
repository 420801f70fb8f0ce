// liqmap: the command line. Subcommands demo, compute, synth, info; exit codes in kExitCodes.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "liqmap/clusters.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "liqmap/synthetic.hpp"
#include "interrupt.hpp"
#include "batch_command.hpp"
#include "bench_command.hpp"
#include "app/standard_outputs.hpp"
#include "outputs/atomic_output.hpp"
#include "report/report_outputs.hpp"
#include "report/saved_run.hpp"
#include "report_options.hpp"
#include "calibrate_command.hpp"
#include "live_command.hpp"
#include "map_command.hpp"
#include "report/format.hpp"
#include "summary.hpp"
#include "map_options.hpp"
#include "model/config_rules.hpp"
#include "venues_command.hpp"
#include "backtest_command.hpp"
#include "cascade_command.hpp"
#include "serve_command.hpp"
#include "feed_command.hpp"

namespace {

using namespace liqmap;

constexpr const char* kExitCodes =
    "Exit codes: 0 ok, 1 internal error, 2 usage (bad option), 3 input or config error (bad data row, "
    "bad key), 4 resource error (file unreadable or unwritable, out of memory), 5 device error (CUDA), "
    "130 interrupted (Ctrl-C; nothing written).";


using cli::DataOptions;
using cli::MapOptions;

void add_map_options(CLI::App& cmd, MapOptions& o) {
  cmd.add_option("--config", o.config_path, "JSON configuration (MODEL.md section 8); options below override it")
      ->check(CLI::ExistingFile);
  cmd.add_option("--out", o.out_dir,
                 "output folder, replaced as a whole when the run succeeds (its other files are kept)")
      ->required();
  cmd.add_option("--outputs", o.outputs,
                 "files to write: comma-separated png, review, clusters, npy, html, or all;\n"
                 "axes.json, liquidations.csv and prices.csv are always written")
      ->capture_default_str();
  cmd.add_option("--grid-type", o.grid_type, "element type of the .npy grids: float32 | float16 (half the size)")
      ->check(CLI::IsMember({"float32", "float16"}))->capture_default_str();
  cmd.add_option("--from", o.from,
                 "first bar drawn (ISO-8601 UTC or epoch s/ms/µs/ns, or -24h, -3d, -1w: before the data's\n"
                 "last bar); earlier bars still open positions");
  cmd.add_option("--to", o.to, "last bar drawn (ISO-8601 UTC or epoch s/ms/µs/ns)");
  cmd.add_flag("--show-warmup", o.show_warmup,
               "also draw the warm-up candles before the first open-interest value (shaded); by default the\n"
               "map starts where the open interest seeds the book");
  cmd.add_option("--range", o.range, "draw the last 12h|24h|3d|1w|1m|3m|6m|1y up to --to or the data's end")
      ->excludes("--from");
  cmd.add_option("--bins", o.bins, "price bins (grid.price_bins)")
      ->check(CLI::Range(detail::kPriceBins.least, detail::kPriceBins.most));
  cmd.add_option("--price-min", o.price_min, "lowest price of the axis (grid.price_min)")->check(CLI::PositiveNumber);
  cmd.add_option("--price-max", o.price_max, "highest price of the axis (grid.price_max)")->check(CLI::PositiveNumber);
  cmd.add_flag("--log-price", o.log_price, "equal-ratio price bins (grid.price_scale = log)");
  cmd.add_option("--samples", o.samples, "samples per step (positions.samples_per_step)")
      ->check(CLI::Range(detail::kSamplesPerStep.least, detail::kSamplesPerStep.most));
  cmd.add_option("--seed", o.seed, "seed of the synthetic positions (positions.seed)")->check(cli::seed_number());
  cmd.add_option("--threads", o.threads, "CPU threads (0 = all)")->check(cli::thread_count());
  cmd.add_option("--backend", o.backend, "auto | cpu | cuda")->check(CLI::IsMember({"auto", "cpu", "cuda"}));
  cmd.add_flag("--quiet,-q", o.quiet, "print nothing but errors");
  cmd.add_flag("--json", o.json, "print a machine-readable run summary on stdout instead of the text one");
  cli::add_report_options(cmd, o.report, false);
}

void add_data_options(CLI::App& cmd, DataOptions& o) {
  cmd.add_option("--market", o.market,
                 "candle file(s): CSV, .zip, glob or - for stdin; repeatable (or --venue). Generic, Binance,\n"
                 "Bybit and OKX layouts are detected; a symbol in the name (ETHUSDT-1h-..., ETH-USDT-SWAP-...)\n"
                 "picks the margin schedules unless the config's \"symbol\" does");
  cmd.add_option("--oi", o.oi, "open-interest file(s) joined to the candles as-of; repeatable, globs");
  cmd.add_option("--oi-unit", o.oi_unit, "base (coins) or quote (USD); default: what the files say, else the config")
      ->check(CLI::IsMember({"base", "quote"}));
  cmd.add_option("--format", o.format, "file format (default: detected per file); binance-metrics applies to --oi files")
      ->check(CLI::IsMember({"auto", "generic", "binance-klines", "binance-metrics"}));
  cmd.add_flag("--drop-bad-rows", o.drop_bad_rows, "drop rows that break a rule (reported) instead of stopping");
  cmd.add_option("--symbol", o.symbol,
                 "the coin whose margin schedules apply (ETHUSDT, ETH-USDT-SWAP, SOL, BTCUSD_PERP), for files\n"
                 "whose names do not say it; overrides the config's \"symbol\"");
}

void run_synth(const std::string& out_path, const SyntheticOptions& synth) {
  const Market market = synthetic_market(synth);
  if (out_path == "-") {
    io::write_market_csv(std::cout, market);
    return;
  }
  // Written under a name of its own beside the target and renamed: never a half-written file,
  // even with two runs writing the same --out.
  detail::AtomicFile file(out_path);
  io::write_market_csv(file.stream(), market);
  if (cli::interrupted()) throw Error(ErrorCode::cancelled, "interrupted");
  file.commit();
}

void run_info(bool json) {
  const BackendInfo info = backend_info();
  if (json) {
    std::cout << nlohmann::json{{"version", LIQMAP_VERSION},
                                {"backends", info.cuda_compiled ? nlohmann::json{"cpu", "cuda"} : nlohmann::json{"cpu"}},
                                {"cuda_usable", info.cuda_usable},
                                {"cuda_reason", info.cuda_reason},
                                {"devices", info.devices},
#ifdef LIQMAP_HAVE_LIBZIP
                                {"zip", true}}
#else
                                {"zip", false}}
#endif
                     .dump(1)
              << "\n";
    return;
  }
  std::cout << "liqmap " << LIQMAP_VERSION << "\n";
  std::cout << "backends compiled: cpu" << (info.cuda_compiled ? ", cuda" : "") << "\n";
  if (info.cuda_usable)
    std::cout << "cuda: usable (" << info.cuda_reason << ")\n";
  else
    std::cout << "cuda: not usable: " << info.cuda_reason << "\n  the CPU backend is used (--backend auto picks it)\n";
  for (const std::string& device : info.devices) std::cout << "  device: " << device << "\n";
#ifdef LIQMAP_HAVE_LIBZIP
  std::cout << "zip archives: yes (libzip)\n";
#else
  std::cout << "zip archives: no (built without libzip)\n";
#endif
}

int exit_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument: return 2;
    case ErrorCode::input:
    case ErrorCode::config: return 3;
    case ErrorCode::io:
    case ErrorCode::out_of_memory: return 4;
    case ErrorCode::device: return 5;
    case ErrorCode::cancelled: return 130;
    default: return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"liqmap: liquidation heatmaps for crypto perpetual futures"};
  app.footer(kExitCodes);
  app.require_subcommand(1);

  MapOptions demo_opts;
  SyntheticOptions demo_market;
  auto* demo = app.add_subcommand("demo", "the full run on the built-in synthetic market");
  demo->footer("Example: liqmap demo --out demo-out --steps 2000 --bins 512");
  add_map_options(*demo, demo_opts);
  cli::add_venue_options(*demo, demo_opts, nullptr);
  demo->add_option("--steps", demo_market.steps, "one-minute steps of the synthetic market")->check(CLI::Range(2, 100000000));

  MapOptions compute_opts;
  DataOptions data_opts;
  auto* compute_cmd = app.add_subcommand("compute", "a map of your market data (generic CSV, Binance klines, + open interest)");
  compute_cmd->footer(
      "Examples:\n"
      "  liqmap compute --market btcusdt_4h_6year.csv --oi coinglass_oi_4h.csv --out map\n"
      "  liqmap compute --market 'BTCUSDT-1m-2024-01-*.zip' --oi 'BTCUSDT-metrics-2024-01-*.zip' --out jan --from 2024-01-15");
  add_map_options(*compute_cmd, compute_opts);
  add_data_options(*compute_cmd, data_opts);
  cli::add_venue_options(*compute_cmd, compute_opts, &data_opts);
  compute_cmd->add_option("--state", data_opts.state,
                          "also keep a live state in this folder: `liqmap append --state` then adds candles (README \"Live\")");
  cli::AppendOptions append_opts;
  auto* append_cmd = cli::add_append_command(app, append_opts);

  std::string synth_out;
  SyntheticOptions synth_market;
  auto* synth = app.add_subcommand("synth", "write the built-in synthetic market as a generic CSV");
  synth->footer("Example: liqmap synth --steps 1440 --seed 7 --out synthetic.csv");
  synth->add_option("--out", synth_out, "CSV file to write, - for stdout")->required();
  synth->add_option("--steps", synth_market.steps, "one-minute steps")->check(CLI::Range(2, 100000000));
  synth->add_option("--seed", synth_market.seed, "seed of the price path")->check(cli::seed_number());

  bool info_json = false;
  auto* info = app.add_subcommand("info", "version, backends compiled in, CUDA devices seen (or why none)");
  info->footer("Example: liqmap info --json");
  info->add_flag("--json", info_json, "as JSON");

  cli::ReportArgs render_args;
  std::string render_dir, render_out;
  auto* render = app.add_subcommand("render", "redraw heatmap.png and rewrite clusters.json, tracks.csv and review.md\n"
                                              "from a run's output folder (e.g. at another time)\n"
                                              "  example: liqmap render demo-out --at 2026-01-05T12:00 --width 2400 --out at-noon");
  render->add_option("dir", render_dir, "output folder of `demo` or `compute`")->required()->check(CLI::ExistingDirectory);
  render->add_option("--out", render_out,
                     "write the redrawn files into this folder instead (the run's own are kept)");
  cli::add_report_options(*render, render_args, true);
  std::string render_venue;
  bool render_quiet = false;
  render->add_flag("--quiet,-q", render_quiet, "print nothing but errors");
  render->add_option("--venue", render_venue, "redraw one venue of a several-venue run (its venues/NAME folder)");

  cli::ScoreOptions score_opts;
  auto* score = app.add_subcommand("score", "compare a run's liquidations with realized ones, per bar, next to two baselines");
  score->footer("Example: liqmap score btc-map --realized coinglass_liquidation_4h_train.csv --from 2025-10-06");
  cli::add_score_options(*score, score_opts);

  cli::BacktestOptions backtest_opts;
  auto* backtest_cmd = app.add_subcommand("backtest", "do clusters act as magnets? hit rates against control levels, with intervals");
  backtest_cmd->footer("Example: liqmap backtest btc-map --horizons 4h,24h,72h,1w --min-distance 1 --max-distance 5");
  cli::add_backtest_options(*backtest_cmd, backtest_opts);
  cli::CascadeOptions cascade_opts;
  auto* cascade_cmd = app.add_subcommand("cascade", "how far a shock carries once the liquidations it reaches add forced flow");
  cascade_cmd->footer("Example: liqmap cascade btc-map --shock -4% --market btcusdt_1h.csv --at 2026-03-01T00:00");
  cli::add_cascade_options(*cascade_cmd, cascade_opts);
  cli::CalibrateOptions calibrate_opts;
  auto* calibrate = app.add_subcommand("calibrate", "fit the flow's free parameters to realized liquidations (rank objective)");
  calibrate->footer("Example: liqmap calibrate --market btcusdt_1h.csv --oi coinglass_oi_4h.csv \\\n"
                    "           --realized coinglass_liquidation_4h_train.csv --write fitted.json");
  cli::add_calibrate_options(*calibrate, calibrate_opts);

  cli::FeedOptions feed_opts;
  auto* feed_cmd = app.add_subcommand("feed", "run a live feed and print the append requests it would send (serve --feed runs the same)");
  feed_cmd->footer("Example: liqmap feed binance:BTCUSDT:1m --print\n         liqmap feed file:candles.csv --print");
  cli::add_feed_options(*feed_cmd, feed_opts);
  cli::FetchOptions fetch_opts;
  auto* fetch_cmd = app.add_subcommand("fetch", "download candles and open interest from an exchange into compute's files");
  fetch_cmd->footer("Example: liqmap fetch binance BTCUSDT --interval 1h --from 2025-01-01 --out data\n"
                    "         liqmap compute --market data/BTCUSDT-1h-binance.csv --oi data/BTCUSDT-1h-binance-oi.csv --out map");
  cli::add_fetch_options(*fetch_cmd, fetch_opts);

  cli::BenchOptions bench_opts;
  auto* bench = cli::add_bench_command(app, bench_opts);
  cli::BatchOptions batch_opts;
  auto* batch = cli::add_batch_command(app, batch_opts);
  cli::ServeCommandOptions serve_opts;
  auto* serve = cli::add_serve_command(app, serve_opts);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  const MapOptions& map_opts = *demo ? demo_opts : compute_opts;
  cli::cancel_runs_on_interrupt();
  try {
    if (*demo) {
      cli::run_demo(demo_opts, demo_market);
    } else if (*compute_cmd) {
      cli::run_compute(compute_opts, data_opts);
    } else if (*append_cmd) {
      cli::run_append(append_opts);
    } else if (*synth) {
      run_synth(synth_out, synth_market);
    } else if (*info) {
      run_info(info_json);
    } else if (*render) {
      report::ReportOptions options = cli::report_options(render_args);
      report::validate(options);
      if (!render_venue.empty()) render_dir = cli::venue_folder(render_dir, render_venue);
      const std::string out_dir = render_out.empty() ? render_dir : render_out;
      const report::SavedRun run = report::load_saved_run(render_dir);  // first: is it a run at all?
      options.subject = cli::saved_subject(render_dir);
      detail::OutputSet outputs(out_dir, {"venues"});
      const auto files = report::report_outputs(run.result, run.market, run.config, options,
                                                [](const std::string& name) { return name != "prices.csv"; });
      // In place the run's grids and candles stay; elsewhere nothing of another run is kept.
      std::error_code same_error;
      const bool in_place = render_out.empty() || std::filesystem::equivalent(render_out, render_dir, same_error);
      outputs.write_and_commit(files, [] { return cli::interrupted(); },
                               [in_place](const std::string& name) { return in_place || !liqmap::app::is_standard_output(name); });
      for (const auto& f : files)
        if (!render_quiet) std::cout << "  wrote " << out_dir << "/" << f.name << "\n";
      if (options.at_ts && !render_quiet)
        std::cout << "  clusters at " << report::format_utc(run.result.axes.column_ts[column_at_or_before(run.result, *options.at_ts)])
                  << ", the last column at or before " << report::format_utc(*options.at_ts) << "\n";
    } else if (*score) {
      cli::run_score(score_opts);
    } else if (*backtest_cmd) {
      cli::run_backtest_command(backtest_opts);
    } else if (*cascade_cmd) {
      cli::run_cascade_command(cascade_opts);
    } else if (*calibrate) {
      cli::run_calibrate(calibrate_opts);
    } else if (*feed_cmd) {
      return cli::run_feed_command(feed_opts);
    } else if (*fetch_cmd) {
      return cli::run_fetch_command(fetch_opts);
    } else if (*bench) {
      cli::run_bench(bench_opts);
    } else if (*batch) {
      return cli::run_batch(batch_opts);
    } else if (*serve) {
      return cli::run_serve(serve_opts);
    }
  } catch (const Error& e) {
    if (e.code() == ErrorCode::cancelled && cli::interrupted()) {
      std::cerr << "liqmap: interrupted; no output written\n";
      return exit_code(e.code());
    }
    if (map_opts.json) std::cout << cli::error_json(error_code_name(e.code()), e.what()).dump(1) << "\n";
    std::cerr << "liqmap: error (" << error_code_name(e.code()) << "): " << e.what() << "\n";
    return exit_code(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "liqmap: error (out_of_memory): the host ran out of memory\n";
    return 4;
  } catch (const std::exception& e) {
    std::cerr << "liqmap: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
