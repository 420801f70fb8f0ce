#include "app/map_market.hpp"

#include <utility>

#include "liqmap/error.hpp"

namespace liqmap::app {
namespace {

std::shared_ptr<const io::MarketData> read_files(const std::vector<std::string>& market_paths,
                                                 const std::vector<std::string>& oi_paths, const io::ReadOptions& read,
                                                 const MarketReader& reader) {
  if (reader) return reader(market_paths, oi_paths, read);
  return std::make_shared<const io::MarketData>(io::read_market(market_paths, oi_paths, read));
}

MapVenue read_venue(const VenueSpec& spec, const Config& config, io::ReadOptions read, const MarketReader& reader,
                    std::vector<std::string>& notices) {
  if (spec.market.empty()) throw Error(ErrorCode::config, "venue '" + spec.name + "' names no candle file (market)");
  MapVenue venue{spec.name, {}, venue_config(config, spec)};
  if (!read.warmup_days) read.warmup_days = config.flow.warmup_days;
  const std::vector<std::string> market_paths = io::expand_paths(spec.market), oi_paths = io::expand_paths(spec.oi);
  std::vector<std::string> all_paths = market_paths;
  all_paths.insert(all_paths.end(), oi_paths.begin(), oi_paths.end());
  io::require_matching_assets(all_paths, venue.config);
  const std::shared_ptr<const io::MarketData> data = read_files(market_paths, oi_paths, read, reader);
  std::vector<std::string> venue_notices = data->notices;
  for (std::string& notice : apply_market_defaults(venue.config, data->market, data->oi_unit))
    venue_notices.push_back(std::move(notice));
  for (const std::string& notice : venue_notices) notices.push_back("venue " + spec.name + ": " + notice);
  venue.market = data->market;
  return venue;
}

}  // namespace

io::MarketData read_map_market(const std::vector<std::string>& market_patterns,
                               const std::vector<std::string>& oi_patterns, io::ReadOptions read, Config& config,
                               const MarketReader& reader) {
  if (!read.warmup_days) read.warmup_days = config.flow.warmup_days;
  const std::vector<std::string> market_paths = io::expand_paths(market_patterns);
  const std::vector<std::string> oi_paths = io::expand_paths(oi_patterns);
  std::vector<std::string> all_paths = market_paths;
  all_paths.insert(all_paths.end(), oi_paths.begin(), oi_paths.end());
  // The coin the config or the file names say picks the schedules, as in `liqmap compute`: the
  // file names' coin checked first, the contract type once the data's layout is known.
  io::require_matching_assets(all_paths, config);
  io::MarketData data = *read_files(market_paths, oi_paths, read, reader);
  std::vector<std::string> schedule_notices = io::choose_schedules(all_paths, config, data.coin_margined);
  data.notices.insert(data.notices.begin(), schedule_notices.begin(), schedule_notices.end());
  for (std::string& notice : apply_market_defaults(config, data.market, data.oi_unit))
    data.notices.push_back(std::move(notice));
  return data;
}

MapMarkets read_map_markets(const MapInputs& inputs, Config& config, const MarketReader& reader) {
  MapMarkets markets;
  if (inputs.venues.empty()) {
    if (inputs.market.empty()) throw Error(ErrorCode::invalid_argument, "--market is required (or give venues: --venue)");
    io::MarketData data = read_map_market(inputs.market, inputs.oi, inputs.read, config, reader);
    markets.market = std::move(data.market);
    markets.notices = std::move(data.notices);
    markets.oi_unit = data.oi_unit;
    return markets;
  }
  if (!inputs.market.empty() || !inputs.oi.empty())
    throw Error(ErrorCode::invalid_argument, "--market/--oi and venues (--venue or the config's venues) exclude each other: "
                                             "give every venue's files with its venue");
  config.venues = inputs.venues;
  // The coin named by the config or by every venue's files picks the schedules the venues take by
  // name (an ETHUSDT file gets each exchange's ETH schedule, as a one-market run does).
  std::vector<std::string> all_paths;
  for (const VenueSpec& spec : config.venues)
    for (const std::vector<std::string>* files : {&spec.market, &spec.oi})
      for (std::string& path : io::expand_paths(*files)) all_paths.push_back(std::move(path));
  markets.notices = io::choose_schedules(all_paths, config);
  for (const VenueSpec& spec : config.venues)
    markets.venues.push_back(read_venue(spec, config, inputs.read, reader, markets.notices));
  return markets;
}

}  // namespace liqmap::app
