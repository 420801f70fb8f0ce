// Margin schedules: parsed strictly from JSON (data/schedules/*.json or a user's file).
#include <fstream>
#include <sstream>

#include "model/builtin_schedules.hpp"
#include "model/json_fields.hpp"
#include "liqmap/error.hpp"
#include "liqmap/schedule.hpp"

namespace liqmap {

using detail::JsonFields;

Schedule parse_schedule(const std::string& json_text, const std::string& where) {
  const nlohmann::json doc = detail::parse_json(json_text, where, ErrorCode::config);
  JsonFields f(doc, "", where, ErrorCode::config);
  Schedule s;
  s.name = f.string("name").value_or("");
  if (s.name.empty()) f.fail("name", "is required (a non-empty string)");
  s.exchange = f.string("exchange").value_or("");
  s.instrument = f.string("instrument").value_or("");
  s.source = f.string("source").value_or("");
  s.as_of = f.string("as_of").value_or("");
  if (s.source.empty()) f.fail("source", "is required: say where the brackets come from");
  if (s.as_of.empty()) f.fail("as_of", "is required: the date of the brackets (YYYY-MM-DD)");
  if (f.has("assumptions")) {
    const auto& list = f.raw("assumptions");
    if (!list.is_array()) f.fail("assumptions", "must be an array of strings");
    for (const auto& a : list) {
      if (!a.is_string()) f.fail("assumptions", "must be an array of strings");
      s.assumptions.push_back(a.get<std::string>());
    }
  } else {
    f.allow("assumptions");
  }
  s.contract = f.choice("contract", {"linear", "inverse"}).value_or("linear") == "inverse"
                   ? ContractType::inverse : ContractType::linear;
  s.basis = f.choice("mm_basis", {"mark", "entry"}).value_or("mark") == "entry" ? MarginBasis::entry
                                                                               : MarginBasis::mark;
  s.unit = f.choice("notional_unit", {"quote", "base"}).value_or("quote") == "base"
               ? NotionalUnit::base : NotionalUnit::quote;
  s.fee_rate = f.number("fee_rate").value_or(0.0);
  if (s.fee_rate < 0 || s.fee_rate >= 0.5) f.fail("fee_rate", "must be in [0, 0.5)");
  if (s.contract == ContractType::inverse && s.basis == MarginBasis::entry)
    f.fail("mm_basis", "must be \"mark\" for an inverse contract (the engine models inverse "
                       "maintenance at the liquidation price only)");

  if (!f.has("brackets")) f.fail("brackets", "is required: a non-empty array of brackets");
  const auto& rows = f.raw("brackets");
  if (!rows.is_array() || rows.empty()) f.fail("brackets", "must be a non-empty array");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    JsonFields b(rows[i], "brackets[" + std::to_string(i) + "]", where, ErrorCode::config);
    Bracket br;
    br.floor = b.number("floor").value_or(0.0);
    if (!b.has("cap")) b.fail("cap", "is required");
    br.cap = *b.number("cap");
    if (!b.has("max_leverage")) b.fail("max_leverage", "is required");
    br.max_leverage = *b.number("max_leverage");
    if (!b.has("mmr")) b.fail("mmr", "is required");
    br.mmr = *b.number("mmr");
    br.cum = b.number("cum").value_or(0.0);
    b.reject_unknown_keys();
    if (!(br.cap > br.floor)) b.fail("cap", "must be above 'floor'");
    if (!(br.max_leverage >= 1)) b.fail("max_leverage", "must be >= 1");
    if (!(br.mmr >= 0 && br.mmr + s.fee_rate < 1)) b.fail("mmr", "must be in [0, 1 - fee_rate)");
    if (br.cum < 0) b.fail("cum", "must be >= 0");
    if (!s.brackets.empty() && br.floor < s.brackets.back().cap - 1e-9 * br.cap &&
        br.floor != s.brackets.back().cap)
      b.fail("floor", "must not lie below the previous bracket's cap (brackets in increasing order)");
    s.brackets.push_back(br);
  }
  f.reject_unknown_keys();
  return s;
}

std::vector<std::string> builtin_schedule_names() {
  std::vector<std::string> names;
  for (const auto& e : detail::embedded_schedules()) names.emplace_back(e.name);
  return names;
}

Schedule load_schedule(const std::string& name_or_path) {
  const auto ends_with = [](const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(name_or_path, ".json")) {
    std::ifstream file(name_or_path);
    if (!file) throw Error(ErrorCode::config, "schedule file '" + name_or_path + "' cannot be read");
    std::ostringstream text;
    text << file.rdbuf();
    return parse_schedule(text.str(), name_or_path);
  }
  for (const auto& e : detail::embedded_schedules())
    if (name_or_path == e.name) return parse_schedule(e.json, std::string("data/schedules/") + e.name + ".json");
  std::string known;
  for (const auto& n : builtin_schedule_names()) known += (known.empty() ? "" : ", ") + n;
  throw Error(ErrorCode::config, "unknown schedule \"" + name_or_path + "\"; known schedules: " +
                                     known + " (or a path to your own .json file)");
}

}  // namespace liqmap
