#include "venues_command.hpp"

#include <filesystem>
#include <sstream>

#include "liqmap/error.hpp"

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

}  // namespace

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

}  // namespace liqmap::cli
