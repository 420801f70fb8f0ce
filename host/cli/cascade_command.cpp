// `liqmap cascade RUN_DIR --shock -4%`: the knock-on of a shock on the map at one time.
#include "cascade_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cascade/cascade.hpp"
#include "cascade/cascade_outputs.hpp"
#include "interrupt.hpp"
#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "outputs/atomic_output.hpp"
#include "report/format.hpp"
#include "report/saved_run.hpp"
#include "text/human_format.hpp"

namespace liqmap::cli {
namespace {

double parse_shock(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const bool percent = used < text.size() && text.substr(used) == "%";
  if (used == 0 || (used != text.size() && !percent) || !(value > -100) || value == 0 || !std::isfinite(value))
    throw Error(ErrorCode::invalid_argument, "--shock '" + text + "': expected a move in percent above -100, not 0 (-4%, 3.5%)");
  return value / 100.0;
}

}  // namespace

void add_cascade_options(CLI::App& cmd, CascadeOptions& o) {
  cmd.add_option("dir", o.run_dir, "output folder of `compute` or `demo` (long.npy, short.npy, axes.json, prices.csv)")
      ->required()->check(CLI::ExistingDirectory);
  auto* shock = cmd.add_option("--shock", o.shock, "the move that starts it, in % of the close (-4% or 3%)");
  auto* target = cmd.add_option("--target", o.target, "or the price the shock takes the market to")->check(CLI::PositiveNumber);
  shock->excludes(target);
  cmd.add_option("--at", o.at, "the map's time (ISO-8601 UTC or epoch ms; default: the last column)");
  cmd.add_option("--market", o.market, "the run's candle file(s), with volume: daily volume and volatility before --at");
  cmd.add_option("--daily-volume", o.daily_volume, "daily traded notional in USD (instead of --market's volume)")
      ->check(CLI::PositiveNumber);
  cmd.add_option("--volume-scale", o.volume_scale,
                 "the volume behind the open interest as a multiple of --market's (e.g. 4 when the file holds one\n"
                 "venue's spot volume and the open interest is all exchanges'); default 1: the file's as it is")
      ->check(CLI::Range(1e-3, 1e6))->capture_default_str();
  cmd.add_option("--sigma", o.sigma, "daily volatility as a fraction (default: from the candles)")->check(CLI::NonNegativeNumber);
  cmd.add_option("--impact-y", o.impact_y, "Y of the square-root impact law")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd.add_option("--depth-days", o.depth_days, "days of candles before --at for sigma and volume")
      ->check(CLI::Range(0.1, 3650.0))->capture_default_str();
  cmd.add_option("--out", o.out_dir, "folder for cascade.json and cascade.png (default: the run's folder)");
  cmd.add_flag("--json", o.json, "print cascade.json on stdout instead of the summary");
  cmd.add_flag("--quiet,-q", o.quiet, "print nothing but errors");
}

void run_cascade_command(const CascadeOptions& o) {
  if (o.volume_scale != 1.0 && o.market.empty())
    throw Error(ErrorCode::invalid_argument, "--volume-scale scales --market's volume: give --market (or --daily-volume USD alone)");
  if (o.shock.empty() && !o.target) throw Error(ErrorCode::invalid_argument, "cascade: give --shock PERCENT or --target PRICE");
  const double shock = o.shock.empty() ? 0.0 : parse_shock(o.shock);
  std::optional<std::int64_t> at;
  if (!o.at.empty()) {
    at = io::parse_timestamp_ms(o.at);
    if (!at) throw Error(ErrorCode::invalid_argument, "--at '" + o.at + "': expected ISO-8601 UTC or epoch ms");
  }
  const report::SavedRun run = report::load_saved_run(o.run_dir);
  const std::size_t column = at ? column_at_or_before(run.result, *at) : run.result.axes.column_ts.size() - 1;
  const std::size_t step = run.result.axes.column_step.at(column);
  const std::int64_t ts = run.market.ts.at(step);

  cascade::Depth depth = cascade::estimate_depth(run.market, step, o.depth_days);
  std::string depth_source = "sigma from the run's candles (prices.csv)";
  if (!o.market.empty()) {  // the run's own candle file: volume, and sigma from the same bars
    const io::MarketData data = io::read_market(io::expand_paths(o.market));
    const auto& t = data.market.ts;
    const auto it = std::upper_bound(t.begin(), t.end(), ts);
    if (it == t.begin()) throw Error(ErrorCode::input, "cascade: --market has no candle at or before " + report::format_utc(ts));
    depth = cascade::estimate_depth(data.market, std::size_t(it - t.begin()) - 1, o.depth_days);
    depth.volume_daily_usd *= o.volume_scale;
    depth_source = o.volume_scale == 1.0
                       ? "sigma and volume from --market: that file's own traded volume (one venue's, or spot), "
                         "against the run's open interest (CoinGlass's is all exchanges'); --volume-scale or "
                         "--daily-volume gives the market's"
                       : "sigma and volume from --market, its traded volume x " + text::shortest(o.volume_scale) +
                             " (--volume-scale: the volume behind the run's open interest)";
    if (depth.volume_daily_usd <= 0 && !o.daily_volume)
      throw Error(ErrorCode::input, "cascade: --market has no volume before " + report::format_utc(ts) + "; give --daily-volume USD");
  }
  cascade::Inputs in;
  in.profile = cascade::column_profile(run.result, column);
  in.start_price = run.market.close[step];
  in.shocked_price = o.target ? *o.target : in.start_price * (1 + shock);
  in.sigma_daily = o.sigma.value_or(depth.sigma_daily);
  in.volume_daily_usd = o.daily_volume.value_or(depth.volume_daily_usd);
  in.impact_y = o.impact_y;
  if (!(in.volume_daily_usd > 0))
    throw Error(ErrorCode::invalid_argument, "cascade needs the daily traded notional: pass --market (the run's candle file, "
                                             "with volume) or --daily-volume USD (prices.csv has no volume)");
  const auto started = std::chrono::steady_clock::now();
  const cascade::Outcome out = cascade::simulate(in);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const nlohmann::json context = {{"run", o.run_dir}, {"time", report::format_utc(ts)}, {"ts", ts}, {"column", column},
                                  {"depth", depth_source}, {"depth_days", o.depth_days}, {"depth_bars", depth.bars},
                                  {"seconds", seconds}};
  const nlohmann::json json = cascade::cascade_json(in, out, context);
  const std::string out_dir = o.out_dir.empty() ? o.run_dir : o.out_dir;
  detail::OutputSet outputs(out_dir);
  std::vector<detail::OutputFile> files = {{"cascade.json", [&](const std::string& p, const detail::CancelFn&) {
                                              std::ofstream f(p);
                                              f << json.dump(1) << "\n";
                                              if (!f) throw Error(ErrorCode::io, "cannot write '" + p + "'");
                                            }}};
  if (cascade::can_draw_cascade_png())
    files.push_back({"cascade.png", [&](const std::string& p, const detail::CancelFn&) { cascade::write_cascade_png(p, in, out); }});
  outputs.write_and_commit(files, [] { return interrupted(); });
  if (o.json) {
    std::cout << json.dump(1) << "\n";
    return;
  }
  if (o.quiet) return;
  std::printf("cascade at %s: close %s, shock to %s\n", report::format_utc(ts).c_str(),
              report::format_price(in.start_price).c_str(), report::format_price(in.shocked_price).c_str());
  std::printf("  impact       Y %.3g x sigma %.4f/day x sqrt(Q / V), V %s/day (%s)\n", in.impact_y, in.sigma_daily,
              text::usd(in.volume_daily_usd).c_str(), depth_source.c_str());
  std::printf("  rounds       %zu%s\n", out.path.size() - 1, out.converged ? "" : " (stopped: iteration limit)");
  std::printf("  liquidated   longs %s, shorts %s\n", text::usd(out.long_usd).c_str(), text::usd(out.short_usd).c_str());
  std::printf("  final price  %s (%+.2f%% beyond the shock)\n", report::format_price(out.final_price).c_str(),
              out.extra_move_pct);
  for (const auto& f : files) std::printf("  wrote %s/%s\n", out_dir.c_str(), f.name.c_str());
}

}  // namespace liqmap::cli
