// The grid as the picture's pixels: where each price and column lands, and the USD value of
// each pixel. Kept apart from the drawing so it can be tested without Cairo.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "report.hpp"

namespace liqmap::report {

// The heatmap's rectangle in the picture and the part of the grid it shows.
struct PlotFrame {
  double left = 0, top = 0, width = 0, height = 0;  // pixels
  std::size_t first_column = 0, last_column = 0;    // inclusive
  double price_low = 0, price_high = 0;             // the price range shown, bottom to top
  double grid_low = 0, grid_high = 0;               // the grid's price range (its bin edges)
  std::size_t bins = 0;
  bool log_scale = false;                           // both ranges on the grid's scale

  double x_of_column(std::size_t column) const;  // centre of the column
  double y_of_price(double price) const;
  double price_of_y(double y) const;
  // Grid bins under the plot's pixel row `row` (0 = its top row), as (first, last)
  // inclusive; first > last when the row lies outside the grid.
  std::pair<std::size_t, std::size_t> bins_of_row(int row) const;
};

// Where the parts of heatmap.png sit, for a picture of options.width x options.height:
// the heatmap (with the columns options.from_ts..to_ts, or all, and the prices of
// options.view_margin), price labels to its right, then the profile panel, then the colour bar.
struct PictureLayout {
  PlotFrame plot;
  double axis_left = 0;                     // price labels
  double panel_left = 0, panel_width = 0;   // long/short profile at the cluster column
  double bar_left = 0, bar_width = 0;       // colour bar; its labels to the right
  double scale = 1;                         // text and margins, relative to 1600 x 900
};
// The least half-height of the price view, as a fraction of the last close, for a window of
// `span_ms`: 4% up to 12 h, 5% to 24 h, 7% to 3 d, 10% to 1 w, 15% to a month, 25% to 3 months,
// none beyond (a long window's own range is wide). The clusters of a short window lie at the
// leverage tiers' distances (a 25x long about 4% below), not within the window's range.
double min_view_half_width(std::int64_t span_ms);

PictureLayout picture_layout(const Result& result, const Market& market, const ReportOptions& options);

// USD per pixel over the frame (row 0 = top), width x height = the frame's size rounded.
// Each pixel takes the largest value of the bins and columns it covers, so a thin cluster
// stays visible when the grid is finer than the picture.
struct Raster {
  int width = 0, height = 0;
  std::vector<float> usd;
  float at(int x, int y) const { return usd[static_cast<std::size_t>(y) * width + x]; }
};
Raster rasterise(const Grid& longs, const Grid& shorts, const PlotFrame& frame);

// Host bytes rasterise and intensity_cap hold at their peak for a picture of width x height
// (the frame's size or more) on `threads` threads, whatever the grid's size.
double raster_memory_bytes(int width, int height, int threads);

// The value shown at full brightness: `percentile` of the non-zero pixels (1 when none).
double intensity_cap(const Raster& raster, double percentile);

// Colour position in [0, 1] of a USD value, and back (for the colour bar's labels).
double intensity_of(double usd, double cap, const ReportOptions& options);
double usd_of_intensity(double t, double cap, const ReportOptions& options);

// Per pixel row of the frame, the largest value of `profile` (one value per bin) over the
// bins the row covers (0 outside the grid).
std::vector<double> profile_rows(const std::vector<double>& profile, const PlotFrame& frame);

}  // namespace liqmap::report
