// One map job: what every front end (the CLI's demo and compute, batch rows, the C API and so
// Python and Dask) runs to make one map. A front end parses its own syntax into a MapJob and a
// MapMarkets, calls compute_map, and writes map_files (app/map_files.hpp) of the MapRun; none
// of them assembles a run itself.
//
//   config:  defaults -> config file -> inline config -> options   (resolve_config)
//   markets: files read with the file names' coin and the data's units  (app/map_files.hpp)
//   run:     window -> price range of the window -> compute (memory checked once, the
//            liquidation map's column added by the scatter) -> the drawn views (compute_map)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/map_window.hpp"
#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "liquidation_map/liquidation_map.hpp"

namespace liqmap::detail {
struct RunExtras;  // engine/plan_run.hpp
}

namespace liqmap::app {

// Hours of the volume flow's half-life when neither open interest nor the config gives one
// (README: "Candles alone"): volume says when positions open, never when they close.
constexpr double kVolumeFlowHalfLifeHours = 168;

// What the data says about `config`: the unit of open interest the files state (the files win,
// as in the CLI), and the default half-life for candles without open interest unless the config
// sets one. Returns a notice for each default applied.
std::vector<std::string> apply_market_defaults(Config& config, const Market& market, std::optional<OiUnit> oi_unit);

// The options every front end may set on top of the config (CLI flags, a batch row's keys).
struct ConfigOptions {
  std::optional<int> bins, samples;
  std::optional<double> price_min, price_max;
  std::optional<std::uint64_t> seed;
  bool log_price = false;
  std::string symbol;  // --symbol: the coin whose schedules apply; "" leaves the config's
  std::string symbol_source = "--symbol";  // named in messages
};

// The configuration of a job, in one fixed order: `defaults`, replaced by the config file when one
// is named, then `inline_config` merged over it key by key (JSON merge patch, RFC 7386: a batch
// row's "config" object over the defaults' file), then the options. `where` names the inline
// config in messages.
Config resolve_config(Config defaults, const std::string& config_file, const std::optional<nlohmann::json>& inline_config,
                      const ConfigOptions& options, const std::string& where = "config");

// One venue of a several-venue job: its name and schedule, its market and the run's config with
// that venue's schedule (venue_config).
struct MapVenue {
  std::string name;
  Market market;
  Config config;
};

// The run's config for one venue: exchanges = [its schedule], its long share, no venues.
Config venue_config(const Config& config, const VenueSpec& spec);

// What a job maps: one market, or several venues (then `market` is unused).
struct MapMarkets {
  Market market;
  std::vector<MapVenue> venues;
  std::vector<std::string> notices;  // the readers' and the defaults', in order
  std::optional<OiUnit> oi_unit;     // of the one market's files, when they say it
};

struct MapJob {
  Config config;                           // resolved (resolve_config, and the data's defaults)
  std::optional<std::int64_t> from, to;    // the window drawn (ms); the run covers all the data
  std::optional<std::int64_t> range_ms;    // --range: the last range_ms up to `to` (or the data's end)
  std::optional<std::int64_t> from_end_ms; // --from -24h: `from` this long before the data's last bar
  const char* from_name = "--from";        // the window's bounds as the front end names them
  const char* to_name = "--to";
  std::optional<std::int64_t> map_at;      // the liquidation map's time; default the last column drawn
  // The warm-up candles before the first open-interest value open the book by volume: with no
  // --from the map is drawn from where the open interest seeds it, unless this asks for the
  // warm-up too (then heatmap.png shades it and review.md says so).
  bool show_warmup = false;
  bool liquidation_map = true;             // liquidation_map.csv / liqmap_map.png
  RunOptions run;
  double output_bytes = 0;                 // what the outputs will hold besides the grids (pictures, page)
  // Called with every notice (the readers', the venues' alignment) before the computation starts.
  std::function<void(const std::vector<std::string>&)> on_notices;
  // Runs the model instead of compute() (a live state's, host/live/): returns its Result and
  // fills extras.plan. Empty: compute(). One market only.
  std::function<Result(const Market&, const Config&, detail::RunExtras&)> engine;
};

// A map's drawn view: the window's market and result, and the liquidation map at the job's time.
struct MapView {
  std::string name;  // the venue's, or "" for the job's own
  Config config;     // the config this view was computed with
  Market market;
  Result result;
  std::shared_ptr<const map::LiquidationMap> liquidation_map;  // null when the job asked for none
};

struct MapRun {
  Config config;                  // the job's, with the price range fitted to the window
  bool windowed = false;
  StepRange window;               // steps of the whole market drawn
  MapView drawn;                  // the market's map, or the venues' aggregate
  std::vector<MapView> venues;    // one per venue, empty for one market
  std::string subject;            // what the map shows, in words (app/map_subject.hpp)
  std::vector<std::string> notices;
  std::optional<OiUnit> oi_unit;
};

// Runs the job on `markets`. Throws Error: a window with no bar, too little memory, no position
// opened (nothing to draw), a cancel.
MapRun compute_map(const MapJob& job, MapMarkets markets);

}  // namespace liqmap::app
