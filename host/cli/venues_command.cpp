#include "venues_command.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/map_market.hpp"
#include "app/map_outputs.hpp"
#include "app/standard_outputs.hpp"
#include "interrupt.hpp"
#include "liqmap/clusters.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"
#include "liquidation_map/liquidation_map.hpp"
#include "model/venue_config.hpp"
#include "progress.hpp"
#include "report/format.hpp"
#include "summary.hpp"
#include "venues/venues.hpp"
#include "window.hpp"

namespace liqmap::cli {
namespace {


// NAME[@SCHEDULE]:candles[,open interest...]
VenueSpec parse_venue_option(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    throw Error(ErrorCode::invalid_argument, "--venue '" + text + "': expected NAME[@SCHEDULE]:CANDLES[,OPEN_INTEREST...], "
                                             "e.g. bybit@bybit-linear-btcusdt:bybit_1h.csv,bybit_oi.csv");
  VenueSpec venue;
  std::string head = text.substr(0, colon);
  if (const std::size_t at = head.find('@'); at != std::string::npos) {
    venue.schedule = load_schedule(head.substr(at + 1));
    head.resize(at);
  }
  venue.name = head;
  if (venue.name.empty() || venue.name.find_first_of("/\\, ") != std::string::npos || venue.name[0] == '.')
    throw Error(ErrorCode::invalid_argument, "--venue '" + text + "': the name must be short, without / \\ , or spaces");
  std::stringstream files(text.substr(colon + 1));
  for (std::string path; std::getline(files, path, ',');)
    if (!path.empty()) (venue.market.empty() ? venue.market : venue.oi).push_back(path);
  return venue;
}

// --venue options over the config's venues: a name in both takes the files (and the schedule,
// if given) from the option and the rest from the config; with --venue only those venues run.
std::vector<VenueSpec> chosen_venues(const DataOptions& data, const Config& config) {
  if (data.venues.empty()) return config.venues;
  std::vector<VenueSpec> out;
  for (const std::string& text : data.venues) {
    VenueSpec option = parse_venue_option(text);
    for (const VenueSpec& known : config.venues)
      if (known.name == option.name) {
        if (!option.schedule) option.schedule = known.schedule;
        option.long_share = known.long_share;
        option.contract = known.contract;
      }
    for (const VenueSpec& seen : out)
      if (seen.name == option.name) throw Error(ErrorCode::invalid_argument, "--venue " + option.name + " is given twice");
    out.push_back(std::move(option));
  }
  return out;
}

venues::VenueMarket read_venue(const VenueSpec& spec, const Config& config, const DataOptions& data,
                               std::vector<std::string>& notices) {
  if (spec.market.empty()) throw Error(ErrorCode::config, "venue '" + spec.name + "' names no candle file (market)");
  venues::VenueMarket venue;
  venue.name = spec.name;
  venue.config = config;
  venue.config.venues.clear();
  venue.config.exchanges = {{spec.name, 1.0, detail::venue_schedule(spec, config)}};
  if (spec.long_share) venue.config.long_share = *spec.long_share;

  io::ReadOptions read;
  read.format = io::parse_market_format(data.format);
  read.drop_bad_rows = data.drop_bad_rows;
  if (!data.oi_unit.empty()) read.oi_unit = data.oi_unit == "quote" ? OiUnit::quote : OiUnit::base;
  read.warmup_days = config.flow.warmup_days;
  const std::vector<std::string> market_paths = io::expand_paths(spec.market), oi_paths = io::expand_paths(spec.oi);
  std::vector<std::string> all_paths = market_paths;
  all_paths.insert(all_paths.end(), oi_paths.begin(), oi_paths.end());
  io::require_matching_assets(all_paths, venue.config);
  io::MarketData read_data = io::read_market(market_paths, oi_paths, read);
  for (const std::string& notice : app::apply_market_defaults(venue.config, read_data.market, read_data.oi_unit))
    read_data.notices.push_back(notice);
  for (const std::string& notice : read_data.notices) notices.push_back("venue " + spec.name + ": " + notice);
  venue.market = std::move(read_data.market);
  return venue;
}

std::string exchange_names(const Config& config) {
  std::string names;
  for (const ExchangeShare& e : config.exchanges) names += (names.empty() ? "" : " + ") + e.name;
  return names;
}

}  // namespace

void add_venue_options(CLI::App& cmd, MapOptions& map, DataOptions* data) {
  cmd.add_option("--map-at", map.map_at,
                 "time of the liquidation map (liqmap_map.png, liquidation_map.csv): the last column at or before it;\n"
                 "default the last column drawn");
  if (!data) return;
  cmd.add_option("--venue", data->venues,
                 "a venue with its own data, NAME[@SCHEDULE]:CANDLES[,OPEN_INTEREST...]; repeatable. Each venue's map\n"
                 "comes from its own flow on shared axes; the aggregate is their sum (README \"Several venues\")");
}

bool uses_venues(const DataOptions& data, const Config& config) { return !data.venues.empty() || !config.venues.empty(); }

std::size_t map_column(const Axes& axes, StepRange drawn, std::optional<std::int64_t> at) {
  // The map "at or before" a time before the first drawn column would be a column outside the
  // drawn bars, or the first one's nearly empty book: refused.
  for (std::size_t c = 0; at && c < axes.column_step.size(); ++c)
    if (axes.column_step[c] >= drawn.first) {
      if (*at < axes.column_ts[c])
        throw Error(ErrorCode::invalid_argument, "--map-at " + io::format_timestamp(*at) + " is before the first bar drawn (" +
                                                     io::format_timestamp(axes.column_ts[c]) +
                                                     "): the liquidation map is drawn at a bar of the map; give a time from then on");
      break;
    }
  if (!at)
    for (std::size_t c = axes.column_step.size(); c-- > 0 && !at;)
      if (axes.column_step[c] >= drawn.first && axes.column_step[c] <= drawn.last) at = axes.column_ts[c];
  if (!at) throw Error(ErrorCode::input, "the liquidation map: no column of the map is drawn");
  return column_at_or_before(axes, *at);
}

std::vector<detail::OutputFile> liquidation_map_files(const detail::RunExtras& run, std::size_t column,
                                                      const Config& config, int threads, bool png) {
  auto map = std::make_shared<const map::LiquidationMap>(
      map::liquidation_map(run.plan, column, threads, &run.tier_column));
  return app::liquidation_map_outputs(map, exchange_names(config), png);
}

std::string venue_folder(const std::string& run_dir, const std::string& venue) {
  const std::filesystem::path folder = std::filesystem::path(run_dir) / "venues" / venue;
  if (!std::filesystem::is_directory(folder)) {
    std::string known;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(run_dir) / "venues", ec))
      known += (known.empty() ? "" : ", ") + entry.path().filename().string();
    throw Error(ErrorCode::io, "'" + run_dir + "' has no venue '" + venue + "' (" +
                                   (known.empty() ? std::string("it is not a several-venue run") : "its venues: " + known) + ")");
  }
  return folder.string();
}

