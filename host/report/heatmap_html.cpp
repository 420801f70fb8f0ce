#include "heatmap_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ostream>

#include <nlohmann/json.hpp>

#include "colormap.hpp"
#include "file_io.hpp"
#include "format.hpp"
#include "heatmap_raster.hpp"
#include "liquidation_map_png.hpp"
#include "page/page_sources.hpp"

namespace liqmap::report {
namespace {

using nlohmann::json;

constexpr std::size_t kMinPageColumns = 256;  // below this the time axis gets too coarse to read
constexpr double kCodeSteps = 65534;          // codes 1..65535 span kPageDecades

std::size_t ceil_div(std::size_t a, std::size_t b) { return (a + b - 1) / b; }

std::string encode_codes(const std::vector<std::uint16_t>& codes) {
  std::vector<std::uint8_t> bytes(codes.size() * 2);
  for (std::size_t i = 0; i < codes.size(); ++i) {  // little-endian whatever the host
    bytes[2 * i] = static_cast<std::uint8_t>(codes[i] & 0xff);
    bytes[2 * i + 1] = static_cast<std::uint8_t>(codes[i] >> 8);
  }
  return base64(bytes.data(), bytes.size());
}

json clusters_json(const Result& result, const Analysis& a) {
  json peaks = json::array(), zones = json::array();
  for (std::size_t i = 0; i < a.clusters.peaks.size(); ++i) {
    const Peak& p = a.clusters.peaks[i];
    peaks.push_back({{"price", p.price},
                     {"usd", p.value},
                     {"side", to_string(p.side)},
                     {"distance_pct", p.distance_pct},
                     {"usd_per_tenth_pct", i < a.peak_usd_per_tenth_pct.size() ? a.peak_usd_per_tenth_pct[i] : 0.0}});
  }
  for (const Zone& z : a.clusters.zones)
    zones.push_back({{"price_low", z.price_low}, {"price_high", z.price_high}, {"usd", z.notional}});
  return {{"ts", result.axes.column_ts[a.clusters.column]},
          {"price", a.clusters.price},
          {"bias", a.clusters.summary.bias},
          {"peaks", std::move(peaks)},
          {"zones", std::move(zones)}};
}

// heatmap.png's colour cap, computed the same way, so both show the same brightness.
double png_cap(const Result& result, const PlotFrame& plot, const ReportOptions& options) {
  return intensity_cap(rasterise(result.smooth_long, result.smooth_short, plot), options.cap_percentile);
}

// The liquidation map by tier, over the bins from its first to its last non-zero one, each value
// to 5 significant digits (the page's hover reads them back within 0.001%), and the price range
// liqmap_map.png shows.
json liquidation_map_json(const map::LiquidationMap& m) {
  std::size_t first = m.bins(), last = 0;
  for (std::size_t t = 0; t < m.tiers(); ++t)
    for (std::size_t b = 0; b < m.bins(); ++b)
      if (m.long_at(t, b) > 0 || m.short_at(t, b) > 0) {
        first = std::min(first, b);
        last = std::max(last, b);
      }
  if (first > last) return nullptr;
  const auto rounded = [](double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.5g", v > 0 ? v : 0.0);
    return std::strtod(text, nullptr);
  };
  json tiers = json::array(), longs = json::array(), shorts = json::array();
  for (std::size_t t = 0; t < m.tiers(); ++t) {
    tiers.push_back(m.tier_leverage[t]);
    json l = json::array(), s = json::array();
    for (std::size_t b = first; b <= last; ++b) {
      l.push_back(rounded(m.long_at(t, b)));
      s.push_back(rounded(m.short_at(t, b)));
    }
    longs.push_back(std::move(l));
    shorts.push_back(std::move(s));
  }
  const auto [low, high] = liquidation_map_range(m);
  return {{"ts", m.ts},
          {"close", m.close},
          {"tiers", std::move(tiers)},
          {"edges", std::vector<double>(m.edges.begin() + long(first), m.edges.begin() + long(last) + 2)},
          {"long", std::move(longs)},
          {"short", std::move(shorts)},
          {"range", {low, high}}};
}

// heatmap.png's window and prices: the page opens on the same view.
json view_json(const Result& result, const PlotFrame& plot) {
  return {{"from_ts", result.axes.column_ts[plot.first_column]},
          {"to_ts", result.axes.column_ts[plot.last_column]},
          {"price_low", plot.price_low},
          {"price_high", plot.price_high}};
}

}  // namespace

nlohmann::json heatmap_page_data(const Result& result, const Market& market, const Analysis& a,
                                 const std::function<void()>& poll) {
  const PageGrid g = page_grid(result, a.clusters.column);
  poll();
  const Axes& axes = result.axes;
  json ts = json::array(), open = json::array(), high = json::array(), low = json::array(), close = json::array();
  json edges = json::array(), colours = json::array();
  // Each kept column's candle spans the steps since the kept column before it (the overview's
  // stride, a time group), so the page's candles reach every high and low of the run.
  std::size_t next_step = g.columns.empty() ? 0 : axes.column_step[g.columns.front()];
  for (std::size_t c : g.columns) {
    const std::size_t step = axes.column_step[c], first = std::min(next_step, step);
    ts.push_back(axes.column_ts[c]);
    open.push_back(market.open.at(first));
    high.push_back(*std::max_element(market.high.begin() + long(first), market.high.begin() + long(step) + 1));
    low.push_back(*std::min_element(market.low.begin() + long(first), market.low.begin() + long(step) + 1));
    close.push_back(market.close.at(step));
    next_step = step + 1;
  }
  for (std::size_t b = 0; b < g.bins; ++b) edges.push_back(axes.price_edges[b * g.bin_group]);
  edges.push_back(axes.price_edges.back());
  for (int i = 0; i < 256; ++i) {
    const Rgb c = colour_at(i / 255.0);
    colours.push_back({c.r, c.g, c.b});
  }
  const ReportOptions& o = a.options;
  const PlotFrame plot = picture_layout(result, market, o).plot;
  return {{"title", o.title},
          {"subject", o.subject},
          {"view", view_json(result, plot)},
          {"bin_width", format_bin_width(axes)},
          {"price_scale", axes.scale == PriceScale::log ? "log" : "linear"},
          {"grid", {{"columns", axes.column_ts.size()}, {"bins", axes.price_centres.size()}}},
          {"column_stride", g.column_stride},
          {"full_resolution_from_ts", axes.column_ts[std::min(g.full_resolution_from, axes.column_ts.size() - 1)]},
          {"grid_columns", g.columns},
          {"bin_group", g.bin_group},
          {"ts", std::move(ts)},
          {"open", std::move(open)},
          {"high", std::move(high)},
          {"low", std::move(low)},
          {"close", std::move(close)},
          {"price_edges", std::move(edges)},
          {"quantisation", {{"max_usd", g.max_usd}, {"decades", kPageDecades}, {"steps", kCodeSteps}}},
          {"long", encode_codes(g.longs)},
          {"short", encode_codes(g.shorts)},
          {"colour", {{"table", std::move(colours)},
                      {"cap_usd", (poll(), png_cap(result, plot, o))},
                      {"cap_percentile", o.cap_percentile},
                      {"intensity", o.intensity == Intensity::log ? "log" : "gamma"},
                      {"gamma", o.gamma},
                      {"log_decades", 3}}},
          {"clusters", clusters_json(result, a)},
          {"liquidation_map", o.liquidation_map ? liquidation_map_json(*o.liquidation_map) : json(nullptr)}};
}

namespace {

// Writes the page's JSON inside its <script> element: "</script" or "<!--" in a string would
// end or bend the element, so every "<" (only ever inside strings in JSON) goes out as \u003c.
void write_script_safe(std::ostream& out, const std::string& json_text) {
  std::size_t from = 0;
  for (std::size_t at = json_text.find('<'); at != std::string::npos; at = json_text.find('<', from)) {
    out.write(json_text.data() + from, static_cast<std::streamsize>(at - from)) << "\\u003c";
    from = at + 1;
  }
  out.write(json_text.data() + from, static_cast<std::streamsize>(json_text.size() - from));
}

}  // namespace

std::uint16_t quantise_usd(double usd, double max_usd) {
  if (!(usd > 0) || !(max_usd > 0)) return 0;
  const double steps_below = -std::log10(usd / max_usd) / kPageDecades * kCodeSteps;
  if (steps_below > kCodeSteps + 0.5) return 0;  // below the smallest code: nothing to show
  return static_cast<std::uint16_t>(65535 - std::clamp(std::lround(steps_below), 0L, 65534L));
}

double dequantise_usd(std::uint16_t code, double max_usd) {
  if (code == 0) return 0;
  return max_usd * std::pow(10.0, -(65535.0 - code) / kCodeSteps * kPageDecades);
}

std::string base64(const std::uint8_t* data, std::size_t size) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(ceil_div(size, 3) * 4);
  for (std::size_t i = 0; i < size; i += 3) {
    const std::uint32_t n = (std::uint32_t(data[i]) << 16) | (i + 1 < size ? std::uint32_t(data[i + 1]) << 8 : 0) |
                            (i + 2 < size ? data[i + 2] : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[n & 63] : '=';
  }
  return out;
}

PageGrid page_grid(const Result& result, std::size_t keep_column, std::size_t max_cells) {
  const Grid& longs = result.smooth_long;
  const Grid& shorts = result.smooth_short;
  const std::size_t columns = longs.cols, bins = longs.rows;
  if (columns == 0 || bins == 0) throw Error(ErrorCode::invalid_argument, "heatmap.html: the grid is empty");
  PageGrid g;
  g.bin_group = ceil_div(bins * std::min(columns, kMinPageColumns), std::max<std::size_t>(max_cells, 1));
  g.bin_group = std::max<std::size_t>(g.bin_group, 1);
  g.bins = ceil_div(bins, g.bin_group);
  const std::size_t cells_per_column = g.bins;
  std::size_t stride = 1;
  g.full_resolution_from = 0;
  if (columns * cells_per_column > max_cells) {
    // Half the cells for the overview, the rest for the latest columns at full resolution:
    // the latest state is the one a trader zooms into first.
    stride = ceil_div(columns * cells_per_column, std::max<std::size_t>(max_cells / 2, 1));
    const std::size_t tail = max_cells / cells_per_column - std::min(max_cells / cells_per_column, columns / stride);
    g.full_resolution_from = columns - std::min(columns, tail);
  }
  g.column_stride = stride;
  // Counted back from the last column, so the last is always there.
  for (std::size_t c = columns; c >= stride; c -= stride) g.columns.push_back(c - 1);
  for (std::size_t c = g.full_resolution_from; c < columns; ++c) g.columns.push_back(c);
  g.columns.push_back(0);  // the first state too, so the page spans the whole run
  if (keep_column < columns && std::find(g.columns.begin(), g.columns.end(), keep_column) == g.columns.end())
    g.columns.push_back(keep_column);
  std::sort(g.columns.begin(), g.columns.end());
  g.columns.erase(std::unique(g.columns.begin(), g.columns.end()), g.columns.end());

  const auto cell = [&](const Grid& grid, std::size_t c, std::size_t pb) {
    double sum = 0;
    for (std::size_t b = pb * g.bin_group; b < std::min(bins, (pb + 1) * g.bin_group); ++b) sum += grid.at(b, c);
    return sum;
  };
  // Page bin by page bin, so that each pass reads the grids' rows in order (a walk down one
  // column would touch a new cache line at every cell): the largest cell, then the codes.
  const long page_bins = static_cast<long>(g.bins);
  double max_usd = 0;
#pragma omp parallel for schedule(static) reduction(max : max_usd)
  for (long pb = 0; pb < page_bins; ++pb)
    for (std::size_t c : g.columns)
      max_usd = std::max({max_usd, cell(longs, c, std::size_t(pb)), cell(shorts, c, std::size_t(pb))});
  g.max_usd = max_usd;
  g.longs.resize(g.columns.size() * g.bins);
  g.shorts.resize(g.columns.size() * g.bins);
#pragma omp parallel for schedule(static)
  for (long pb = 0; pb < page_bins; ++pb)
    for (std::size_t i = 0; i < g.columns.size(); ++i) {
      const std::size_t c = g.columns[i], at = i * g.bins + std::size_t(pb);
      g.longs[at] = quantise_usd(cell(longs, c, std::size_t(pb)), g.max_usd);
      g.shorts[at] = quantise_usd(cell(shorts, c, std::size_t(pb)), g.max_usd);
    }
  return g;
}

double page_memory_bytes(std::size_t bins, const ReportOptions& options, int threads) {
  const double codes = 2.0 * 2 * kPageMaxCells;  // two sides, 16 bits a cell
  const double base64_text = 2 * codes * 4 / 3;   // in the JSON document, then in its text
  // A page bin's edge as a JSON number and in the text; page bins are at most kPageMaxCells.
  const double edges = 48.0 * double(std::min(bins, kPageMaxCells));
  return codes + base64_text + edges + raster_memory_bytes(options.width, options.height, threads);
}

void write_heatmap_page(std::ostream& out, const std::string& data_json, const std::string& extra_script) {
  // The template streamed around its three markers, in the order they stand in it, so the
  // ~10 MB of data is not copied into a page string.
  const std::string page = page_sources::kHtml;
  const char* const markers[] = {"/*LIQMAP_CSS*/", "/*LIQMAP_DATA*/", "/*LIQMAP_JS*/"};
  std::size_t at[3];
  for (int i = 0; i < 3; ++i) {
    at[i] = page.find(markers[i], i == 0 ? 0 : at[i - 1]);
    if (at[i] == std::string::npos)
      throw Error(ErrorCode::internal, std::string("heatmap.html: the page template lacks ") + markers[i]);
  }
  const auto piece = [&](std::size_t from, std::size_t to) {
    out.write(page.data() + from, static_cast<std::streamsize>(to - from));
  };
  const auto after = [&](int i) { return at[i] + std::strlen(markers[i]); };
  piece(0, at[0]);
  out << page_sources::kCss;
  piece(after(0), at[1]);
  write_script_safe(out, data_json);
  piece(after(1), at[2]);
  out << page_sources::kJs;
  out << extra_script;  // our own source (page/live.js), appended to the page's script
  piece(after(2), page.size());
}

void write_heatmap_html(const std::string& path, const Result& result, const Market& market, const Analysis& analysis,
                        const std::function<bool()>& cancelled) {
  const auto poll = [&cancelled] {
    if (cancelled && cancelled()) throw Error(ErrorCode::cancelled, "cancelled while writing heatmap.html");
  };
  const std::string data = heatmap_page_data(result, market, analysis, poll).dump();
  poll();
  std::ofstream out = open_output(path);
  write_heatmap_page(out, data);
  finish_output(out, path);
}

}  // namespace liqmap::report
