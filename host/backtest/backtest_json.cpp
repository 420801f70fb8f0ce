// backtest.json: every number of the report, and each event's decision and outcome.
#include "backtest/backtest_json.hpp"

#include <cmath>
#include <ctime>

namespace liqmap::backtest {
namespace {

std::string iso_utc(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

nlohmann::json rate_json(const Rate& r) {
  return {{"hits", r.hits}, {"n", r.n}, {"rate", r.value}, {"low", r.low}, {"high", r.high}};
}

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json group_json(const Group& g) {
  nlohmann::json rules = nlohmann::json::object();
  for (const Rule rule : kAllRules) {
    const RuleStats& s = g.rules[std::size_t(rule)];
    rules[to_string(rule)] = {{"first", rate_json(s.first)},
                              {"touched", rate_json(s.touched)},
                              {"swept_reversed", rate_json(s.swept_reversed)},
                              {"median_hours_to_touch", number_or_null(s.median_hours_to_touch)},
                              {"p_first", s.p_first},
                              {"p_touched", s.p_touched},
                              {"p_swept_reversed", s.p_swept}};
  }
  return {{"label", g.label}, {"events", g.events}, {"p_cluster_first_vs_half", g.p_first_vs_half}, {"rules", rules}};
}

}  // namespace

nlohmann::json backtest_json(const Report& r) {
  const Options& o = r.options;
  nlohmann::json horizons = nlohmann::json::array();
  for (const HorizonReport& h : r.horizons) {
    nlohmann::json deciles = nlohmann::json::array(), distances = nlohmann::json::array();
    for (const Group& g : h.by_size_decile) deciles.push_back(group_json(g));
    for (const Group& g : h.by_distance) distances.push_back(group_json(g));
    nlohmann::json events = nlohmann::json::array();
    for (const Event& e : h.events) {
      const Outcome& c = e.outcomes[0];
      events.push_back({{"ts", e.decision.ts},
                        {"price", e.decision.price},
                        {"side", to_string(e.decision.side)},
                        {"distance_pct", e.decision.distance_pct},
                        {"cluster_usd", e.decision.cluster_usd},
                        {"level", e.decision.level[0]},
                        {"decided", c.decided},
                        {"first", c.first},
                        {"touched", c.touched},
                        {"swept_reversed", c.swept_reversed}});
    }
    horizons.push_back({{"horizon_hours", double(h.horizon_ms) / 3600000.0},
                        {"every_hours", double(h.every_ms) / 3600000.0},
                        {"intervals", h.interval_method},
                        {"evaluations", h.evaluations},
                        {"without_cluster", h.without_cluster},
                        {"all", group_json(h.all)},
                        {"by_size_decile", deciles},
                        {"by_distance", distances},
                        {"events", events}});
  }
  return {{"run", r.run_dir},
          {"first_bar", iso_utc(r.first_ts)},
          {"last_bar", iso_utc(r.last_ts)},
          {"options",
           {{"min_distance_pct", o.min_distance_pct},
            {"max_distance_pct", o.max_distance_pct},
            {"reverse_bars", o.reverse_bars},
            {"seed", o.seed},
            {"bootstrap_draws", o.bootstrap_draws},
            {"min_prominence", o.clusters.min_prominence}}},
          {"horizons", horizons}};
}

}  // namespace liqmap::backtest