void run_venues(const MapOptions& o, const DataOptions& data, Config config) {
  if (!data.market.empty() || !data.oi.empty())
    throw Error(ErrorCode::invalid_argument, "--market/--oi and venues (--venue or the config's venues) exclude each other: "
                                             "give every venue's files with its venue");
  config.venues = chosen_venues(data, config);
  // The coin named by the config or by every venue's files picks the schedules the venues take by
  // name (an ETHUSDT file gets each exchange's ETH schedule, as a one-market run does).
  std::vector<std::string> all_paths;
  for (const VenueSpec& spec : config.venues)
    for (const std::vector<std::string>* files : {&spec.market, &spec.oi})
      for (std::string& path : io::expand_paths(*files)) all_paths.push_back(std::move(path));
  std::vector<std::string> notices = io::choose_schedules(all_paths, config);
  std::vector<venues::VenueMarket> markets;
  for (const VenueSpec& spec : config.venues) markets.push_back(read_venue(spec, config, data, notices));
  for (std::string& notice : venues::align_venues(markets)) notices.push_back(std::move(notice));
  if (!o.quiet)
    for (const std::string& notice : notices) std::cerr << "liqmap: note: " << notice << "\n";

  const auto from = parse_time_option(o.from, "--from", o.quiet);
  const auto to = parse_time_option(o.to, "--to", o.quiet);
  const bool windowed = from || to;
  const StepRange window = windowed ? steps_in_window(markets.front().market, from, to)
                                    : StepRange{0, markets.front().market.size() - 1};
  venues::share_price_axis(markets, windowed ? window.first : 0, window.last);

  RunOptions run;
  run.backend = parse_backend(o.backend);
  run.threads = o.threads;
  const report::ReportOptions report_opts = report_options(o.report);
  report::validate(report_opts);
  app::OutputChoice choice = app::parse_output_choice(o.outputs);
  choice.grid_type = detail::parse_grid_type(o.grid_type);
  detail::OutputSet outputs(o.out_dir, {"venues"});
  const auto map_at = parse_time_option(o.map_at, "--map-at", o.quiet);
  std::size_t column = 0;  // the liquidation map's, which each venue's CPU scatter adds as it draws
  const auto map_step = [&](const Axes& axes) {
    column = map_column(axes, window, map_at);
    return std::int64_t(axes.column_step[column]);
  };
  const venues::VenuesRun result = [&] {
    const ProgressBar bar(o.quiet || o.json);
    run.progress = bar.callback();
    return venues::compute_venues(markets, run, false, map_step);
  }();
  if (!(result.aggregate.stats.opened_usd > 0))
    throw Error(ErrorCode::input, "no position opened at any venue: there is no map to draw");

  const auto start = std::chrono::steady_clock::now();
  // The drawn views (cropped to --from/--to) of the aggregate and of every venue; the
  // aggregate draws the first venue's candles as the price.
  const auto drawn_result = [&](const Result& r) { return windowed ? crop_result(r, window) : r; };
  const auto drawn_market = [&](const Market& m) { return windowed ? crop_market(m, window) : m; };
  const Result aggregate = drawn_result(result.aggregate);
  const Market aggregate_market = drawn_market(markets.front().market);
  std::vector<Result> venue_results;
  std::vector<Market> venue_markets;
  for (std::size_t v = 0; v < markets.size(); ++v) {
    venue_results.push_back(drawn_result(result.venues[v].result));
    venue_markets.push_back(drawn_market(markets[v].market));
  }
  std::vector<map::LiquidationMap> maps;
  for (const venues::VenueRun& v : result.venues)
    maps.push_back(map::liquidation_map(v.plan, column, o.threads, &v.tier_column));
  const auto sum = std::make_shared<const map::LiquidationMap>(map::sum_maps(maps, maps.front().close));

  std::string names;
  for (const auto& v : markets) names += (names.empty() ? "" : " + ") + v.name;
  // The pictures say which view they show.
  report::ReportOptions aggregate_report = report_opts;
  aggregate_report.title += " · aggregate of " + names;
  std::vector<report::ReportOptions> venue_reports(markets.size(), report_opts);
  for (std::size_t v = 0; v < markets.size(); ++v) venue_reports[v].title += " · " + markets[v].name;
  std::vector<detail::OutputFile> files = app::standard_outputs(aggregate, aggregate_market, config, aggregate_report, choice);
  for (auto& f : app::liquidation_map_outputs(sum, "aggregate: " + names, choice.png)) files.push_back(std::move(f));
  for (std::size_t v = 0; v < markets.size(); ++v) {
    const std::string folder = "venues/" + markets[v].name;
    auto venue_files = app::standard_outputs(venue_results[v], venue_markets[v], markets[v].config, venue_reports[v], choice);
    for (auto& f : app::liquidation_map_outputs(std::make_shared<const map::LiquidationMap>(maps[v]), markets[v].name, choice.png))
      venue_files.push_back(std::move(f));
    for (auto& f : app::in_folder(std::move(venue_files), folder)) files.push_back(std::move(f));
  }
  outputs.write_and_commit(files, [] { return interrupted(); },
                           [](const std::string& name) { return !app::is_standard_output(name); });
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (o.json) {
    nlohmann::json summary = run_summary_json(aggregate, aggregate_market, o.out_dir, seconds, notices);
    for (std::size_t v = 0; v < markets.size(); ++v)
      summary["venues"].push_back({{"name", markets[v].name},
                                   {"opened_usd", venue_results[v].stats.opened_usd},
                                   {"liquidated_usd", venue_results[v].stats.liquidated_usd},
                                   {"folder", o.out_dir + "/venues/" + markets[v].name}});
    std::cout << summary.dump(1) << "\n";
  } else if (!o.quiet) {
    print_run_summary(std::cout, aggregate, seconds);
    for (std::size_t v = 0; v < markets.size(); ++v)
      std::cout << "  venue " << markets[v].name << std::string(13 - std::min<std::size_t>(12, markets[v].name.size()), ' ')
                << report::format_usd(venue_results[v].stats.opened_usd) << " opened, "
                << report::format_usd(venue_results[v].stats.liquidated_usd) << " liquidated (venues/" << markets[v].name
                << ")\n";
    std::cout << "  drawn              " << io::format_timestamp(aggregate_market.ts.front()) << " .. "
              << io::format_timestamp(aggregate_market.ts.back()) << " (" << aggregate_market.size() << " bars)\n";
    std::cout << "  outputs in         " << o.out_dir << "\n";
  }
}

}  // namespace liqmap::cli
