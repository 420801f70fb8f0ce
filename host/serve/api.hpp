// The JSON API's bodies, from one snapshot of the live run: what the server's handlers return.
// No model code here: the views are slices and sums of the saved run's grids and files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "serve/live_run.hpp"

namespace liqmap::serve {

// A request the API refuses: the HTTP status and the message of {"error": ...}.
struct ApiError {
  int status = 400;
  std::string message;
};

using Params = std::multimap<std::string, std::string>;  // httplib::Params

// The time presets of the page and of /api/heatmap?range= (CoinGlass's): 12h 24h 3d 1w 1m 3m 6m 1y.
// Throws ApiError(400) for another name.
std::int64_t preset_ms(const std::string& name);

// A window of the run: columns [first, last] (every `stride`-th counted back from `last`), the
// price axis in groups of `bin_group` bins.
struct Window {
  std::size_t first = 0, last = 0, stride = 1, bin_group = 1;
};

constexpr std::size_t kDefaultBins = 200;
constexpr std::size_t kMaxBins = 4096;
constexpr std::size_t kMaxWindowCells = 2'000'000;  // per side, before the stride in time

// from= / to= (ISO-8601 UTC or epoch s/ms), or range= (a preset back from the last column), and
// bins= (1..kMaxBins, default kDefaultBins, never more than the grid's). Throws ApiError(400).
Window window_of(const Snapshot& s, const Params& params);

// The window's result: its columns and the axis in groups (sums of the grid's bins).
Result window_result(const Snapshot& s, const Window& w);

nlohmann::json health_json(const Snapshot& s, bool writable);
nlohmann::json summary_json(const Snapshot& s, bool writable);
nlohmann::json clusters_body(const Snapshot& s);  // ApiError(404) when the run has no clusters.json
// The liquidation map by leverage tier at `at` (default the last column). The saved run holds
// the tiers at its last column only; at an earlier time the body gives the heatmap's column
// (by side, "by_tier": false).
nlohmann::json map_json(const Snapshot& s, const Params& params);
// The window as numbers: ts, close, price_edges, long/short as one array per column.
nlohmann::json heatmap_json(const Snapshot& s, const Window& w);
// The window in the page's own format (report::heatmap_page_data), for page/live.js; `range`
// (the preset asked, "" for none) goes with it so the page's control shows it.
std::string heatmap_page_json(const Snapshot& s, const Window& w, const std::string& title, const std::string& range = "");

// Query parameter `name`, if given once; ApiError(400) when it is given twice.
std::optional<std::string> param(const Params& params, const std::string& name);
// A time given as ISO-8601 UTC or epoch s/ms/µs/ns; ApiError(400) naming the parameter otherwise.
std::int64_t time_param(const std::string& name, const std::string& text);

}  // namespace liqmap::serve
