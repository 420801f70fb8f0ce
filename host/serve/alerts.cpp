#include "serve/alerts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "report/format.hpp"

namespace liqmap::serve {
namespace {

constexpr const char* kSyntax =
    "expected: within P% of a [long|short|above|below] cluster|zone [>= $X], "
    "e.g. 'within 1.5% of a cluster >= $200M'";

[[noreturn]] void refuse(const std::string& text, const std::string& why) {
  throw Error(ErrorCode::invalid_argument, "--alert '" + text + "': " + why + "; " + kSyntax);
}

std::optional<double> number(const std::string& word) {
  if (word.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(word.c_str(), &end);
  if (end != word.c_str() + word.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<double> money(std::string word) {
  if (!word.empty() && word.front() == '$') word.erase(0, 1);
  double scale = 1;
  if (!word.empty()) {
    switch (word.back()) {
      case 'k': case 'K': scale = 1e3; break;
      case 'm': case 'M': scale = 1e6; break;
      case 'b': case 'B': scale = 1e9; break;
      case 't': case 'T': scale = 1e12; break;
      default: scale = 0;
    }
    if (scale != 0) word.pop_back(); else scale = 1;
  }
  const auto v = number(word);
  if (!v || *v < 0) return std::nullopt;
  return *v * scale;
}

}  // namespace

AlertRule parse_alert(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  AlertRule rule;
  rule.text = text;
  std::size_t i = 0;
  const auto next = [&](const char* what) -> const std::string& {
    if (i >= words.size()) refuse(text, std::string("it ends where ") + what + " should come");
    return words[i++];
  };
  if (next("'within'") != "within") refuse(text, "it must start with 'within'");
  std::string pct = next("a distance like 1.5%");
  if (pct.size() < 2 || pct.back() != '%') refuse(text, "'" + pct + "' is not a distance in percent like 1.5%");
  pct.pop_back();
  const auto p = number(pct);
  if (!p || *p <= 0 || *p > 100) refuse(text, "the distance '" + pct + "%' must be above 0% and at most 100%");
  rule.within_pct = *p;
  if (next("'of'") != "of") refuse(text, "'of' must follow the distance");
  std::string w = next("'a'");
  if (w == "a" || w == "an") w = next("'cluster' or 'zone'");
  if (w == "long" || w == "below") rule.side = "below";
  else if (w == "short" || w == "above") rule.side = "above";
  if (rule.side) w = next("'cluster' or 'zone'");
  if (w == "cluster" || w == "clusters") rule.zones = false;
  else if (w == "zone" || w == "zones") rule.zones = true;
  else refuse(text, "'" + w + "' is not a side (long, short, above, below) nor 'cluster' or 'zone'");
  if (i < words.size()) {
    if (words[i] != ">=") refuse(text, "'" + words[i] + "' where '>=' or the end should come");
    ++i;
    const std::string& x = next("an amount like $200M");
    const auto usd = money(x);
    if (!usd) refuse(text, "'" + x + "' is not an amount like $200M, 1.5B or 750k");
    rule.min_usd = *usd;
  }
  if (i < words.size()) refuse(text, "'" + words[i] + "' after the amount");
  return rule;
}

std::vector<AlertMatch> matches(const AlertRule& rule, const Snapshot& s) {
  std::vector<AlertMatch> out;
  const double close = s.last_close();
  if (!s.clusters.is_object() || !(close > 0)) return out;
  const auto side_ok = [&](const std::string& side) { return !rule.side || *rule.side == side; };
  if (!rule.zones) {
    for (const auto& p : s.clusters.value("peaks", nlohmann::json::array())) {
      AlertMatch m{p.value("price", 0.0), p.value("usd", 0.0), p.value("side", ""), 0};
      m.distance_pct = (m.price - close) / close * 100;
      if (side_ok(m.side) && std::abs(m.distance_pct) <= rule.within_pct && m.usd >= rule.min_usd) out.push_back(m);
    }
  } else {
    for (const auto& z : s.clusters.value("zones", nlohmann::json::array())) {
      const double low = z.value("price_low", 0.0), high = z.value("price_high", 0.0);
      AlertMatch m{close < low ? low : close > high ? high : close, z.value("usd", 0.0), "", 0};
      m.side = low > close ? "above" : high < close ? "below" : "around";
      m.distance_pct = (m.price - close) / close * 100;
      if ((side_ok(m.side) || m.side == "around") && std::abs(m.distance_pct) <= rule.within_pct && m.usd >= rule.min_usd)
        out.push_back(m);
    }
  }
  std::sort(out.begin(), out.end(), [](const AlertMatch& a, const AlertMatch& b) {
    return std::abs(a.distance_pct) < std::abs(b.distance_pct);
  });
  return out;
}

nlohmann::json AlertEvent::json() const {
  nlohmann::json found_json = nlohmann::json::array();
  for (const AlertMatch& m : found)
    found_json.push_back({{"price", m.price}, {"usd", m.usd}, {"side", m.side}, {"distance_pct", m.distance_pct}});
  return {{"rule", rule}, {"generation", generation}, {"ts", ts}, {"time", io::format_timestamp(ts)},
          {"close", close}, {"matches", std::move(found_json)}, {"line", line()}};
}

std::string AlertEvent::line() const {
  std::ostringstream out;
  out << "alert: " << rule << ": ";
  for (std::size_t i = 0; i < found.size(); ++i) {
    const AlertMatch& m = found[i];
    char pct[32];
    std::snprintf(pct, sizeof pct, "%+.2f%%", m.distance_pct);
    out << (i ? "; " : "") << report::format_usd(m.usd) << " " << m.side << " at " << report::format_price(m.price)
        << " (" << pct << ")";
  }
  out << " from the close " << report::format_price(close) << " at " << io::format_timestamp(ts)
      << " (generation " << generation << ")";
  return out.str();
}

std::vector<AlertEvent> Alerts::check(const Snapshot& s) {
  std::vector<AlertEvent> events;
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    const std::vector<AlertMatch> found = matches(rules_[r], s);
    std::set<long long> key;
    for (const AlertMatch& m : found) key.insert(std::llround(m.price * 100));
    if (!found.empty() && key != fired_[r])
      events.push_back({rules_[r].text, s.generation, s.last_ts(), s.last_close(), found});
    fired_[r] = std::move(key);
  }
  return events;
}

}  // namespace liqmap::serve
