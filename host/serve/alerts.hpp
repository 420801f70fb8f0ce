// Alerts on the live map (README "Serve"): rules read from --alert, checked against each new run
// generation's clusters.json and the latest close.
//
//   within P% of a [long|short|above|below] cluster|zone [>= $X]
//
// P: distance from the latest close in percent (0 < P <= 100). "long" = "below" (long
// liquidations lie below the price), "short" = "above"; no side: either. A cluster is one of
// clusters.json's peaks (its USD in its bin); a zone one of its zones (its USD over the zone,
// at distance 0 when the close is inside it). X: USD with an optional k, M, B or T ("$200M",
// "1.5B", "750k"); no threshold: any size. Examples:
//   within 1.5% of a cluster >= $200M
//   within 3% of a short cluster >= $1B
//   within 0.5% of a zone
// A rule fires when a generation's set of matching clusters differs from the last one it fired
// for and is not empty (a cluster that stays near the price fires once).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serve/live_run.hpp"

namespace liqmap::serve {

struct AlertRule {
  std::string text;  // as given
  double within_pct = 0;
  std::optional<std::string> side;  // "above" or "below"; none: either
  bool zones = false;               // zones instead of clusters
  double min_usd = 0;
};

// Throws Error(invalid_argument) naming the word that does not fit and the syntax.
AlertRule parse_alert(const std::string& text);

struct AlertMatch {
  double price = 0;  // the cluster's price, or the zone's nearest edge
  double usd = 0;
  std::string side;
  double distance_pct = 0;  // from the latest close, signed
};

// The clusters (or zones) of `s` that `rule` matches, nearest first.
std::vector<AlertMatch> matches(const AlertRule& rule, const Snapshot& s);

// One firing: the rule, the generation, the matches; line() is what stdout prints.
struct AlertEvent {
  std::string rule;
  std::uint64_t generation = 0;
  std::int64_t ts = 0;
  double close = 0;
  std::vector<AlertMatch> found;
  nlohmann::json json() const;
  std::string line() const;
};

// The rules and what each last fired for.
class Alerts {
 public:
  explicit Alerts(std::vector<AlertRule> rules) : rules_(std::move(rules)), fired_(rules_.size()) {}
  // The events of this generation (edge-triggered, see above).
  std::vector<AlertEvent> check(const Snapshot& s);
  const std::vector<AlertRule>& rules() const { return rules_; }

 private:
  std::vector<AlertRule> rules_;
  std::vector<std::set<long long>> fired_;  // per rule: the matches' prices (in cents) last fired
};

}  // namespace liqmap::serve
