// The run configuration (MODEL.md section 8). Every field has the documented default.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "liqmap/schedule.hpp"

namespace liqmap {

enum class PriceScale { linear, log };
enum class EntryMode { uniform, triangular, close, path };
enum class FlowSource { automatic, oi, volume };
enum class OiUnit { base, quote };

struct LeverageTier {
  double x = 1;  // leverage
  double w = 1;  // weight (normalised over tiers)
};

struct ExchangeShare {
  std::string name;
  double share = 1;  // normalised over exchanges
  Schedule schedule;
  // The entry named no schedule: the run's symbol picks the exchange's built-in one (the BTC
  // one until a symbol is known, as the default config has always done).
  bool schedule_from_symbol = false;
};

// One venue of a several-venue run (README "Several venues"): its own candles and open
// interest, margin schedule and optional constant long share. Its map comes from its own flow.
struct VenueSpec {
  std::string name;
  std::vector<std::string> market, oi;  // file paths or globs, as --market and --oi take them
  std::optional<double> long_share;     // used when its market has no long_share column
  std::optional<Schedule> schedule;     // else the exchanges[] entry of the same name
  std::optional<ContractType> contract; // when given, the schedule must be of this type
};

struct Config {
  struct GridShape {
    int price_bins = 2048;
    std::optional<double> price_min, price_max;
    PriceScale price_scale = PriceScale::linear;
    double range_margin = 0.3;
    int time_group = 1;  // steps per column; a column shows the last step of its group
    // Integer units per USD of the grid's sums are 2^fixed_point_exponent; unset: the largest
    // that keeps this run's opened notional in range. A live state pins it (and the price
    // range), so that appended candles keep the units a full compute of the same data uses.
    std::optional<int> fixed_point_exponent;
  } grid;

  struct Positions {
    int samples_per_step = 64;
    EntryMode entry = EntryMode::uniform;
    std::uint64_t seed = 1;
    double size_median_usd = 10000;
    double size_sigma = 1.0;
    bool same_bar = true;  // a position can be liquidated inside the bar it opens in
  } positions;

  // The traded symbol (ETHUSDT, ETH-USDT-SWAP, SOL): it picks the built-in schedules of the
  // exchanges that name none. Unset: the CLI takes it from the market files' names.
  std::optional<std::string> symbol;

  double long_share = 0.5;  // used when the market has no long_share column
  std::vector<LeverageTier> leverage;
  std::vector<ExchangeShare> exchanges;
  std::vector<VenueSpec> venues;  // empty: one market, split over `exchanges` by share

  struct Flow {
    FlowSource source = FlowSource::automatic;
    OiUnit oi_unit = OiUnit::base;
    double volume_open_fraction = 0.1;
    std::optional<double> half_life_hours;
    double turnover = 1.5;      // share of traded notional (volume x close) that opens, and closes
    double warmup_days = 30;    // candles before the first OI value that seed the opening OI
    bool spread_oi = true;      // an OI change spread over the finer candles of its interval
    // The longest interval (in candles) an OI change is spread over; unset: the median spacing
    // of the changes in the data. A live state pins it.
    std::optional<int> oi_interval_steps;
  } flow;

  struct Smoothing {
    double sigma_price_bins = 1.0;
    double sigma_time_steps = 0;
  } smoothing;

  struct Clusters {
    long column = -1;  // negative counts from the end
    double min_prominence = 0.05;
    double zone_level = 0.25;
    int top = 10;
  } clusters;
};

// The defaults of MODEL.md section 8 (five leverage tiers, Binance BTCUSDT only).
Config default_config();

// Parses a JSON configuration over the defaults. Throws Error(ErrorCode::config) naming the key
// and what is allowed: unknown keys, wrong types, out-of-range values, unknown schedules.
// `where` names the document (a file path) in messages.
Config parse_config(const std::string& json_text, const std::string& where = "config");
Config load_config_file(const std::string& path);

// Gives every exchange that named no schedule the built-in schedule of `symbol`'s coin on that
// exchange, and checks that the schedules named explicitly are for that coin. `origin` says where
// the symbol came from, for messages ("symbol", "the file name ETHUSDT-1h-2025-10.zip").
// Throws Error(config) when a coin has no schedule (the message lists the bundled ones) or a
// named schedule is another coin's.
void apply_symbol(Config& config, const std::string& symbol, const std::string& origin);

// One notice per exchange whose schedule allows less leverage than some tier: those tiers run at
// the schedule's cap there (MODEL.md section 3), so a "500x" tier on a 125x schedule maps 125x
// positions under its own label. Empty when every tier fits every schedule.
std::vector<std::string> leverage_cap_notices(const Config& config);

// The configuration as JSON (schedules by name), as written into axes.json.
std::string config_to_json(const Config& config);

const char* to_string(PriceScale v);
const char* to_string(EntryMode v);
const char* to_string(FlowSource v);
const char* to_string(OiUnit v);

}  // namespace liqmap
