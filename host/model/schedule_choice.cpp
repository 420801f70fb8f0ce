// Which built-in schedule a symbol takes on each exchange: the symbol's coin and contract type
// matched to the schedules' own exchange and instrument fields, so a new data/schedules/*.json
// is found without a table to update here.
#include <algorithm>
#include <cctype>
#include <vector>

#include "liqmap/error.hpp"
#include "liqmap/schedule.hpp"

namespace liqmap {
namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The quotes a perpetual is settled in; USD alone means coin-margined (inverse).
constexpr const char* kQuotes[] = {"USDT", "USDC", "BUSD", "FDUSD", "USD"};

bool all_letters_or_digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

bool is_quote_currency(const std::string& token) {
  for (const char* q : kQuotes)
    if (token == q) return true;
  return false;
}

SymbolAsset parse_symbol(const std::string& symbol) {
  const std::string text = upper(symbol);
  // Separated forms: ETH-USDT-SWAP (OKX), ETH/USDT:USDT (ccxt), ETH_USDT.
  const std::size_t cut = text.find_first_of("-/_:");
  if (cut != std::string::npos && cut > 0) {
    const std::string base = text.substr(0, cut);
    const std::size_t next = text.find_first_of("-/_:", cut + 1);
    const std::string quote = text.substr(cut + 1, next == std::string::npos ? std::string::npos : next - cut - 1);
    if (all_letters_or_digits(base) && is_quote_currency(quote)) return {base, quote == "USD"};
  }
  // Joined forms: ETHUSDT, BTCUSD_PERP (the part before '_'), a bare coin.
  const std::string joined = cut == std::string::npos ? text : text.substr(0, cut);
  if (!all_letters_or_digits(joined)) return {};
  for (const char* quote : kQuotes)
    if (ends_with(joined, quote)) return {joined.substr(0, joined.size() - std::string(quote).size()), std::string(quote) == "USD"};
  return {joined, false};
}

std::string asset_of_schedule(const Schedule& schedule) {
  std::size_t end = 0;
  while (end < schedule.instrument.size() && std::isalnum(static_cast<unsigned char>(schedule.instrument[end]))) ++end;
  return parse_symbol(schedule.instrument.substr(0, end)).asset;
}

std::vector<std::string> builtin_exchanges() {
  std::vector<std::string> families;
  for (const std::string& name : builtin_schedule_names()) {
    const std::string family = lower(load_schedule(name).exchange);
    bool known = false;
    for (const std::string& f : families) known = known || f == family;
    if (!known) families.push_back(family);
  }
  return families;
}

std::string exchange_family(const std::string& name) {
  // The family's own name, or it followed by a separator ("binance-usdm", "okx_swap"): a longer
  // word ("bybitt") is a typo, not Bybit.
  const std::string text = lower(name);
  for (const std::string& family : builtin_exchanges())
    if (text.compare(0, family.size(), family) == 0 &&
        (text.size() == family.size() || std::string("-_.:/ ").find(text[family.size()]) != std::string::npos))
      return family;
  return "";
}

std::string closest_exchange(const std::string& name) {
  const std::string text = lower(name);
  const auto distance = [](const std::string& a, const std::string& b) {  // Levenshtein
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t above = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diagonal = above;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = text.size() < 5 ? 2 : 3;  // "okex": one edit; "bybitt", "binanse": two
  for (const std::string& family : builtin_exchanges()) {
    const std::size_t d = distance(text, family);
    if (d < best_distance) best = family, best_distance = d;
  }
  return best;
}

Schedule builtin_schedule_for(const std::string& exchange, const std::string& asset, bool coin_margined) {
  const ContractType wanted = coin_margined ? ContractType::inverse : ContractType::linear;
  std::string known;
  for (const std::string& name : builtin_schedule_names()) {
    Schedule s = load_schedule(name);
    if (lower(s.exchange) == exchange && asset_of_schedule(s) == asset && s.contract == wanted) return s;
    known += (known.empty() ? "" : ", ") + name + " (" + asset_of_schedule(s) + ")";
  }
  throw Error(ErrorCode::config, "no built-in " + std::string(coin_margined ? "coin-margined" : "USD-margined") +
                                     " margin schedule for " + asset + " on " + exchange + "; the bundled schedules are " +
                                     known + ". Give exchanges[].schedule a .json file of your own (data/schedules/ "
                                     "shows the format) rather than another coin's brackets");
}

}  // namespace liqmap
