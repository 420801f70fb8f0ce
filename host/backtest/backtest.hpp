// `liqmap backtest`: do liquidation clusters act as price magnets? At evaluation times t, the
// largest significant cluster within a distance band of the close is the "cluster" level; the
// same distance on the other side, a random level, momentum and always-down are the controls.
// Each rule names one level; price then races that level against its mirror (the same distance
// on the other side) over a horizon. docs/backtest.md states the method.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "liqmap/clusters.hpp"
#include "liqmap/config.hpp"
#include "liqmap/market.hpp"
#include "liqmap/result.hpp"

namespace liqmap::backtest {

enum class Rule : int { cluster = 0, mirror = 1, random = 2, momentum = 3, always_down = 4 };
constexpr std::size_t kRules = 5;
const char* to_string(Rule rule);
constexpr std::array<Rule, kRules> kAllRules = {Rule::cluster, Rule::mirror, Rule::random, Rule::momentum,
                                                Rule::always_down};

struct Options {
  double min_distance_pct = 1.0, max_distance_pct = 5.0;  // |level - close| / close, in %
  std::vector<std::int64_t> horizons_ms = {4 * 3600000LL, 24 * 3600000LL, 72 * 3600000LL, 168 * 3600000LL};
  std::optional<std::int64_t> every_ms;  // unset: each horizon's own length (windows do not overlap)
  std::optional<std::int64_t> from_ms, to_ms;  // evaluation times in [from, to]; unset = open
  std::size_t reverse_bars = 3;  // sweep and reverse: a close back on the near side within N bars
  std::optional<std::int64_t> momentum_lookback_ms;  // unset: the horizon
  int bootstrap_draws = 1000;    // block bootstrap, used when windows overlap
  std::uint64_t seed = 1;        // Philox key of the random control
  Config::Clusters clusters;     // significance: the run's clusters section (min_prominence)
};

// Checks ranges; throws Error(invalid_argument) naming the option.
void validate(const Options& options);

// What is decided at t from the map column at t and the candles up to t, and nothing else.
struct Decision {
  std::size_t column = 0, step = 0;
  std::int64_t ts = 0;
  double price = 0;               // close at t
  double cluster_usd = 0;         // smoothed H at the cluster's peak bin (USD in the bin)
  double distance_pct = 0;        // |cluster - close| / close * 100
  ClusterSide side = ClusterSide::above;
  std::array<double, kRules> level{};           // the level each rule names
  std::array<double, kRules> mirror_level{};    // the same distance on the other side
  bool operator==(const Decision& o) const;
};

// The decision at `column` (one of the grid's columns), or none when no significant cluster lies
// in the band. `earlier_distances` are the cluster distances of the evaluation times before this
// one (the random control draws its distance from them, or takes this one's when empty);
// `event` numbers the evaluation time for the Philox counter. Reads smooth_long/smooth_short at
// `column` and market bars up to the column's step only.
std::optional<Decision> decide(const Result& result, const Market& market, std::size_t column,
                               const Options& options, std::int64_t momentum_lookback_ms,
                               const std::vector<double>& earlier_distances, std::uint64_t event);

// What price did after t with one rule's level.
struct Outcome {
  bool touched = false;         // the level was reached within the horizon
  double hours_to_touch = 0;    // from t to the bar that reached it (its close time is not known)
  bool decided = false;         // the level or its mirror was reached within the horizon
  bool first = false;           // the level was reached before its mirror
  bool swept_reversed = false;  // pierced, then a close back on the near side within reverse_bars
};

// Bars after `step` whose open time is within `horizon_ms` of the step's; the bars' path is open ->
// nearer extreme -> farther extreme -> close, so two levels reached in one bar are ordered.
Outcome outcome(const Market& market, std::size_t step, std::int64_t horizon_ms, double level, double mirror,
                std::size_t reverse_bars);

struct Event {
  Decision decision;
  std::array<Outcome, kRules> outcomes;
};

// A rate with its 95% interval (Wilson, or block bootstrap when windows overlap).
struct Rate {
  std::size_t hits = 0, n = 0;
  double value = 0, low = 0, high = 0;
};

// One rule against the cluster rule on the same events.
struct RuleStats {
  Rate first;             // reached its level before the mirror, among decided events
  Rate touched;           // reached its level within the horizon, among all events
  Rate swept_reversed;    // among all events
  double median_hours_to_touch = 0;  // NaN when never touched
  double p_first = 1, p_touched = 1, p_swept = 1;  // two-sided, against the cluster rule (1 for itself)
};

struct Group {
  std::string label;  // "all", "size decile 3 ($1.2M .. $2.0M)", "distance 1.0-2.0%"
  std::size_t events = 0;
  std::array<RuleStats, kRules> rules;
  double p_first_vs_half = 1;  // cluster first rate against 0.5 (exact binomial)
};

struct HorizonReport {
  std::int64_t horizon_ms = 0, every_ms = 0;
  std::string interval_method;  // "wilson" or "block bootstrap (block N)"
  std::size_t evaluations = 0, without_cluster = 0;  // times looked at; of them without a cluster in band
  Group all;
  std::vector<Group> by_size_decile, by_distance;
  std::vector<Event> events;
};

struct Report {
  Options options;
  std::string run_dir;
  std::int64_t first_ts = 0, last_ts = 0;
  std::vector<HorizonReport> horizons;
};

// The whole backtest on a run's grids and candles.
Report run_backtest(const Result& result, const Market& market, const Options& options);

// Summary statistics of a set of events (exposed for tests).
Group summarise(const std::string& label, const std::vector<const Event*>& events, std::size_t block,
                int bootstrap_draws, std::uint64_t seed);

}  // namespace liqmap::backtest
