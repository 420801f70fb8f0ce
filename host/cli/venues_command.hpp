// Several venues (compute --venue, or the config's `venues`) and the liquidation map's files
// for every run (--map-at). The option handling lives here so main.cpp only registers it.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "map_options.hpp"
#include "engine/plan_run.hpp"
#include "outputs/atomic_output.hpp"
#include "window.hpp"

namespace liqmap::cli {

// --map-at on demo and compute; --venue too when `data` is given (compute).
void add_venue_options(CLI::App& cmd, MapOptions& map, DataOptions* data);

// True when the run has venues (--venue or the config's `venues`).
bool uses_venues(const DataOptions& data, const Config& config);

// A several-venue compute: read, align, run each venue, write the aggregate and venues/<name>/.
void run_venues(const MapOptions& options, const DataOptions& data, Config config);

// The liquidation map's column on `axes`: the last at or before `at` (--map-at), else the last
// column whose step is `drawn` (inside --from/--to).
std::size_t map_column(const Axes& axes, StepRange drawn, std::optional<std::int64_t> at);

// The liquidation map's files of a one-market run at `column`, from the run's own plan, with the
// column the CPU scatter added when it is that one (detail::RunExtras).
std::vector<detail::OutputFile> liquidation_map_files(const detail::RunExtras& run, std::size_t column,
                                                      const Config& config, int threads, bool png);

// render --venue NAME: the venue's folder inside a run's output folder (Error(io) if it has none).
std::string venue_folder(const std::string& run_dir, const std::string& venue);

}  // namespace liqmap::cli
