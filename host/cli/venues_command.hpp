// The options of several venues (compute --venue, or the config's `venues`) and of the
// liquidation map (--map-at). The option handling lives here so main.cpp only registers it.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "map_options.hpp"

namespace liqmap::cli {

// --map-at on demo and compute; --venue too when `data` is given (compute).
void add_venue_options(CLI::App& cmd, MapOptions& map, DataOptions* data);

// True when the run has venues (--venue or the config's `venues`).
bool uses_venues(const DataOptions& data, const Config& config);

// The venues a compute runs: the --venue options over the config's venues (a name in both takes
// the files, and the schedule if given, from the option and the rest from the config); with
// --venue only those venues run.
std::vector<VenueSpec> chosen_venues(const DataOptions& data, const Config& config);

// render --venue NAME: the venue's folder inside a run's output folder (Error(io) if it has none).
std::string venue_folder(const std::string& run_dir, const std::string& venue);

}  // namespace liqmap::cli
