// A map job's markets read from files as `liqmap compute` reads them: the coin of the config or
// the file names picks the schedules, the data's units and the defaults go into the config.
// Shared by every front end that reads files (compute, venues, batch, calibrate, the C API).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/map_job.hpp"
#include "liqmap/config.hpp"
#include "liqmap/io.hpp"
#include "liqmap/market.hpp"

namespace liqmap::app {

// Reads one market's files (expanded paths); batch passes one that reads each set of files once.
using MarketReader = std::function<std::shared_ptr<const io::MarketData>(
    const std::vector<std::string>& market_paths, const std::vector<std::string>& oi_paths, const io::ReadOptions&)>;

// Expands globs, checks the files' coin against the config's schedules, reads and joins them
// (read.warmup_days defaults to the config's), and applies apply_market_defaults. The notices
// of the read and of the defaults are in the result.
io::MarketData read_map_market(const std::vector<std::string>& market_patterns,
                               const std::vector<std::string>& oi_patterns, io::ReadOptions read, Config& config,
                               const MarketReader& reader = {});

// What a job reads: one market's candle and open-interest files, or venues with their own.
struct MapInputs {
  std::vector<std::string> market, oi;
  std::vector<VenueSpec> venues;  // when not empty, `market` and `oi` must be
  io::ReadOptions read;
};

// The job's markets from files; `config` takes the data's defaults (the one market's OI unit and
// half-life; for venues, the coin every venue's files name). Notices name the venue they concern.
MapMarkets read_map_markets(const MapInputs& inputs, Config& config, const MarketReader& reader = {});

}  // namespace liqmap::app
