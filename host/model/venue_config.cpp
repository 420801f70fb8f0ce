#include "model/venue_config.hpp"

#include <set>

#include "liqmap/error.hpp"
#include "liqmap/schedule.hpp"
#include "model/json_fields.hpp"

namespace liqmap::detail {
namespace {

std::vector<std::string> paths(JsonFields& f, const std::string& key) {
  if (!f.has(key)) {
    f.allow(key);
    return {};
  }
  const nlohmann::json& value = f.raw(key);
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  else if (value.is_array())
    for (const auto& item : value) {
      if (!item.is_string()) f.fail(key, "must be a path or an array of paths, got " + shown_json(item));
      out.push_back(item.get<std::string>());
    }
  else
    f.fail(key, "must be a path or an array of paths, got " + shown_json(value));
  return out;
}

const char* to_string(ContractType c) { return c == ContractType::inverse ? "inverse" : "linear"; }

}  // namespace

std::vector<VenueSpec> parse_venues(const nlohmann::json& list) {
  if (!list.is_array())
    throw Error(ErrorCode::config, "config: 'venues' must be an array of {\"name\", \"market\", \"oi\", ...}");
  std::vector<VenueSpec> out;
  std::set<std::string> names;
  for (std::size_t i = 0; i < list.size(); ++i) {
    JsonFields v(list[i], "venues[" + std::to_string(i) + "]", "config", ErrorCode::config);
    VenueSpec venue;
    venue.name = v.string("name").value_or("");
    if (venue.name.empty() || venue.name.find_first_of("/\\:,@ ") != std::string::npos || venue.name[0] == '.')
      v.fail("name", "is required: a short name without / \\ : , @ or spaces (it names the output sub-folder)");
    if (!names.insert(venue.name).second) v.fail("name", "\"" + venue.name + "\" is given twice");
    venue.market = paths(v, "market");
    venue.oi = paths(v, "oi");
    if (auto share = v.number("long_share")) {
      if (!(*share >= 0 && *share <= 1)) v.fail("long_share", "must be in [0, 1]");
      venue.long_share = *share;
    }
    if (v.has("schedule")) {
      const auto& schedule = v.raw("schedule");
      if (schedule.is_object()) venue.schedule = parse_schedule(schedule.dump(), "config: " + v.key_path("schedule"));
      else if (schedule.is_string()) venue.schedule = load_schedule(schedule.get<std::string>());
      else v.fail("schedule", "must be a schedule name, a .json path or an object");
    } else {
      v.allow("schedule");
    }
    if (auto contract = v.choice("contract", {"linear", "inverse"}))
      venue.contract = *contract == "inverse" ? ContractType::inverse : ContractType::linear;
    v.reject_unknown_keys();
    out.push_back(std::move(venue));
  }
  return out;
}

Schedule venue_schedule(const VenueSpec& venue, const Config& config) {
  Schedule schedule;
  if (venue.schedule) {
    schedule = *venue.schedule;
  } else {
    std::string known;
    bool found = false;
    for (const ExchangeShare& e : config.exchanges) {
      known += (known.empty() ? "" : ", ") + e.name;
      if (e.name == venue.name) {
        schedule = e.schedule;
        found = true;
      }
    }
    // A venue named after an exchange with bundled schedules takes that exchange's schedule for
    // the run's coin (the symbol's, else BTC), as an exchanges[] entry without a schedule would.
    const std::string family = exchange_family(venue.name);
    if (!found && !family.empty()) {
      const SymbolAsset coin = config.symbol ? parse_symbol(*config.symbol) : SymbolAsset{"BTC", false};
      schedule = builtin_schedule_for(family, coin.asset, coin.coin_margined);
      found = true;
    }
    const std::string near = found ? "" : closest_exchange(venue.name);
    if (!found)
      throw Error(ErrorCode::config, "venue '" + venue.name + "' has no margin schedule: give one (venues[].schedule, or "
                                     "--venue " + venue.name + "@SCHEDULE:...) or an exchanges[] entry named '" +
                                     venue.name + "' (the config names: " + known + ")" +
                                     (near.empty() ? "" : "; did you mean the exchange \"" + near + "\"?"));
  }
  if (venue.contract && *venue.contract != schedule.contract)
    throw Error(ErrorCode::config, "venue '" + venue.name + "': contract \"" + to_string(*venue.contract) +
                                       "\" but its schedule " + schedule.name + " is " + to_string(schedule.contract));
  return schedule;
}

nlohmann::json venues_to_json(const std::vector<VenueSpec>& venues) {
  nlohmann::json out = nlohmann::json::array();
  for (const VenueSpec& v : venues) {
    nlohmann::json j{{"name", v.name}, {"market", v.market}, {"oi", v.oi}};
    if (v.long_share) j["long_share"] = *v.long_share;
    if (v.schedule) j["schedule"] = v.schedule->name;
    if (v.contract) j["contract"] = to_string(*v.contract);
    out.push_back(j);
  }
  return out;
}

}  // namespace liqmap::detail
