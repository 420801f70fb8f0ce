// `liqmap score` and `liqmap calibrate` (docs/model.md, "Calibrate and score").
#include "calibrate_command.hpp"

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>

#include "app/map_market.hpp"
#include "app/map_window.hpp"
#include "calibrate/bars.hpp"
#include "calibrate/calibrate.hpp"
#include "liqmap/error.hpp"
#include "map_options.hpp"
#include "outputs/atomic_output.hpp"
#include "liqmap/io.hpp"
#include "report/saved_run.hpp"
#include "text/human_format.hpp"

namespace liqmap::cli {
namespace {

nlohmann::json side_json(const calibrate::SideScore& s) {
  const auto c = [](const calibrate::Correlation& x) { return nlohmann::json{{"value", x.value}, {"ci95", {x.low, x.high}}}; };
  return {{"spearman", c(s.spearman)}, {"pearson", c(s.pearson)}};
}

void print_side(const char* name, const calibrate::SideScore& s) {
  std::printf("  %-27s spearman %.3f [%.3f, %.3f]   pearson %.3f [%.3f, %.3f]\n", name, s.spearman.value,
              s.spearman.low, s.spearman.high, s.pearson.value, s.pearson.low, s.pearson.high);
}

// The realized bars from `from_text` to `to_text`, refused when the window is reversed or holds
// fewer than `least` bars: the message names the window and where the file's bars start and end.
calibrate::RealizedBars realized_window(const calibrate::RealizedBars& all, const std::string& path,
                                        const std::string& from_text, const std::string& to_text, const char* from_name,
                                        const char* to_name, std::size_t least, const char* who) {
  const auto from = parse_time_option(from_text, from_name, true);
  const auto to = parse_time_option(to_text, to_name, true);
  app::require_ordered_window(from, to, from_name, to_name);
  calibrate::RealizedBars bars = calibrate::window(all, from, to);
  if (bars.ts.size() >= least) return bars;
  const std::string file = "the realized file " + path + ", " + std::to_string(all.ts.size()) + " bars,";
  std::string where;
  if (bars.ts.empty()) {
    where = app::empty_window_reason(all.ts, from, to, from_name, to_name, file);
  } else {
    where = app::window_text(from, to, from_name, to_name) + app::span_text(all.ts, file);
  }
  throw Error(ErrorCode::input, std::to_string(bars.ts.size()) + " realized bar(s) lie in the window " + where + ": " + who +
                                    " needs at least " + std::to_string(least));
}

// The options both commands share: the bar compared at and the venues on each side.
void add_bar_options(CLI::App& cmd, std::string& bar, std::string& realized_venues, std::string& oi_venues) {
  cmd.add_option("--bar", bar, "bar compared at (5m, 1h, 4h, 1d): the realized bars are summed into it; default: the "
                               "realized file's own spacing (refused when irregular)");
  cmd.add_option("--realized-venues", realized_venues, "venues the realized file covers, e.g. binance,bybit,okx (stated in "
                                                       "the output; levels relate by their share of the OI's venues)");
  cmd.add_option("--oi-venues", oi_venues, "venues of the open interest behind the map, e.g. binance or all");
}

struct ComparedBars {
  calibrate::RealizedBars bars;
  std::vector<std::string> realized_venues, oi_venues;
  std::string note;           // what the venues mean for the levels
  std::size_t dropped = 0;    // coarser bars left out for a missing realized row
};

// The realized bars of the window, at the bar compared at, with what the venues mean for them.
ComparedBars compared_bars(const std::string& path, const std::string& bar, const std::string& from,
                           const std::string& to, const std::string& realized_venues, const std::string& oi_venues,
                           const char* from_name, const char* to_name, std::size_t least, const char* who) {
  ComparedBars c;
  const calibrate::RealizedBars all = calibrate::read_realized(path);
  const std::int64_t spacing = calibrate::realized_spacing(all, path);
  const calibrate::RealizedBars in = realized_window(all, path, from, to, from_name, to_name, least, who);
  c.bars = calibrate::to_bars(in, spacing, bar.empty() ? spacing : calibrate::parse_bar(bar, "--bar"), path, &c.dropped);
  if (c.bars.ts.size() < least)
    throw Error(ErrorCode::input, std::to_string(c.bars.ts.size()) + " whole bar(s) of " + calibrate::format_bar(c.bars.bar_ms) +
                                      " in the window: " + who + " needs at least " + std::to_string(least));
  if (!realized_venues.empty()) c.realized_venues = calibrate::parse_venues(realized_venues, "--realized-venues");
  if (!oi_venues.empty()) c.oi_venues = calibrate::parse_venues(oi_venues, "--oi-venues");
  c.note = calibrate::venue_note(c.realized_venues, c.oi_venues);
  return c;
}

}  // namespace

void add_score_options(CLI::App& cmd, ScoreOptions& o) {
  cmd.add_option("dir", o.run_dir, "output folder of `compute` (liquidations.csv, prices.csv, axes.json)")
      ->required()->check(CLI::ExistingDirectory);
  cmd.add_option("--realized", o.realized, "realized liquidations: ts,long_usd,short_usd per bar")->required();
  cmd.add_option("--from", o.from, "first bar scored (ISO-8601 UTC or epoch ms)");
  cmd.add_option("--to", o.to, "last bar scored");
  cmd.add_option("--bootstrap", o.bootstrap, "bootstrap draws for the 95% intervals")->check(CLI::Range(0, 100000));
  cmd.add_flag("--json", o.json, "print the scores as JSON");
  add_bar_options(cmd, o.bar, o.realized_venues, o.oi_venues);
}

void add_calibrate_options(CLI::App& cmd, CalibrateOptions& o) {
  cmd.add_option("--market", o.market, "candle file(s), as for compute")->required();
  cmd.add_option("--oi", o.oi, "open-interest file(s) joined as-of, as for compute");
  cmd.add_option("--oi-unit", o.oi_unit, "base (coins) or quote (USD)")->check(CLI::IsMember({"base", "quote"}));
  cmd.add_option("--realized", o.realized, "realized liquidations: ts,long_usd,short_usd per bar")->required();
  cmd.add_option("--train-from", o.train_from, "first training bar (ISO-8601 UTC or epoch ms)");
  cmd.add_option("--train-to", o.train_to, "last training bar");
  cmd.add_option("--config", o.config_path, "start config (JSON); its other values are kept");
  cmd.add_option("--write", o.out_path, "fitted config to write (JSON, for compute --config)")->required();
  cmd.add_option("--threads", o.threads, "CPU threads (0 = all)")->check(cli::thread_count());
  cmd.add_option("--tolerance", o.tolerance, "keep the lowest turnover within this of the best objective (0 = the best)")
      ->check(CLI::Range(0.0, 1.0));
  add_bar_options(cmd, o.bar, o.realized_venues, o.oi_venues);
}

void run_score(const ScoreOptions& o) {
  const report::SavedRun run = report::load_saved_run(o.run_dir);
  const ComparedBars compared =
      compared_bars(o.realized, o.bar, o.from, o.to, o.realized_venues, o.oi_venues, "--from", "--to", 3, "score");
  const calibrate::RealizedBars& bars = compared.bars;
  const Market& m = run.market;
  std::vector<bool> covered;
  const auto model_long = calibrate::sum_into_bars(m.ts, run.result.liq_long, bars, &covered);
  const auto model_short = calibrate::sum_into_bars(m.ts, run.result.liq_short, bars);
  for (std::size_t i = 0; i < covered.size(); ++i)
    if (!covered[i])
      throw Error(ErrorCode::input, "the realized bar at " + io::format_timestamp(bars.ts[i]) +
                                        " lies outside the run: choose --from/--to inside it");
  // The open interest at each step: that of the column showing it (the map's own OI).
  std::vector<double> oi;
  const Axes& a = run.result.axes;
  if (!a.column_oi_usd.empty()) {
    std::size_t c = 0;
    for (std::size_t t = 0; t < m.size(); ++t) {
      while (c + 1 < a.column_step.size() && a.column_step[c] < t) ++c;
      oi.push_back(a.column_oi_usd[c]);
    }
  }
  const calibrate::Baselines base = calibrate::baselines(m.ts, m.open, m.high, m.low, oi, bars.ts, bars.bar_ms);
  const auto score = [&](const std::vector<double>& p, const std::vector<double>& r) {
    return calibrate::score_side(p, r, o.bootstrap);
  };
  const calibrate::SideScore rows[6] = {score(model_long, bars.long_usd),        score(model_short, bars.short_usd),
                                        score(base.extreme_long, bars.long_usd), score(base.extreme_short, bars.short_usd),
                                        score(base.range, bars.long_usd),        score(base.range, bars.short_usd)};
  const char* names[6] = {"model long", "model short", "open-to-extreme x OI long", "open-to-extreme x OI short",
                          "candle range x OI long", "candle range x OI short"};
  if (o.json) {
    nlohmann::json j = {{"bars", bars.ts.size()},
                        {"from", io::format_timestamp(bars.ts.front())},
                        {"to", io::format_timestamp(bars.ts.back())},
                        {"oi_in_baselines", !oi.empty()},
                        {"bar", calibrate::format_bar(bars.bar_ms)},
                        {"bar_ms", bars.bar_ms},
                        {"bars_dropped_incomplete", compared.dropped},
                        {"realized_venues", compared.realized_venues},
                        {"oi_venues", compared.oi_venues},
                        {"venues", compared.note}};
    const char* keys[6] = {"model_long", "model_short", "extreme_long", "extreme_short", "range_long", "range_short"};
    for (int i = 0; i < 6; ++i) j[keys[i]] = side_json(rows[i]);
    std::cout << j.dump(1) << "\n";
    return;
  }
  std::printf("score: %zu bars of %s %s .. %s (bootstrap 95%% intervals, %d draws)\n", bars.ts.size(),
              calibrate::format_bar(bars.bar_ms).c_str(), io::format_timestamp(bars.ts.front()).c_str(),
              io::format_timestamp(bars.ts.back()).c_str(), o.bootstrap);
  if (compared.dropped > 0) std::printf("  (%zu bar(s) left out: a realized row of theirs is missing)\n", compared.dropped);
  std::printf("  %s\n", compared.note.c_str());
  for (int i = 0; i < 6; ++i) print_side(names[i], rows[i]);
  if (oi.empty()) std::printf("  (the run has no open interest: the baselines use the candles alone)\n");
}

void run_calibrate(const CalibrateOptions& o) {
  Config config = o.config_path.empty() ? default_config() : load_config_file(o.config_path);
  // Under a name of its own beside the target (two runs never mix their fits), renamed at the
  // end; made first, so that an unusable --write costs no fit.
  detail::AtomicFile file(o.out_path);
  // The training window first: a window beside the realized file costs no market read.
  const ComparedBars compared = compared_bars(o.realized, o.bar, o.train_from, o.train_to, o.realized_venues,
                                              o.oi_venues, "--train-from", "--train-to", 10, "calibrate");
  io::ReadOptions read;
  if (!o.oi_unit.empty()) read.oi_unit = o.oi_unit == "quote" ? OiUnit::quote : OiUnit::base;
  // Read as `liqmap compute` reads it, defaults included (the candles-only half-life), so that
  // the fit is of the model the maps run.
  const io::MarketData data = app::read_map_market(o.market, o.oi, read, config);
  for (const std::string& notice : data.notices) std::fprintf(stderr, "liqmap: note: %s\n", notice.c_str());
  const calibrate::Calibration fit = calibrate::fit(data.market, config, compared.bars, o.threads, o.tolerance);
  nlohmann::json j = calibrate::calibration_json(fit, o.realized, o.train_from, o.train_to);
  j["calibration"]["bar"] = calibrate::format_bar(compared.bars.bar_ms);
  j["calibration"]["bars_dropped_incomplete"] = compared.dropped;
  j["calibration"]["realized_venues"] = compared.realized_venues;
  j["calibration"]["oi_venues"] = compared.oi_venues;
  j["calibration"]["venues"] = compared.note;
  file.stream() << j.dump(2) << "\n";
  file.commit();
  std::printf("calibrate: %zu training bars of %s, %d flow solves\n  %s\n", fit.bars,
              calibrate::format_bar(compared.bars.bar_ms).c_str(), fit.evaluations, compared.note.c_str());
  std::printf("  flow.turnover      %.4g\n  positions.same_bar %s\n  positions.entry    %s\n", fit.best.turnover,
              fit.best.same_bar ? "true" : "false", to_string(fit.best.entry));
  std::printf("  train spearman     long %.3f  short %.3f\n  wrote              %s\n", fit.best.spearman_long,
              fit.best.spearman_short, o.out_path.c_str());
}

}  // namespace liqmap::cli
