#include "app/map_job.hpp"

#include "app/map_subject.hpp"

#include <utility>

#include "engine/plan_run.hpp"
#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"
#include "model/config_rules.hpp"
#include "model/venue_config.hpp"
#include "text/human_format.hpp"
#include "venues/venues.hpp"

namespace liqmap::app {
namespace {

// The four grids of a window's crop (Result's raw and smoothed sides, double).
double crop_bytes(const Config& config, const StepRange& window) {
  return 4.0 * 8 * config.grid.price_bins * double(window.last - window.first + 1);
}

// The liquidation map's column: the last drawn one, or the last at or before `at`.
std::size_t map_column(const Axes& axes, StepRange drawn, std::optional<std::int64_t> at) {
  // The map "at or before" a time before the first drawn column would be a column outside the
  // drawn bars, or the first one's nearly empty book: refused.
  for (std::size_t c = 0; at && c < axes.column_step.size(); ++c)
    if (axes.column_step[c] >= drawn.first) {
      if (*at < axes.column_ts[c])
        throw Error(ErrorCode::invalid_argument, "--map-at " + text::iso_utc(*at) + " is before the first bar drawn (" +
                                                     text::iso_utc(axes.column_ts[c]) +
                                                     "): the liquidation map is drawn at a bar of the map; give a time from then on");
      break;
    }
  if (!at)
    for (std::size_t c = axes.column_step.size(); c-- > 0 && !at;)
      if (axes.column_step[c] >= drawn.first && axes.column_step[c] <= drawn.last) at = axes.column_ts[c];
  if (!at) throw Error(ErrorCode::input, "the liquidation map: no column of the map is drawn");
  return column_at_or_before(axes, *at);
}

// The step of the liquidation map's column, picked once the plan's axes are known (the scatter
// adds the column there); `column` receives it. Empty when the job asks for no map.
std::function<std::int64_t(const Axes&)> map_step_of(const MapJob& job, const MapRun& run, std::size_t& column) {
  if (!job.liquidation_map) return {};
  return [&job, &run, &column](const Axes& axes) {
    column = map_column(axes, run.window, job.map_at);
    return std::int64_t(axes.column_step[column]);
  };
}

MapView drawn_view(std::string name, const Config& config, const Market& market, Result result, const MapRun& run) {
  MapView view;
  view.name = std::move(name);
  view.config = config;
  view.market = run.windowed ? crop_market(market, run.window) : market;
  view.result = run.windowed ? crop_result(result, run.window) : std::move(result);
  return view;
}

// The window's steps, with --range and --from -24h counted back from the data's last bar.
StepRange job_window(const MapJob& job, const Market& market, MapRun& run) {
  WindowBounds b = window_bounds(market.ts.back(), job.from, job.to, job.range_ms, job.from_end_ms);
  // No start asked for: from where the open interest seeds the book, the warm-up left undrawn.
  if (!b.from && market.warmup_rows > 0 && market.warmup_rows + 1 < market.size() && !job.show_warmup &&
      (!b.to || *b.to > market.ts[market.warmup_rows])) {
    b.from = market.ts[market.warmup_rows];
    run.notices.push_back("drawing from " + text::iso_utc(*b.from) + ", where the open interest seeds the book: the " +
                          std::to_string(market.warmup_rows) +
                          " warm-up candle(s) before it open positions but are not drawn (--show-warmup draws them, shaded)");
  }
  run.windowed = b.from || b.to;
  const StepRange window = steps_in_window(market, b.from, b.to, job.from_name, job.to_name);
  if (job.range_ms || job.from_end_ms)
    run.notices.push_back("drawing " + text::iso_utc(market.ts[window.first]) + " .. " +
                          text::iso_utc(market.ts[window.last]) + " (" + std::to_string(window.last - window.first + 1) +
                          " bars), the last " + text::duration_ms(double(job.range_ms ? *job.range_ms : *job.from_end_ms)) +
                          " up to " + (job.range_ms && job.to ? "--to" : "the data's last bar"));
  return window;
}

void compute_one(const MapJob& job, MapMarkets& markets, MapRun& run) {
  const Market& market = markets.market;
  run.window = job_window(job, market, run);
  if (job.on_notices) job.on_notices(run.notices);
  if (run.windowed) fit_price_range(run.config, market, run.window);

  // The plan and the liquidation map's column, which the CPU scatter adds as it draws: the map
  // needs no second flow solve nor a walk of its own.
  detail::RunExtras extras;
  extras.extra_memory_bytes = job.output_bytes + (run.windowed ? crop_bytes(run.config, run.window) : 0);
  std::size_t column = 0;
  extras.map_step = map_step_of(job, run, column);
  Result full = job.engine ? job.engine(market, run.config, extras) : detail::compute(market, run.config, job.run, &extras);
  if (job.engine && extras.map_step) extras.map_step(extras.plan.axes);  // compute() asks it itself
  if (!(full.stats.opened_usd > 0))
    throw Error(ErrorCode::input, std::string("no position opened over the ") + std::to_string(market.size()) +
                                      " bars (flow from " + full.stats.flow_source +
                                      (full.stats.flow_source == "oi" ? ": no open interest and no traded volume" : ": the volume is zero") +
                                      "): there is no map to draw");
  run.drawn = drawn_view("", run.config, market, std::move(full), run);
  run.subject = market_subject(run.config);
  if (job.liquidation_map)
    run.drawn.liquidation_map = std::make_shared<const map::LiquidationMap>(
        map::liquidation_map(extras.plan, column, job.run.threads, &extras.tier_column));
}

void compute_venues(const MapJob& job, MapMarkets& markets, MapRun& run) {
  std::vector<venues::VenueMarket> venue_markets;
  for (MapVenue& v : markets.venues) venue_markets.push_back({v.name, std::move(v.market), std::move(v.config)});
  for (std::string& notice : venues::align_venues(venue_markets)) run.notices.push_back(std::move(notice));
  const Market& first = venue_markets.front().market;
  run.window = job_window(job, first, run);
  if (!run.windowed) run.window = StepRange{0, first.size() - 1};
  if (job.on_notices) job.on_notices(run.notices);
  venues::share_price_axis(venue_markets, run.windowed ? run.window.first : 0, run.window.last);

  std::size_t column = 0;  // the liquidation map's, which each venue's CPU scatter adds as it draws
  const std::function<std::int64_t(const Axes&)> map_step = map_step_of(job, run, column);
  venues::VenuesRun result = venues::compute_venues(venue_markets, job.run, false, map_step);
  if (!(result.aggregate.stats.opened_usd > 0))
    throw Error(ErrorCode::input, "no position opened at any venue: there is no map to draw");

  std::vector<map::LiquidationMap> maps;
  std::vector<std::string> venue_names;
  for (std::size_t v = 0; v < venue_markets.size(); ++v) {
    venues::VenueRun& venue = result.venues[v];
    MapView view = drawn_view(venue_markets[v].name, venue_markets[v].config, venue_markets[v].market,
                              std::move(venue.result), run);
    if (job.liquidation_map) {
      maps.push_back(map::liquidation_map(venue.plan, column, job.run.threads, &venue.tier_column));
      view.liquidation_map = std::make_shared<const map::LiquidationMap>(maps.back());
    }
    venue_names.push_back(venue_markets[v].name);
    run.venues.push_back(std::move(view));
  }
  // The aggregate draws the first venue's candles as the price.
  run.drawn = drawn_view("", run.config, first, std::move(result.aggregate), run);
  run.subject = aggregate_subject(venue_names);
  if (job.liquidation_map)
    run.drawn.liquidation_map = std::make_shared<const map::LiquidationMap>(map::sum_maps(maps, maps.front().close));
}

}  // namespace

std::vector<std::string> apply_market_defaults(Config& config, const Market& market, std::optional<OiUnit> oi_unit) {
  std::vector<std::string> notices;
  if (oi_unit) config.flow.oi_unit = *oi_unit;
  const bool volume_flow = config.flow.source == FlowSource::volume ||
                           (config.flow.source == FlowSource::automatic && !market.has_oi());
  if (volume_flow && !config.flow.half_life_hours) {
    config.flow.half_life_hours = kVolumeFlowHalfLifeHours;
    notices.push_back("positions opened from volume decay with a half-life of 7 d (168 h), the default for candles "
                      "without open interest; flow.half_life_hours in a --config sets another");
  }
  for (std::string& notice : leverage_cap_notices(config)) notices.push_back(std::move(notice));
  return notices;
}

Config resolve_config(Config defaults, const std::string& config_file, const std::optional<nlohmann::json>& inline_config,
                      const ConfigOptions& o, const std::string& where) {
  Config config = !config_file.empty() ? detail::load_config_file(config_file, inline_config ? &*inline_config : nullptr,
                                                                  inline_config ? where + " over " + config_file : config_file)
                  : inline_config ? parse_config(inline_config->dump(), where)
                                  : std::move(defaults);
  if (o.bins) config.grid.price_bins = *o.bins;
  if (o.price_min) config.grid.price_min = *o.price_min;
  if (o.price_max) config.grid.price_max = *o.price_max;
  if (o.log_price) config.grid.price_scale = PriceScale::log;
  if (o.samples) config.positions.samples_per_step = *o.samples;
  if (o.seed) config.positions.seed = *o.seed;
  if (!o.symbol.empty()) {
    if (parse_symbol(o.symbol).asset.empty())
      throw Error(ErrorCode::invalid_argument, o.symbol_source + " \"" + o.symbol.substr(0, 64) +
                                                   "\" names no coin: give one like ETHUSDT, ETH-USDT-SWAP or SOL");
    apply_symbol(config, o.symbol, o.symbol_source);
    config.symbol = o.symbol;
  }
  return config;
}

Config venue_config(const Config& config, const VenueSpec& spec) {
  Config venue = config;
  venue.venues.clear();
  venue.exchanges = {{spec.name, 1.0, detail::venue_schedule(spec, config)}};
  if (spec.long_share) venue.long_share = *spec.long_share;
  return venue;
}

MapRun compute_map(const MapJob& job, MapMarkets markets) {
  MapRun run;
  run.config = job.config;
  run.notices = std::move(markets.notices);
  run.oi_unit = markets.oi_unit;
  if (markets.venues.empty()) compute_one(job, markets, run);
  else if (job.engine) throw Error(ErrorCode::config, "a live state follows one market: several venues are not supported yet");
  else compute_venues(job, markets, run);
  return run;
}

}  // namespace liqmap::app
