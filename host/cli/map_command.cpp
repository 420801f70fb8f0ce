#include "map_command.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>

#include "app/map_job.hpp"
#include "app/map_market.hpp"
#include "app/map_outputs.hpp"
#include "interrupt.hpp"
#include "live_command.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "outputs/atomic_output.hpp"
#include "progress.hpp"
#include "report/format.hpp"
#include "summary.hpp"
#include "venues_command.hpp"

namespace liqmap::cli {
namespace {

Config job_config(const MapOptions& o, Config defaults, const std::string& symbol) {
  app::ConfigOptions options;
  options.bins = o.bins;
  options.samples = o.samples;
  options.price_min = o.price_min;
  options.price_max = o.price_max;
  options.seed = o.seed;
  options.log_price = o.log_price;
  options.symbol = symbol;
  return app::resolve_config(std::move(defaults), o.config_path, std::nullopt, options);
}

void print_notices(const std::vector<std::string>& notices, const MapOptions& o) {
  if (o.quiet) return;
  for (const std::string& notice : notices) std::cerr << "liqmap: note: " << notice << "\n";
}

void print_summary(const app::MapRun& run, const MapOptions& o, double seconds) {
  const Result& drawn = run.drawn.result;
  const Market& market = run.drawn.market;
  if (o.json) {
    nlohmann::json summary = run_summary_json(drawn, market, o.out_dir, seconds, run.notices);
    for (const app::MapView& v : run.venues)
      summary["venues"].push_back({{"name", v.name},
                                   {"opened_usd", v.result.stats.opened_usd},
                                   {"liquidated_usd", v.result.stats.liquidated_usd},
                                   {"folder", o.out_dir + "/venues/" + v.name}});
    std::cout << summary.dump(1) << "\n";
    return;
  }
  if (o.quiet) return;
  print_run_summary(std::cout, drawn, seconds);
  for (const app::MapView& v : run.venues)
    std::cout << "  venue " << v.name << std::string(13 - std::min<std::size_t>(12, v.name.size()), ' ')
              << report::format_usd(v.result.stats.opened_usd) << " opened, "
              << report::format_usd(v.result.stats.liquidated_usd) << " liquidated (venues/" << v.name << ")\n";
  std::cout << "  drawn              " << io::format_timestamp(market.ts.front()) << " .. "
            << io::format_timestamp(market.ts.back()) << " (" << market.size() << " bars)\n";
  std::cout << "  outputs in         " << o.out_dir << "\n";
}

// The job's run and files: everything after the markets are in memory.
void run_job(app::MapJob job, app::MapMarkets markets, const MapOptions& o) {
  job.from_end_ms = app::span_before_end_ms(o.from);
  if (!job.from_end_ms) job.from = parse_time_option(o.from, "--from", o.quiet);
  if (!o.range.empty()) job.range_ms = app::range_preset_ms(o.range);
  job.to = parse_time_option(o.to, "--to", o.quiet);
  job.map_at = parse_time_option(o.map_at, "--map-at", o.quiet);
  job.show_warmup = o.show_warmup;
  job.run.backend = parse_backend(o.backend);
  job.run.threads = o.threads;
  const report::ReportOptions drawing = report_options(o.report);
  report::validate(drawing);  // before the run, so a bad option costs nothing
  app::OutputChoice choice = app::parse_output_choice(o.outputs);
  choice.grid_type = detail::parse_grid_type(o.grid_type);
  detail::OutputSet outputs(o.out_dir, {"venues"});  // an unusable --out is refused before the computation
  job.output_bytes = app::output_memory_bytes(job.config, choice, drawing);
  job.on_notices = [&o](const std::vector<std::string>& notices) { print_notices(notices, o); };

  const app::MapRun run = [&] {
    const ProgressBar bar(o.quiet || o.json);  // cleared before the summary is printed
    job.run.progress = bar.callback();
    return app::compute_map(job, std::move(markets));
  }();
  const auto start = std::chrono::steady_clock::now();
  outputs.write_and_commit(app::map_files(run, choice, drawing), [] { return interrupted(); },
                           [](const std::string& name) { return !app::is_standard_output(name); });
  print_summary(run, o, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace

void run_compute(const MapOptions& o, const DataOptions& d) {
  app::MapJob job;
  job.config = job_config(o, default_config(), d.symbol);
  app::MapInputs inputs;
  inputs.market = d.market;  // beside venues: refused by read_map_markets, with the reason
  inputs.oi = d.oi;
  if (uses_venues(d, job.config)) inputs.venues = chosen_venues(d, job.config);
  inputs.read.format = io::parse_market_format(d.format);
  inputs.read.drop_bad_rows = d.drop_bad_rows;
  if (!d.oi_unit.empty()) inputs.read.oi_unit = d.oi_unit == "quote" ? OiUnit::quote : OiUnit::base;
  if (!d.state.empty()) return run_state_compute(o, d.state, inputs, std::move(job.config));
  app::MapMarkets markets = app::read_map_markets(inputs, job.config);
  run_job(std::move(job), std::move(markets), o);
}

void run_demo(const MapOptions& o, SyntheticOptions synthetic) {
  app::MapJob job;
  job.config = job_config(o, demo_config(), "");
  synthetic.seed = job.config.positions.seed;
  app::MapMarkets markets;
  markets.market = synthetic_market(synthetic);
  run_job(std::move(job), std::move(markets), o);
}

}  // namespace liqmap::cli
