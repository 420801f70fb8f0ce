// The coin a file name names (ETHUSDT-1h-2025-10.zip, ETH-USDT-SWAP-candles.csv, bybit's
// ETHUSDT2025-10-01.csv: ETH) and the margin schedules it picks, so a file of one coin is never
// mapped with another coin's brackets.
#include <cctype>
#include <set>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::io {
namespace {

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The coins some built-in schedule is for: a bare coin in a name ("SOL-1h.csv") counts only
// when it is one of them, since "my.csv" names no coin.
const std::set<std::string>& scheduled_assets() {
  static const std::set<std::string> assets = [] {
    std::set<std::string> found;
    for (const std::string& name : builtin_schedule_names()) found.insert(liqmap::asset_of_schedule(load_schedule(name)));
    return found;
  }();
  return assets;
}

}  // namespace

std::string asset_of_file(const std::string& path) { return symbol_of_file(path).asset; }

// "ETH-USDT-SWAP-candles.csv": the head and the quote after it; "ETHUSDT-1h-2025-10.zip" and
// public.bybit.com's "ETHUSDT2025-10-01.csv.gz": the head with a date's digits dropped; a bare
// head ("SOL-1h.csv") only when a built-in schedule is for that coin, since "my.csv" names none.
SymbolAsset symbol_of_file(const std::string& path) {
  std::string name = base_name(path);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto alnum_run = [&](std::size_t from) {
    std::size_t end = from;
    while (end < name.size() && std::isalnum(static_cast<unsigned char>(name[end]))) ++end;
    return name.substr(from, end - from);
  };
  std::string head = alnum_run(0);
  if (head.empty()) return {};
  if (head.size() < name.size() && (name[head.size()] == '-' || name[head.size()] == '_')) {
    const std::string next = alnum_run(head.size() + 1);
    if (is_quote_currency(next)) return {head, next == "USD"};
  }
  while (!head.empty() && std::isdigit(static_cast<unsigned char>(head.back()))) head.pop_back();
  const SymbolAsset joined = parse_symbol(head);
  if (joined.asset == head && !scheduled_assets().count(head)) return {};
  return joined;
}

std::string asset_of_schedule(const Schedule& schedule) { return liqmap::asset_of_schedule(schedule); }

std::vector<std::string> choose_schedules(const std::vector<std::string>& paths, Config& config) {
  // The symbol: the config's, else the one the file names agree on.
  std::string symbol = config.symbol.value_or("");
  std::string origin = "the config's symbol \"" + symbol + "\"";
  for (const std::string& path : paths) {
    const SymbolAsset named = symbol_of_file(path);
    if (named.asset.empty()) continue;
    if (symbol.empty()) {
      symbol = named.asset + (named.coin_margined ? "USD" : "USDT");
      origin = "the file name " + base_name(path);
      continue;
    }
    const SymbolAsset chosen = parse_symbol(symbol);
    if (named.asset != chosen.asset)
      throw Error(ErrorCode::input, path + ": the file name says " + named.asset + ", but " + origin + " says " +
                                        chosen.asset + ": one run maps one coin; give the files of one coin");
  }
  std::vector<std::string> notices;
  if (symbol.empty()) {
    std::string names;
    for (const ExchangeShare& e : config.exchanges) names += (names.empty() ? "" : ", ") + e.schedule.name;
    notices.push_back("no coin in the config ('symbol') or the file names: the margin schedules are " + names +
                      "; set \"symbol\" (e.g. \"ETHUSDT\") in a --config for another coin");
    return notices;
  }
  try {
    apply_symbol(config, symbol, origin);
  } catch (const Error& e) {
    const std::string what = e.what();
    throw Error(config.symbol ? ErrorCode::config : ErrorCode::input,
                what.rfind(origin, 0) == 0 ? what : origin + " names " + parse_symbol(symbol).asset + ": " + what);
  }
  config.symbol = symbol;  // kept in axes.json with the schedules it picked
  std::string chosen;
  bool unconfirmed = false;
  for (const ExchangeShare& e : config.exchanges) {
    chosen += (chosen.empty() ? "" : ", ") + e.name + ": " + e.schedule.name + " (as of " + e.schedule.as_of + ")";
    for (const std::string& a : e.schedule.assumptions) unconfirmed = unconfirmed || a.rfind("UNCONFIRMED", 0) == 0;
  }
  notices.push_back("margin schedules for " + parse_symbol(symbol).asset + " (from " + origin + "): " + chosen +
                    (unconfirmed ? "; some values are UNCONFIRMED assumptions, listed in each schedule's file "
                                   "(docs/schedules.md)"
                                 : ""));
  return notices;
}

void require_matching_assets(const std::vector<std::string>& paths, const Config& config) {
  Config copy = config;
  choose_schedules(paths, copy);
}

}  // namespace liqmap::io
