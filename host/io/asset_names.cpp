// The asset a file name or a margin schedule names (ETHUSDT-1m-2024-01.zip: ETH; "BTCUSDT
// USDⓈ-M perpetual": BTC), so a file of one coin is not mapped with another coin's brackets.
#include <cctype>
#include <set>

#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::io {
namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "BTCUSDT" -> "BTC", "ETHUSD" -> "ETH"; "" when the symbol does not end in a USD quote.
std::string base_of_symbol(const std::string& symbol) {
  for (const char* quote : {"USDT", "USDC", "BUSD", "USD"}) {
    const std::string q = quote;
    if (symbol.size() > q.size() && symbol.compare(symbol.size() - q.size(), q.size(), q) == 0)
      return symbol.substr(0, symbol.size() - q.size());
  }
  return "";
}

// The leading run of letters and digits: "BTCUSD_PERP-1h" -> "BTCUSD", "BTC-USDT-SWAP" -> "BTC".
std::string leading_symbol(const std::string& text) {
  std::size_t end = 0;
  while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) ++end;
  return upper(text.substr(0, end));
}

}  // namespace

std::string asset_of_file(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return base_of_symbol(leading_symbol(slash == std::string::npos ? path : path.substr(slash + 1)));
}

std::string asset_of_schedule(const Schedule& schedule) {
  const std::string symbol = leading_symbol(schedule.instrument);
  const std::string base = base_of_symbol(symbol);
  return base.empty() ? symbol : base;
}

void require_matching_assets(const std::vector<std::string>& paths, const Config& config) {
  std::set<std::string> scheduled;
  std::string names;
  for (const ExchangeShare& exchange : config.exchanges) {
    const std::string asset = asset_of_schedule(exchange.schedule);
    if (asset.empty()) return;  // a schedule that names no asset cannot be checked against
    scheduled.insert(asset);
    names += (names.empty() ? "" : ", ") + exchange.schedule.name + " (" + asset + ")";
  }
  for (const std::string& path : paths) {
    const std::string asset = asset_of_file(path);
    if (asset.empty() || scheduled.count(asset)) continue;
    throw Error(ErrorCode::input, path + ": the file name says " + asset + ", but the margin schedules are for " + names +
                                      ": liquidation prices would use another coin's brackets; give a schedule for " +
                                      asset + " in the config (exchanges[].schedule: a .json file whose instrument "
                                      "starts with " + asset + ")");
  }
}

}  // namespace liqmap::io
