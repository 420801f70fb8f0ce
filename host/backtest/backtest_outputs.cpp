// backtest.json, backtest.md and the review.md section.
#include "backtest/backtest_outputs.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "liqmap/error.hpp"
#include "report/file_io.hpp"
#include "report/format.hpp"

namespace liqmap::backtest {
namespace {

constexpr const char* kReviewHeading = "## Backtest: do clusters act as magnets?";

std::string hours_label(std::int64_t ms) {
  const double hours = double(ms) / 3600000.0;
  char text[32];
  if (ms % 3600000 != 0) std::snprintf(text, sizeof text, "%gm", double(ms) / 60000.0);
  else if (ms % (7 * 86400000LL) == 0) std::snprintf(text, sizeof text, "%gw", hours / 168);
  else if (ms % 86400000LL == 0 && hours >= 48) std::snprintf(text, sizeof text, "%gd", hours / 24);
  else std::snprintf(text, sizeof text, "%gh", hours);
  return text;
}

std::string pct(const Rate& r) {
  if (r.n == 0) return "–";
  char text[64];
  std::snprintf(text, sizeof text, "%.1f%% [%.1f, %.1f]", 100 * r.value, 100 * r.low, 100 * r.high);
  return text;
}

std::string p_value(double p) {
  char text[32];
  if (p < 0.001) std::snprintf(text, sizeof text, "<0.001");
  else std::snprintf(text, sizeof text, "%.3f", p);
  return text;
}

std::string hours(double h) {
  if (!std::isfinite(h)) return "–";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f h", h);
  return text;
}

void rule_table(std::ostream& out, const Group& g) {
  out << "| rule | first (of decided) | p vs cluster | touched | p | sweep & reverse | p | median time to touch |\n"
         "|---|---|---|---|---|---|---|---|\n";
  for (const Rule rule : kAllRules) {
    const RuleStats& s = g.rules[std::size_t(rule)];
    const bool self = rule == Rule::cluster;
    out << "| " << to_string(rule) << " | " << pct(s.first) << " | " << (self ? "" : p_value(s.p_first)) << " | "
        << pct(s.touched) << " | " << (self ? "" : p_value(s.p_touched)) << " | " << pct(s.swept_reversed) << " | "
        << (self ? "" : p_value(s.p_swept)) << " | " << hours(s.median_hours_to_touch) << " |\n";
  }
}

void breakdown_table(std::ostream& out, const std::vector<Group>& groups) {
  out << "| group | events | cluster first | p vs 0.5 | momentum first | always-down first | cluster sweep & reverse |\n"
         "|---|---|---|---|---|---|---|\n";
  for (const Group& g : groups)
    out << "| " << g.label << " | " << g.events << " | " << pct(g.rules[0].first) << " | " << p_value(g.p_first_vs_half)
        << " | " << pct(g.rules[std::size_t(Rule::momentum)].first) << " | "
        << pct(g.rules[std::size_t(Rule::always_down)].first) << " | " << pct(g.rules[0].swept_reversed) << " |\n";
}

std::string verdict(const HorizonReport& h) {
  const RuleStats& c = h.all.rules[0];
  if (c.first.n == 0) return "no decided event";
  const bool significant = h.all.p_first_vs_half < 0.05;
  std::string s = significant ? (c.first.value > 0.5 ? "clusters drew price (p " : "price moved away from clusters (p ")
                              : "no magnet effect distinguishable from a coin flip (p ";
  s += p_value(h.all.p_first_vs_half) + ")";
  for (const Rule rule : {Rule::momentum, Rule::always_down, Rule::random})
    if (h.all.rules[std::size_t(rule)].first.value > c.first.value && h.all.rules[std::size_t(rule)].first.n > 0)
      s += std::string("; ") + to_string(rule) + " did as well or better (p vs cluster " +
           p_value(h.all.rules[std::size_t(rule)].p_first) + ")";
  return s;
}

std::size_t below_count(const HorizonReport& h) {
  std::size_t n = 0;
  for (const Event& e : h.events) n += e.decision.side == ClusterSide::below;
  return n;
}

}  // namespace

std::string horizon_label(std::int64_t ms) { return hours_label(ms); }

std::string backtest_markdown(const Report& r) {
  std::ostringstream out;
  out << "# Backtest: do liquidation clusters act as price magnets?\n\n"
      << "Run `" << r.run_dir << "`, bars " << report::format_utc(r.first_ts) << " .. " << report::format_utc(r.last_ts)
      << ". At each evaluation time the largest significant cluster (prominence >= "
      << r.options.clusters.min_prominence << " of the column's largest) between " << r.options.min_distance_pct
      << "% and " << r.options.max_distance_pct
      << "% from the close is the cluster level; each rule names one level and races it against the same distance "
         "on the other side. *first*: the rule's level was reached before its mirror, among the windows where either "
         "was; *touched*: reached within the horizon; *sweep & reverse*: pierced, then closed back within "
      << r.options.reverse_bars << " bar(s). 95% intervals in brackets; p-values two-sided against the cluster rule "
         "(docs/backtest.md). Many p-values are printed: about one in twenty falls below 0.05 by chance alone.\n";
  for (const HorizonReport& h : r.horizons) {
    out << "\n## Horizon " << hours_label(h.horizon_ms) << "\n\n"
        << h.evaluations << " evaluation times every " << hours_label(h.every_ms) << " (" << h.interval_method << "), "
        << h.without_cluster << " without a cluster in the band, " << h.events.size() << " events ("
        << below_count(h) << " with the cluster below the close). " << verdict(h) << ".\n\n";
    rule_table(out, h.all);
    out << "\nBy cluster size (USD in its bin, deciles of these events) and by distance:\n\n";
    std::vector<Group> groups = h.by_size_decile;
    groups.insert(groups.end(), h.by_distance.begin(), h.by_distance.end());
    breakdown_table(out, groups);
  }
  return out.str();
}

std::string backtest_summary(const Report& r) {
  std::ostringstream out;
  out << "backtest: bars " << report::format_utc(r.first_ts) << " .. " << report::format_utc(r.last_ts)
      << ", the largest cluster " << r.options.min_distance_pct << "-" << r.options.max_distance_pct
      << "% from the close raced against its mirror\n";
  for (const HorizonReport& h : r.horizons)
    out << "  " << hours_label(h.horizon_ms) << ": " << h.events.size() << " events, cluster first "
        << pct(h.all.rules[0].first) << ", momentum " << pct(h.all.rules[std::size_t(Rule::momentum)].first)
        << ", always-down " << pct(h.all.rules[std::size_t(Rule::always_down)].first) << "; " << verdict(h) << "\n";
  return out.str();
}

std::string review_section(const Report& r) {
  std::ostringstream out;
  out << kReviewHeading << "\n\n"
      << "Largest significant cluster " << r.options.min_distance_pct << "-" << r.options.max_distance_pct
      << "% from the close, raced against the same distance on the other side (`liqmap backtest`, backtest.md):\n\n"
      << "| horizon | events | cluster first | p vs 0.5 | momentum first | always-down first | random first |\n"
         "|---|---|---|---|---|---|---|\n";
  for (const HorizonReport& h : r.horizons)
    out << "| " << hours_label(h.horizon_ms) << " | " << h.events.size() << " | " << pct(h.all.rules[0].first) << " | "
        << p_value(h.all.p_first_vs_half) << " | " << pct(h.all.rules[std::size_t(Rule::momentum)].first) << " | "
        << pct(h.all.rules[std::size_t(Rule::always_down)].first) << " | "
        << pct(h.all.rules[std::size_t(Rule::random)].first) << " |\n";
  return out.str();
}

std::string with_review_section(const std::string& review, const std::string& section) {
  const std::size_t at = review.find(kReviewHeading);
  std::string kept = review;
  if (at != std::string::npos) {
    const std::size_t next = review.find("\n## ", at + 1);  // the section ends at the next heading
    kept = review.substr(0, at) + (next == std::string::npos ? "" : review.substr(next + 1));
  }
  while (!kept.empty() && kept.back() == '\n') kept.pop_back();
  return kept + "\n\n" + section;
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out = report::open_output(path);
  out << text;
  report::finish_output(out, path);
}

}  // namespace liqmap::backtest
