// An exchange's margin schedule (shared/reference/margin.md): contract type, where maintenance
// margin is evaluated, and the notional brackets.
#pragma once

#include <string>
#include <vector>

namespace liqmap {

enum class ContractType { linear, inverse };
// mark: maintenance margin evaluated at the liquidation price (Binance, OKX, Hyperliquid);
// entry: evaluated at the entry notional (Bybit's classic USDT formula).
enum class MarginBasis { mark, entry };
// Unit of the brackets' floor/cap and maintenance amount: quote (USD) or base (coins).
enum class NotionalUnit { quote, base };

struct Bracket {
  double floor = 0;         // notional floor, in the schedule's notional unit
  double cap = 0;           // notional cap (inclusive)
  double max_leverage = 0;  // highest leverage allowed for a notional in this bracket
  double mmr = 0;           // maintenance margin rate
  double cum = 0;           // maintenance amount ("cum"), in the notional unit
};

struct Schedule {
  std::string name;        // e.g. "binance-usdm-btcusdt"
  std::string exchange;    // human name
  std::string instrument;  // human name
  std::string source;      // where the numbers come from
  std::string as_of;       // date of the numbers (YYYY-MM-DD)
  std::vector<std::string> assumptions;
  ContractType contract = ContractType::linear;
  MarginBasis basis = MarginBasis::mark;
  NotionalUnit unit = NotionalUnit::quote;
  double fee_rate = 0;  // added to the maintenance rate (OKX's liquidation fee)
  std::vector<Bracket> brackets;
};

// Names of the schedules compiled into the engine (from data/schedules/*.json).
std::vector<std::string> builtin_schedule_names();

// A built-in schedule by name, or one loaded from a JSON file when `name_or_path` ends in
// ".json". Throws Error(ErrorCode::config) naming the known schedules when none matches.
Schedule load_schedule(const std::string& name_or_path);

// Parses and validates a schedule document (the format of data/schedules/*.json).
// `where` names the document in error messages.
Schedule parse_schedule(const std::string& json_text, const std::string& where);

// What a trading symbol names: its coin and whether it is coin-margined (quoted in USD, e.g.
// BTCUSD_PERP, BTC-USD-SWAP). Read forms: ETHUSDT, ETHUSDC, ETH-USDT-SWAP, ETH/USDT:USDT,
// BTCUSD_PERP, and a bare coin ("SOL", Hyperliquid's names). `asset` is "" when it names none.
struct SymbolAsset {
  std::string asset;           // upper case, e.g. "ETH"
  bool coin_margined = false;  // quoted in USD: an inverse (coin-margined) contract
};
SymbolAsset parse_symbol(const std::string& symbol);
bool is_quote_currency(const std::string& token);  // USDT, USDC, BUSD, FDUSD, USD (upper case)

// The coin of a schedule's instrument ("ETHUSDT USDⓈ-M perpetual": ETH; "SOL perpetual": SOL).
std::string asset_of_schedule(const Schedule& schedule);

// The exchanges that have built-in schedules, lower case: binance, bybit, hyperliquid, okx.
std::vector<std::string> builtin_exchanges();

// The exchange an exchange entry's name stands for ("binance", "Bybit-main": bybit); "" for none,
// also for a longer word ("bybitt"). closest_exchange: the family a typo is nearest to (two edits
// at most), "" when none is.
std::string exchange_family(const std::string& name);
std::string closest_exchange(const std::string& name);

// The built-in schedule of `exchange` (a family above) for `asset`: the inverse one when
// `coin_margined`, else the linear one. Throws Error(config) listing the bundled schedules with
// their coins when there is none: a coin is never mapped with another coin's brackets.
Schedule builtin_schedule_for(const std::string& exchange, const std::string& asset, bool coin_margined);

}  // namespace liqmap
