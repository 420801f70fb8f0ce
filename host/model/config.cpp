// The configuration of MODEL.md section 8: defaults, strict JSON parsing, validation.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>

#include "model/config_rules.hpp"
#include "model/json_fields.hpp"
#include "model/venue_config.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "text/human_format.hpp"

namespace liqmap {

using detail::JsonFields;

const char* to_string(PriceScale v) { return v == PriceScale::log ? "log" : "linear"; }
const char* to_string(EntryMode v) {
  return v == EntryMode::uniform ? "uniform" : v == EntryMode::triangular ? "triangular" : v == EntryMode::path ? "path" : "close";
}
const char* to_string(FlowSource v) {
  return v == FlowSource::oi ? "oi" : v == FlowSource::volume ? "volume" : "auto";
}
const char* to_string(OiUnit v) { return v == OiUnit::quote ? "quote" : "base"; }

Config default_config() {
  Config c;
  c.leverage = {{5, 0.15}, {10, 0.3}, {25, 0.25}, {50, 0.2}, {100, 0.1}};
  c.exchanges = {{"binance", 1.0, load_schedule("binance-usdm-btcusdt"), true}};
  return c;
}

namespace {

[[noreturn]] void fail(const std::string& key, const std::string& rule) {
  throw Error(ErrorCode::config, "config: '" + key + "' " + rule);
}

void parse_grid(JsonFields f, Config::GridShape& g) {
  if (auto v = f.integer("price_bins")) {
    if (!detail::kPriceBins.holds(*v)) f.fail("price_bins", detail::kPriceBins.rule() + ", got " + std::to_string(*v));
    g.price_bins = static_cast<int>(*v);
  }
  if (auto v = f.number("price_min")) g.price_min = *v;
  if (auto v = f.number("price_max")) g.price_max = *v;
  if (auto v = f.choice("price_scale", {"linear", "log"})) g.price_scale = *v == "log" ? PriceScale::log : PriceScale::linear;
  if (auto v = f.number("range_margin")) g.range_margin = *v;
  if (auto v = f.integer("time_group")) {
    if (!detail::kTimeGroup.holds(*v)) f.fail("time_group", detail::kTimeGroup.rule() + ", got " + std::to_string(*v));
    g.time_group = static_cast<int>(*v);
  }
  if (auto v = f.integer("fixed_point_exponent")) {
    if (*v < -64 || *v > 40) f.fail("fixed_point_exponent", "must be -64 .. 40, got " + std::to_string(*v));
    g.fixed_point_exponent = static_cast<int>(*v);
  }
  f.reject_unknown_keys();
}

void parse_positions(JsonFields f, Config::Positions& p) {
  if (auto v = f.integer("samples_per_step")) {
    if (!detail::kSamplesPerStep.holds(*v))
      f.fail("samples_per_step", detail::kSamplesPerStep.rule() + ", got " + std::to_string(*v));
    p.samples_per_step = static_cast<int>(*v);
  }
  if (auto v = f.boolean("same_bar")) p.same_bar = *v;
  if (auto v = f.choice("entry", {"uniform", "triangular", "close", "path"}))
    p.entry = *v == "uniform"      ? EntryMode::uniform
              : *v == "triangular" ? EntryMode::triangular
              : *v == "path"       ? EntryMode::path
                                   : EntryMode::close;
  if (auto v = f.integer("seed")) {
    if (*v < 0) f.fail("seed", "must be a non-negative integer");
    p.seed = static_cast<std::uint64_t>(*v);
  }
  if (f.has("size")) {
    JsonFields s(f.raw("size"), f.key_path("size"), "config", ErrorCode::config);
    if (auto v = s.number("median_usd")) p.size_median_usd = *v;
    if (auto v = s.number("sigma")) p.size_sigma = *v;
    s.reject_unknown_keys();
  } else {
    f.allow("size");
  }
  f.reject_unknown_keys();
}

std::vector<LeverageTier> parse_leverage(const nlohmann::json& list) {
  if (!list.is_array() || list.empty()) fail("leverage", "must be a non-empty array of {\"x\": leverage, \"w\": weight}");
  std::vector<LeverageTier> tiers;
  for (std::size_t i = 0; i < list.size(); ++i) {
    JsonFields t(list[i], "leverage[" + std::to_string(i) + "]", "config", ErrorCode::config);
    if (!t.has("x")) t.fail("x", "is required (the leverage, >= 1)");
    if (!t.has("w")) t.fail("w", "is required (the tier's weight, >= 0)");
    tiers.push_back({*t.number("x"), *t.number("w")});
    t.reject_unknown_keys();
  }
  return tiers;
}

std::string join(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

std::vector<ExchangeShare> parse_exchanges(const nlohmann::json& list) {
  if (!list.is_array() || list.empty())
    fail("exchanges", "must be a non-empty array of {\"name\", \"share\", \"schedule\"}");
  std::vector<ExchangeShare> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    JsonFields e(list[i], "exchanges[" + std::to_string(i) + "]", "config", ErrorCode::config);
    ExchangeShare ex;
    ex.name = e.string("name").value_or("");
    ex.share = e.number("share").value_or(1.0);
    if (!e.has("schedule")) {
      // The symbol picks the schedule; until one is known, the exchange's BTC schedule stands in.
      e.allow("schedule");
      const std::string family = exchange_family(ex.name);
      if (family.empty()) {
        const std::string near = closest_exchange(ex.name);
        e.fail("schedule", "is required unless 'name' is an exchange with built-in schedules (" +
                               join(builtin_exchanges()) + "), whose schedule the symbol picks" +
                               (near.empty() ? "" : "; name \"" + ex.name.substr(0, 64) + "\" is not one (did you mean \"" + near + "\"?)"));
      }
      ex.schedule = builtin_schedule_for(family, "BTC", false);
      ex.schedule_from_symbol = true;
    } else {
      const auto& schedule = e.raw("schedule");
      if (schedule.is_object()) ex.schedule = parse_schedule(schedule.dump(), "config: " + e.key_path("schedule"));
      else if (schedule.is_string()) ex.schedule = load_schedule(schedule.get<std::string>());
      else e.fail("schedule", "must be a schedule name, a .json path or an object");
    }
    if (ex.name.empty()) ex.name = ex.schedule.name;
    e.reject_unknown_keys();
    out.push_back(std::move(ex));
  }
  return out;
}

void parse_flow(JsonFields f, Config::Flow& flow) {
  if (auto v = f.choice("source", {"auto", "oi", "volume"}))
    flow.source = *v == "oi" ? FlowSource::oi : *v == "volume" ? FlowSource::volume : FlowSource::automatic;
  if (auto v = f.choice("oi_unit", {"base", "quote"})) flow.oi_unit = *v == "quote" ? OiUnit::quote : OiUnit::base;
  if (auto v = f.number("volume_open_fraction")) flow.volume_open_fraction = *v;
  if (auto v = f.number("half_life_hours")) flow.half_life_hours = *v;
  if (auto v = f.number("turnover")) flow.turnover = *v;
  if (auto v = f.number("warmup_days")) flow.warmup_days = *v;
  if (auto v = f.boolean("spread_oi")) flow.spread_oi = *v;
  if (auto v = f.integer("oi_interval_steps")) {
    if (*v < 1 || *v > (1ll << 31) - 1) f.fail("oi_interval_steps", "must be 1 .. 2^31 - 1 candles, got " + std::to_string(*v));
    flow.oi_interval_steps = static_cast<int>(*v);
  }
  f.reject_unknown_keys();
}

void parse_smoothing(JsonFields f, Config::Smoothing& s) {
  if (auto v = f.number("sigma_price_bins")) s.sigma_price_bins = *v;
  if (auto v = f.number("sigma_time_steps")) s.sigma_time_steps = *v;
  f.reject_unknown_keys();
}

void parse_clusters(JsonFields f, Config::Clusters& c) {
  if (auto v = f.integer("column")) c.column = static_cast<long>(*v);
  if (auto v = f.number("min_prominence")) c.min_prominence = *v;
  if (auto v = f.number("zone_level")) c.zone_level = *v;
  if (auto v = f.integer("top")) {
    if (*v < 0 || *v > 100000) f.fail("top", "must be an integer in [0, 100000]");
    c.top = static_cast<int>(*v);
  }
  f.reject_unknown_keys();
}

}  // namespace

Config parse_config(const std::string& json_text, const std::string& where) {
  const nlohmann::json doc = detail::parse_json(json_text, where, ErrorCode::config);
  try {
    Config config = default_config();
    JsonFields top(doc, "", where, ErrorCode::config);
    const auto section = [&](const std::string& key) { return JsonFields(top.raw(key), key, where, ErrorCode::config); };
    if (top.has("grid")) parse_grid(section("grid"), config.grid); else top.allow("grid");
    if (top.has("positions")) parse_positions(section("positions"), config.positions); else top.allow("positions");
    if (top.has("sides")) {
      JsonFields sides = section("sides");
      if (auto v = sides.number("long_share")) config.long_share = *v;
      sides.reject_unknown_keys();
    } else {
      top.allow("sides");
    }
    if (top.has("leverage")) config.leverage = parse_leverage(top.raw("leverage")); else top.allow("leverage");
    if (top.has("exchanges")) config.exchanges = parse_exchanges(top.raw("exchanges")); else top.allow("exchanges");
    if (auto v = top.string("symbol")) {
      if (parse_symbol(*v).asset.empty())
        top.fail("symbol", "must name a coin (ETHUSDT, ETH-USDT-SWAP, SOL), got \"" + v->substr(0, 64) + "\"");
      config.symbol = *v;
      apply_symbol(config, *v, "symbol");
    }
    if (top.has("venues")) config.venues = detail::parse_venues(top.raw("venues")); else top.allow("venues");
    if (top.has("flow")) parse_flow(section("flow"), config.flow); else top.allow("flow");
    if (top.has("smoothing")) parse_smoothing(section("smoothing"), config.smoothing); else top.allow("smoothing");
    if (top.has("clusters")) parse_clusters(section("clusters"), config.clusters); else top.allow("clusters");
    top.allow("calibration");  // written by `liqmap calibrate`: what was fitted and its score, not read
    top.reject_unknown_keys();
    detail::check_config(config);
    return config;
  } catch (const Error& e) {
    std::string msg = e.what();
    if (msg.rfind(where, 0) == 0) throw;
    const std::string generic = "config: ";  // the rules' own prefix, replaced by the file's name
    if (msg.rfind(generic, 0) == 0) msg.erase(0, generic.size());
    throw Error(e.code(), where + ": " + msg);
  }
}

Config load_config_file(const std::string& path) { return detail::load_config_file(path, nullptr, path); }

namespace detail {

Config load_config_file(const std::string& path, const nlohmann::json* patch, const std::string& where) {
  std::ifstream file(path);
  if (!file) throw Error(ErrorCode::config, "config file '" + path + "' cannot be read");
  std::ostringstream text;
  text << file.rdbuf();
  Config config;
  if (patch) {
    nlohmann::json document;
    try {
      document = nlohmann::json::parse(text.str());
    } catch (const nlohmann::json::parse_error& e) {
      throw Error(ErrorCode::config, path + ": not JSON: " + e.what());
    }
    document.merge_patch(*patch);
    config = parse_config(document.dump(), where);
  } else {
    config = parse_config(text.str(), path);
  }
  // A config's venue files are named from the config's own folder, wherever liqmap runs.
  const std::filesystem::path folder = std::filesystem::path(path).parent_path();
  for (VenueSpec& venue : config.venues)
    for (std::vector<std::string>* files : {&venue.market, &venue.oi})
      for (std::string& name : *files)
        if (name != "-" && std::filesystem::path(name).is_relative()) name = (folder / name).lexically_normal().string();
  return config;
}

}  // namespace detail

namespace detail {

void check_threads(long long threads, const char* what) {
  if (threads < 0 || threads > kMaxThreads)
    throw Error(ErrorCode::invalid_argument, std::string(what) + " is " + std::to_string(threads) + "; use 0 (all) to " +
                                                 std::to_string(kMaxThreads) + " CPU threads");
}

void check_price_range(double price_min, double price_max, int bins) {
  // A bin narrower than ~1e-12 of the price is below what double arithmetic resolves: the axis,
  // its ticks and the bin search would no longer tell prices apart.
  constexpr double kFinestBin = 1e-12;
  const double width = (price_max - price_min) / bins;
  if (!(width >= kFinestBin * price_max)) {
    std::ostringstream rule;
    rule.precision(17);
    rule << "leaves " << bins << " bin(s) of " << width << " between " << price_min << " and " << price_max
         << ": a bin must be at least 1e-12 of the price wide (widen the range or use fewer bins)";
    fail("grid.price_max", rule.str());
  }
}

void check_config(const Config& c) {
  for (const auto& [limit, value] : {std::pair{kPriceBins, (long long)c.grid.price_bins}, std::pair{kTimeGroup, (long long)c.grid.time_group},
                                      std::pair{kSamplesPerStep, (long long)c.positions.samples_per_step}})
    if (!limit.holds(value)) fail(limit.key, limit.rule() + ", got " + std::to_string(value));
  if (c.grid.price_min && !(*c.grid.price_min >= 0)) fail("grid.price_min", "must be >= 0");
  if (c.grid.price_min && c.grid.price_max && !(*c.grid.price_min < *c.grid.price_max))
    fail("grid.price_max", "must be above grid.price_min");
  if (c.grid.price_min && c.grid.price_max) check_price_range(*c.grid.price_min, *c.grid.price_max, c.grid.price_bins);
  if (!(c.grid.range_margin >= 0 && c.grid.range_margin < 10)) fail("grid.range_margin", "must be in [0, 10)");
  if (!(c.positions.size_median_usd > 0)) fail("positions.size.median_usd", "must be > 0");
  if (!(c.positions.size_sigma >= 0 && c.positions.size_sigma <= 10)) fail("positions.size.sigma", "must be in [0, 10]");
  if (!(c.long_share >= 0 && c.long_share <= 1)) fail("sides.long_share", "must be in [0, 1]");
  if (c.leverage.empty()) fail("leverage", "must hold at least one tier");
  if (c.leverage.size() > std::size_t(kTiers.most))
    fail("leverage", "holds " + std::to_string(c.leverage.size()) + " tiers; at most " + std::to_string(kTiers.most));
  if (c.exchanges.size() > std::size_t(kExchanges.most))
    fail("exchanges", "holds " + std::to_string(c.exchanges.size()) + " exchanges; at most " + std::to_string(kExchanges.most));
  double tier_total = 0;
  for (std::size_t i = 0; i < c.leverage.size(); ++i) {
    const auto& t = c.leverage[i];
    const std::string key = "leverage[" + std::to_string(i) + "]";
    if (!(t.x >= 1 && t.x <= 1000)) fail(key + ".x", "must be a leverage in [1, 1000]");
    if (!(t.w >= 0)) fail(key + ".w", "must be >= 0");
    tier_total += t.w;
  }
  if (!(tier_total > 0)) fail("leverage", "weights 'w' must sum to a positive number");
  if (!std::isfinite(tier_total)) fail("leverage", "weights 'w' must sum to a finite number (they are relative: 0.2, 0.3, ...)");
  if (c.exchanges.empty()) fail("exchanges", "must hold at least one exchange");
  double share_total = 0;
  for (std::size_t i = 0; i < c.exchanges.size(); ++i) {
    const auto& e = c.exchanges[i];
    if (!(e.share >= 0)) fail("exchanges[" + std::to_string(i) + "].share", "must be >= 0");
    if (e.schedule.brackets.empty()) fail("exchanges[" + std::to_string(i) + "].schedule", "has no brackets");
    share_total += e.share;
  }
  if (!(share_total > 0)) fail("exchanges", "shares must sum to a positive number");
  if (!std::isfinite(share_total)) fail("exchanges", "shares must sum to a finite number (they are relative: 0.35, 0.2, ...)");
  if (!(c.flow.volume_open_fraction >= 0)) fail("flow.volume_open_fraction", "must be >= 0");
  if (c.flow.half_life_hours && !(*c.flow.half_life_hours > 0)) fail("flow.half_life_hours", "must be > 0 (or null for no decay)");
  if (!(c.flow.turnover >= 0 && c.flow.turnover <= 10)) fail("flow.turnover", "must be in [0, 10] (a share of volume x close)");
  if (!(c.flow.warmup_days >= 0 && c.flow.warmup_days <= 3650)) fail("flow.warmup_days", "must be in [0, 3650] days");
  if (!(c.smoothing.sigma_price_bins >= 0 && c.smoothing.sigma_price_bins <= 1e4))
    fail("smoothing.sigma_price_bins", "must be in [0, 10000] (0 = off)");
  if (!(c.smoothing.sigma_time_steps >= 0 && c.smoothing.sigma_time_steps <= 1e4))
    fail("smoothing.sigma_time_steps", "must be in [0, 10000] (0 = off)");
  if (!(c.clusters.min_prominence >= 0 && c.clusters.min_prominence <= 1)) fail("clusters.min_prominence", "must be in [0, 1]");
  if (!(c.clusters.zone_level > 0 && c.clusters.zone_level <= 1)) fail("clusters.zone_level", "must be in (0, 1]");
  if (c.clusters.top < 0) fail("clusters.top", "must be >= 0");
}

}  // namespace detail

namespace {

nlohmann::json schedule_to_json(const Schedule& s) {
  nlohmann::json brackets = nlohmann::json::array();
  for (const auto& b : s.brackets)
    brackets.push_back({{"floor", b.floor}, {"cap", b.cap}, {"max_leverage", b.max_leverage}, {"mmr", b.mmr}, {"cum", b.cum}});
  return {{"name", s.name}, {"exchange", s.exchange}, {"instrument", s.instrument}, {"source", s.source},
          {"as_of", s.as_of}, {"assumptions", s.assumptions},
          {"contract", s.contract == ContractType::inverse ? "inverse" : "linear"},
          {"mm_basis", s.basis == MarginBasis::entry ? "entry" : "mark"},
          {"notional_unit", s.unit == NotionalUnit::base ? "base" : "quote"},
          {"fee_rate", s.fee_rate}, {"brackets", brackets}};
}

}  // namespace

std::vector<std::string> leverage_cap_notices(const Config& config) {
  std::vector<std::string> notices;
  for (const ExchangeShare& e : config.exchanges) {
    double cap = 0;
    for (const auto& b : e.schedule.brackets) cap = std::max(cap, b.max_leverage);
    std::string above;
    for (const LeverageTier& t : config.leverage)
      if (t.x > cap) above += (above.empty() ? "" : ", ") + text::shortest(t.x) + "x";
    if (!above.empty())
      notices.push_back("leverage tier(s) " + above + " exceed the " + text::shortest(cap) + "x that " + e.name +
                        "'s schedule " + e.schedule.name + " allows at any size: they run as " + text::shortest(cap) +
                        "x there (MODEL.md section 3) and keep their label; lower them in 'leverage' to say what runs");
  }
  return notices;
}

void apply_symbol(Config& config, const std::string& symbol, const std::string& origin) {
  const SymbolAsset wanted = parse_symbol(symbol);
  if (wanted.asset.empty()) throw Error(ErrorCode::config, origin + " \"" + symbol + "\" names no coin");
  for (std::size_t i = 0; i < config.exchanges.size(); ++i) {
    ExchangeShare& e = config.exchanges[i];
    if (e.schedule_from_symbol) {
      e.schedule = builtin_schedule_for(exchange_family(e.name), wanted.asset, wanted.coin_margined);
      continue;
    }
    const std::string asset = asset_of_schedule(e.schedule);
    if (!asset.empty() && asset != wanted.asset)
      throw Error(ErrorCode::config, origin + " says " + wanted.asset + ", but exchanges[" + std::to_string(i) +
                                         "].schedule " + e.schedule.name + " is for " + asset +
                                         ": liquidation prices would use another coin's brackets; name a " +
                                         wanted.asset + " schedule or leave 'schedule' out so the symbol picks it");
  }
}

std::string config_to_json(const Config& c) {
  nlohmann::json j;
  if (c.symbol) j["symbol"] = *c.symbol;
  j["grid"] = {{"price_bins", c.grid.price_bins},
               {"price_min", c.grid.price_min ? nlohmann::json(*c.grid.price_min) : nlohmann::json(nullptr)},
               {"price_max", c.grid.price_max ? nlohmann::json(*c.grid.price_max) : nlohmann::json(nullptr)},
               {"price_scale", to_string(c.grid.price_scale)},
               {"range_margin", c.grid.range_margin},
               {"time_group", c.grid.time_group}};
  if (c.grid.fixed_point_exponent) j["grid"]["fixed_point_exponent"] = *c.grid.fixed_point_exponent;
  j["positions"] = {{"samples_per_step", c.positions.samples_per_step},
                    {"entry", to_string(c.positions.entry)},
                    {"seed", c.positions.seed},
                    {"same_bar", c.positions.same_bar},
                    {"size", {{"median_usd", c.positions.size_median_usd}, {"sigma", c.positions.size_sigma}}}};
  j["sides"] = {{"long_share", c.long_share}};
  j["leverage"] = nlohmann::json::array();
  for (const auto& t : c.leverage) j["leverage"].push_back({{"x", t.x}, {"w", t.w}});
  j["exchanges"] = nlohmann::json::array();
  const auto builtin = builtin_schedule_names();
  for (const auto& e : c.exchanges) {
    // A built-in schedule by name; any other inline, so the config written out can be rerun.
    const bool is_builtin = std::find(builtin.begin(), builtin.end(), e.schedule.name) != builtin.end() &&
                            load_schedule(e.schedule.name).brackets.size() == e.schedule.brackets.size();
    j["exchanges"].push_back({{"name", e.name}, {"share", e.share},
                              {"schedule", is_builtin ? nlohmann::json(e.schedule.name) : schedule_to_json(e.schedule)}});
  }
  if (!c.venues.empty()) j["venues"] = detail::venues_to_json(c.venues);
  j["flow"] = {{"source", to_string(c.flow.source)},
               {"oi_unit", to_string(c.flow.oi_unit)},
               {"volume_open_fraction", c.flow.volume_open_fraction},
               {"turnover", c.flow.turnover},
               {"warmup_days", c.flow.warmup_days},
               {"spread_oi", c.flow.spread_oi},
               {"half_life_hours", c.flow.half_life_hours ? nlohmann::json(*c.flow.half_life_hours) : nlohmann::json(nullptr)}};
  if (c.flow.oi_interval_steps) j["flow"]["oi_interval_steps"] = *c.flow.oi_interval_steps;
  j["smoothing"] = {{"sigma_price_bins", c.smoothing.sigma_price_bins}, {"sigma_time_steps", c.smoothing.sigma_time_steps}};
  j["clusters"] = {{"column", c.clusters.column},
                   {"min_prominence", c.clusters.min_prominence},
                   {"zone_level", c.clusters.zone_level},
                   {"top", c.clusters.top}};
  return j.dump(2);
}

}  // namespace liqmap
