// heatmap.html: the heatmap as one self-contained page (zoom, pan, hover, profile), opened
// from disk with no server and no network. The page's HTML, CSS and JS are real source files
// in report/page/, embedded at build time; this side writes the run's data into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "report.hpp"

namespace liqmap::report {

// The grid as the page carries it: every column when they fit, else every `column_stride`-th
// column counted back from the last plus every column from `full_resolution_from` on (half the
// cells each), plus the first and the cluster column; `bin_group` adjacent bins summed; each
// cell quantised to 16 bits on a log scale spanning kPageDecades below the largest cell. Cells are column-major
// (a column's bins are contiguous, bottom bin first), so the page reads a profile in one run.
struct PageGrid {
  std::vector<std::size_t> columns;  // grid columns kept, ascending
  std::size_t column_stride = 1;     // grid columns between two kept ones in the overview
  std::size_t full_resolution_from = 0;  // every grid column from this one on is kept
  std::size_t bin_group = 1;         // grid bins per page bin
  std::size_t bins = 0;              // page bins (the last may hold fewer grid bins)
  double max_usd = 0;                // the largest cell of either side (quantisation scale)
  std::vector<std::uint16_t> longs, shorts;  // columns.size() x bins
};

constexpr double kPageDecades = 9;                  // the smallest non-zero code is max_usd * 1e-9
constexpr std::size_t kPageMaxCells = 2'000'000;    // per side: keeps the demo's page near 11 MB

// Picks the columns and bins so that columns x bins <= max_cells (the first column and
// `keep_column` may add two), sums bins only when 256 columns (or all, when fewer) would not fit.
PageGrid page_grid(const Result& result, std::size_t keep_column, std::size_t max_cells = kPageMaxCells);

// The 16-bit code of a USD value and back: 0 <-> 0 (and anything under max_usd * 1e-9), else
// a log step of kPageDecades / 65534, so a value comes back within 0.016%.
std::uint16_t quantise_usd(double usd, double max_usd);
double dequantise_usd(std::uint16_t code, double max_usd);

std::string base64(const std::uint8_t* data, std::size_t size);

// Bytes writing the page holds at its peak for a grid of `bins` (the 16-bit codes, their base64
// in the JSON and its text, the price edges, the raster that gives heatmap.png's cap on
// `threads` threads), for the memory check.
double page_memory_bytes(std::size_t bins, const ReportOptions& options, int threads);

// The page's data (the JSON heatmap.js reads): the grid as page_grid() keeps it, the closes, the
// colour scale and the clusters. `poll` is called between the long steps.
nlohmann::json heatmap_page_data(const Result& result, const Market& market, const Analysis& analysis,
                                 const std::function<void()>& poll = [] {});

// The page around `data_json` (heatmap_page_data's text), with `extra_script` after heatmap.js
// in its script element (the server's live updates, page/live.js).
void write_heatmap_page(std::ostream& out, const std::string& data_json, const std::string& extra_script = "");

// The page with this run's data in it (the cap and colours of heatmap.png, the clusters of
// clusters.json); throws Error(io) when it cannot write `path`, Error(cancelled) when
// `cancelled` says so between its steps.
void write_heatmap_html(const std::string& path, const Result& result, const Market& market, const Analysis& analysis,
                        const std::function<bool()>& cancelled = {});

}  // namespace liqmap::report
