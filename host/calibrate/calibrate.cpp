#include "calibrate/calibrate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "model/plan.hpp"

namespace liqmap::calibrate {
namespace {

// One discrete choice (same-bar switch, entry mode) with its liquidation table built once;
// each turnover is then one forward solve.
struct Candidate {
  detail::OiFlowParts parts;
  const RealizedBars* train;
  const std::vector<std::int64_t>* step_ts;
  int* evaluations;

  Trial score(Trial t) const {
    detail::FlowInputs in = parts.inputs;
    in.turnover = t.turnover;
    const detail::FlowSolution s = detail::solve_flow(in, parts.table);
    ++*evaluations;
    t.spearman_long = spearman(sum_into_bars(*step_ts, s.liquidated[0], *train), train->long_usd);
    t.spearman_short = spearman(sum_into_bars(*step_ts, s.liquidated[1], *train), train->short_usd);
    return t;
  }
};

// A scan over log10(turnover) in [-3, 1] in steps of 1/8: the rank objective is not smooth
// in the turnover, so a scan is safer than a local search, and each point is one flow solve.
void scan_turnover(const Candidate& c, Trial base, std::vector<Trial>& trials) {
  for (int i = 0; i <= 32; ++i) {
    Trial t = base;
    t.turnover = std::pow(10.0, -3.0 + 0.125 * i);
    t = c.score(t);
    if (std::getenv("LIQMAP_CALIBRATE_TRACE"))
      std::fprintf(stderr, "calibrate: same_bar %d entry %s turnover %.4g: spearman long %.4f short %.4f\n", t.same_bar,
                   to_string(t.entry), t.turnover, t.spearman_long, t.spearman_short);
    trials.push_back(t);
  }
}

// The parsimonious pick: of the trials within `tolerance` of the best objective, the one with
// the lowest turnover (the slowest book), then the higher objective. Differences below the
// tolerance are well inside the bootstrap intervals of a few hundred bars.
Trial pick(const std::vector<Trial>& trials, double tolerance) {
  double best = -2;
  for (const Trial& t : trials) best = std::max(best, t.objective());
  const Trial* chosen = nullptr;
  for (const Trial& t : trials) {
    if (t.objective() < best - tolerance) continue;
    if (!chosen || t.turnover < chosen->turnover ||
        (t.turnover == chosen->turnover && t.objective() > chosen->objective()))
      chosen = &t;
  }
  return *chosen;
}

}  // namespace

Calibration fit(const Market& market, const Config& start, const RealizedBars& train, int threads,
                double tolerance) {
  if (!market.has_oi())
    throw Error(ErrorCode::input, "calibrate needs open interest (--oi or an 'oi' column): it fits the open-interest flow");
  if (train.ts.size() < 10) throw Error(ErrorCode::input, "calibrate needs at least 10 realized bars in the training window");
  std::vector<bool> covered;
  sum_into_bars(market.ts, std::vector<double>(market.size(), 1.0), train, &covered);
  for (std::size_t i = 0; i < covered.size(); ++i)
    if (!covered[i])
      throw Error(ErrorCode::input, "the realized bar at " + io::format_timestamp(train.ts[i]) +
                                        " has no candle in the market: choose a training window inside the market");
  Calibration result;
  result.bars = train.ts.size();
  std::vector<Trial> trials;
  for (const bool same_bar : {true, false})
    for (const EntryMode entry : {EntryMode::uniform, EntryMode::triangular}) {
      Config config = start;
      config.flow.source = FlowSource::oi;
      config.positions.same_bar = same_bar;
      config.positions.entry = entry;
      const detail::Plan plan = detail::build_plan(market, config, threads);
      const Candidate candidate{detail::oi_flow_parts(market, config, plan, threads), &train, &market.ts,
                                &result.evaluations};
      Trial base;
      base.same_bar = same_bar;
      base.entry = entry;
      scan_turnover(candidate, base, trials);
    }
  result.tolerance = tolerance;
  result.best = pick(trials, tolerance);
  for (const Trial& t : trials) result.best_objective = std::max(result.best_objective, t.objective());
  result.config = start;
  result.config.flow.turnover = result.best.turnover;
  result.config.positions.same_bar = result.best.same_bar;
  result.config.positions.entry = result.best.entry;
  return result;
}

nlohmann::json calibration_json(const Calibration& c, const std::string& realized_path, const std::string& from,
                             const std::string& to) {
  nlohmann::json j = nlohmann::json::parse(config_to_json(c.config));
  j["calibration"] = {{"realized", realized_path},
                      {"train_from", from},
                      {"train_to", to},
                      {"bars", c.bars},
                      {"objective", "mean of the long and short Spearman correlations per bar"},
                      {"fitted", {"flow.turnover", "positions.same_bar", "positions.entry"}},
                      {"pick", "the lowest turnover within " + std::to_string(c.tolerance).substr(0, 5) +
                                   " of the best objective (" + std::to_string(c.best_objective) + ")"},
                      {"train_spearman_long", c.best.spearman_long},
                      {"train_spearman_short", c.best.spearman_short},
                      {"flow_solves", c.evaluations}};
  return j;
}

}  // namespace liqmap::calibrate
