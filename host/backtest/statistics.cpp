// Rates with 95% intervals and two-sided p-values against the cluster rule (docs/backtest.md).
// Independent windows: Wilson intervals, exact McNemar tests for the paired rules (the same
// events, the same pair of levels) and a two-proportion z-test for the random control (its own
// levels). Overlapping windows: a moving-block bootstrap (calibrate::bootstrap) for both.
#include "backtest/statistics.hpp"

#include <algorithm>
#include <cmath>

#include "calibrate/bootstrap.hpp"

namespace liqmap::backtest {

Rate wilson(std::size_t hits, std::size_t n) {
  Rate r;
  r.hits = hits;
  r.n = n;
  if (n == 0) return r;
  constexpr double z = 1.959963984540054;
  const double p = double(hits) / double(n), nn = double(n);
  const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
  const double half = z / (1 + z * z / nn) * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
  r.value = p;
  r.low = std::max(0.0, centre - half);
  r.high = std::min(1.0, centre + half);
  return r;
}

double binomial_two_sided(std::size_t k, std::size_t n, double p) {
  if (n == 0) return 1.0;
  // Sum the probabilities of every outcome no likelier than k (the exact test's definition).
  const auto log_pmf = [&](std::size_t i) {
    return std::lgamma(double(n) + 1) - std::lgamma(double(i) + 1) - std::lgamma(double(n - i) + 1) +
           double(i) * std::log(p) + double(n - i) * std::log1p(-p);
  };
  const double observed = log_pmf(k) + 1e-9;
  double total = 0;
  for (std::size_t i = 0; i <= n; ++i)
    if (log_pmf(i) <= observed) total += std::exp(log_pmf(i));
  return std::min(1.0, total);
}

double mcnemar(std::size_t only_a, std::size_t only_b) {
  return binomial_two_sided(only_a, only_a + only_b, 0.5);
}

double two_proportions(std::size_t hits_a, std::size_t n_a, std::size_t hits_b, std::size_t n_b) {
  if (n_a == 0 || n_b == 0) return 1.0;
  const double pa = double(hits_a) / double(n_a), pb = double(hits_b) / double(n_b);
  const double pooled = double(hits_a + hits_b) / double(n_a + n_b);
  const double se = std::sqrt(pooled * (1 - pooled) * (1.0 / double(n_a) + 1.0 / double(n_b)));
  if (se == 0) return pa == pb ? 1.0 : 0.0;
  return std::erfc(std::fabs(pa - pb) / se / std::sqrt(2.0));
}

double median(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

namespace {

struct Metric {
  bool (*value)(const Outcome&);
  bool (*counts)(const Outcome&);  // the events the rate is taken over
};
constexpr Metric kFirst = {[](const Outcome& o) { return o.first; }, [](const Outcome& o) { return o.decided; }};
constexpr Metric kTouched = {[](const Outcome& o) { return o.touched; }, [](const Outcome&) { return true; }};
constexpr Metric kSwept = {[](const Outcome& o) { return o.swept_reversed; }, [](const Outcome&) { return true; }};

Rate count_rate(const std::vector<const Event*>& events, Rule rule, const Metric& m) {
  std::size_t hits = 0, n = 0;
  for (const Event* e : events) {
    const Outcome& o = e->outcomes[std::size_t(rule)];
    if (!m.counts(o)) continue;
    ++n;
    hits += m.value(o);
  }
  return wilson(hits, n);
}

// Exact tests on independent windows: McNemar on the events both rules count, else two proportions.
double exact_p(const std::vector<const Event*>& events, Rule rule, const Metric& m, const Rate& cluster, const Rate& other) {
  if (rule == Rule::cluster) return 1.0;
  if (rule == Rule::random) return two_proportions(cluster.hits, cluster.n, other.hits, other.n);
  std::size_t only_cluster = 0, only_rule = 0;
  for (const Event* e : events) {
    const Outcome& a = e->outcomes[std::size_t(Rule::cluster)];
    const Outcome& b = e->outcomes[std::size_t(rule)];
    if (!m.counts(a) || !m.counts(b)) continue;
    only_cluster += m.value(a) && !m.value(b);
    only_rule += m.value(b) && !m.value(a);
  }
  return mcnemar(only_cluster, only_rule);
}

// A bootstrap p-value: twice the smaller share of the sorted values on either side of `null`.
double two_sided_share(const std::vector<double>& sorted, double null) {
  const double n = double(sorted.size());
  const double below = double(std::upper_bound(sorted.begin(), sorted.end(), null) - sorted.begin()) / n;
  const double above = double(sorted.end() - std::lower_bound(sorted.begin(), sorted.end(), null)) / n;
  return std::min(1.0, 2.0 * std::min(below, above));
}

// Rates of every rule on the picked events, then each rule's rate minus the cluster rule's.
void bootstrap_rates(const std::vector<const Event*>& events, const Metric& m, const std::vector<std::size_t>& picks,
                     std::vector<double>& out) {
  std::array<double, kRules> hits{}, n{};
  for (const std::size_t i : picks)
    for (std::size_t r = 0; r < kRules; ++r) {
      const Outcome& o = events[i]->outcomes[r];
      if (!m.counts(o)) continue;
      n[r] += 1;
      hits[r] += m.value(o);
    }
  for (std::size_t r = 0; r < kRules; ++r) out.push_back(n[r] > 0 ? hits[r] / n[r] : 0.0);
  for (std::size_t r = 0; r < kRules; ++r) out.push_back(out[r] - out[0]);
}

void block_bootstrap(const std::vector<const Event*>& events, const Metric& m, std::size_t block, int draws,
                     std::uint64_t seed, Rate RuleStats::*rate, double RuleStats::*p, Group& g) {
  const auto values = calibrate::bootstrap(events.size(), block, draws, seed,
                                           [&](const std::vector<std::size_t>& picks, std::vector<double>& out) {
                                             bootstrap_rates(events, m, picks, out);
                                           });
  if (values.empty()) return;
  for (std::size_t r = 0; r < kRules; ++r) {
    RuleStats& s = g.rules[r];
    std::tie((s.*rate).low, (s.*rate).high) = calibrate::percentile_interval(values[r]);
    if (r == 0) {
      if (rate == &RuleStats::first) g.p_first_vs_half = two_sided_share(values[0], 0.5);
      continue;
    }
    const auto& diff = values[kRules + r];  // sorted: the share on each side of zero
    s.*p = two_sided_share(diff, 0.0);
  }
}

}  // namespace

Group summarise(const std::string& label, const std::vector<const Event*>& events, std::size_t block,
                int bootstrap_draws, std::uint64_t seed) {
  Group g;
  g.label = label;
  g.events = events.size();
  const std::array<std::pair<const Metric*, std::pair<Rate RuleStats::*, double RuleStats::*>>, 3> metrics = {{
      {&kFirst, {&RuleStats::first, &RuleStats::p_first}},
      {&kTouched, {&RuleStats::touched, &RuleStats::p_touched}},
      {&kSwept, {&RuleStats::swept_reversed, &RuleStats::p_swept}},
  }};
  for (std::size_t r = 0; r < kRules; ++r) {
    std::vector<double> hours;
    for (const Event* e : events)
      if (e->outcomes[r].touched) hours.push_back(e->outcomes[r].hours_to_touch);
    g.rules[r].median_hours_to_touch = median(hours);
  }
  const Rate& first = g.rules[0].first;
  for (const auto& [metric, fields] : metrics) {
    for (const Rule rule : kAllRules) g.rules[std::size_t(rule)].*fields.first = count_rate(events, rule, *metric);
    const Rate& cluster = g.rules[0].*fields.first;
    for (const Rule rule : kAllRules)
      g.rules[std::size_t(rule)].*fields.second =
          exact_p(events, rule, *metric, cluster, g.rules[std::size_t(rule)].*fields.first);
    if (metric == &kFirst) g.p_first_vs_half = binomial_two_sided(first.hits, first.n, 0.5);
    if (block > 1) block_bootstrap(events, *metric, block, bootstrap_draws, seed, fields.first, fields.second, g);
  }
  return g;
}

}  // namespace liqmap::backtest
