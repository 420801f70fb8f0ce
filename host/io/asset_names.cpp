// The coin a file name names (ETHUSDT-1h-2025-10.zip, ETH-USDT-SWAP-candles.csv, bybit's
// ETHUSDT2025-10-01.csv: ETH) and the margin schedules it picks, so a file of one coin is never
// mapped with another coin's brackets.
#include <algorithm>
#include <cctype>
#include <set>
#include <utility>
#include <vector>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "model/venue_config.hpp"

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

// Words of file names that are never a coin: quotes, kinds of data, venues, and intervals or
// dates (1h, 4H, 15m, 5year, 2025), so "oi_usd_4h.csv" names no coin "OI".
bool never_a_coin(const std::string& word) {
  static const std::set<std::string> words = {
      "USD", "USDT", "USDC", "BUSD", "FDUSD", "OI", "OPEN", "INTEREST", "OPENINTEREST", "FUNDING", "VOLUME",
      "CANDLE", "CANDLES", "KLINE", "KLINES", "METRICS", "MARKET", "DATA", "PRICE", "PRICES", "SPOT", "PERP",
      "SWAP", "FUTURES", "LIQ", "LIQUIDATION", "LIQUIDATIONS", "TRAIN", "TEST", "TAKER", "RATIO", "JOINED",
      "MERGED", "TOTAL", "BINANCE", "BYBIT", "OKX", "COINGLASS", "HYPERLIQUID"};
  if (word.empty() || words.count(word)) return true;
  std::size_t digits = 0;
  while (digits < word.size() && std::isdigit(static_cast<unsigned char>(word[digits]))) ++digits;
  if (digits == 0) return false;
  static const std::set<std::string> units = {"", "S", "M", "H", "D", "W", "MIN", "MO", "Y", "YR", "YEAR", "YEARS",
                                              "MONTH", "MONTHS", "DAY", "DAYS", "HOUR", "HOURS", "WEEK", "WEEKS"};
  return units.count(word.substr(digits)) > 0;
}

// Whether the name marks a contract rather than a pair: Binance's BTCUSD_PERP or a delivery
// (BTCUSD_250328), OKX's BTC-USD-SWAP. "BTC-USD-1h.csv" is as likely spot candles in USD.
bool names_a_contract(const std::string& path) {
  std::string name = base_name(path);
  for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (name.find("_PERP") != std::string::npos || name.find("-SWAP") != std::string::npos ||
      name.find("_SWAP") != std::string::npos)
    return true;
  const std::size_t cut = name.find("USD_");
  return cut != std::string::npos && cut + 10 <= name.size() &&
         std::all_of(name.begin() + static_cast<long>(cut + 4), name.begin() + static_cast<long>(cut + 10),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// The schedules a run uses, by name: each venue's when the config has venues (as the venues
// take them), else each exchange's.
std::vector<std::pair<std::string, Schedule>> run_schedules(const Config& config) {
  std::vector<std::pair<std::string, Schedule>> out;
  for (const VenueSpec& venue : config.venues) out.emplace_back(venue.name, liqmap::detail::venue_schedule(venue, config));
  if (out.empty())
    for (const ExchangeShare& e : config.exchanges) out.emplace_back(e.name, e.schedule);
  return out;
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
    if (is_quote_currency(next)) return never_a_coin(head) ? SymbolAsset{} : SymbolAsset{head, next == "USD"};
  }
  while (!head.empty() && std::isdigit(static_cast<unsigned char>(head.back()))) head.pop_back();
  const SymbolAsset joined = parse_symbol(head);
  if (never_a_coin(joined.asset) || (joined.asset == head && !scheduled_assets().count(head))) return {};
  return joined;
}

std::string asset_of_schedule(const Schedule& schedule) { return liqmap::asset_of_schedule(schedule); }

std::vector<std::string> choose_schedules(const std::vector<std::string>& paths, Config& config,
                                          bool data_coin_margined) {
  // The symbol: the config's, else the one the file names agree on.
  std::string symbol = config.symbol.value_or("");
  std::string origin = "the config's symbol \"" + symbol + "\"";
  std::string linear_instead;  // a name that says USD, kept on the USD-margined schedules
  for (const std::string& path : paths) {
    const SymbolAsset named = symbol_of_file(path);
    if (named.asset.empty()) continue;
    if (symbol.empty()) {
      // A name alone never switches to the inverse (COIN-M) schedules: a USD-quoted inverse
      // contract counts volume in other units, so the data's layout or a symbol must say it.
      const bool inverse = named.coin_margined && (data_coin_margined || names_a_contract(path));
      if (named.coin_margined && !inverse) linear_instead = base_name(path);
      symbol = named.asset + (inverse ? "USD" : "USDT");
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
    for (const auto& [name, schedule] : run_schedules(config)) names += (names.empty() ? "" : ", ") + schedule.name;
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
  for (const auto& [name, schedule] : run_schedules(config)) {
    chosen += (chosen.empty() ? "" : ", ") + name + ": " + schedule.name + " (as of " + schedule.as_of + ")";
    for (const std::string& a : schedule.assumptions) unconfirmed = unconfirmed || a.rfind("UNCONFIRMED", 0) == 0;
  }
  notices.push_back("margin schedules for " + parse_symbol(symbol).asset + " (from " + origin + "): " + chosen +
                    (unconfirmed ? "; some values are UNCONFIRMED assumptions, listed in each schedule's file "
                                   "(docs/schedules.md)"
                                 : ""));
  if (!linear_instead.empty())
    notices.push_back("the file name " + linear_instead + " says USD, but nothing in the data says an inverse "
                      "(coin-margined) contract, so the USD-margined schedules apply; give --symbol " +
                      parse_symbol(symbol).asset + "USD (or \"symbol\" in the config) for the coin-margined ones");
  return notices;
}

void require_matching_assets(const std::vector<std::string>& paths, const Config& config) {
  Config copy = config;
  choose_schedules(paths, copy);
}

}  // namespace liqmap::io
