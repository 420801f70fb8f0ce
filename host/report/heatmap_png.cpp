// heatmap.png: the liquidation heatmap as CoinGlass users read it. Price up, time right,
// dark-to-bright clusters, the close drawn over them, the cluster column's long/short profile
// with cumulative curves on the right, and a colour bar in USD.
#include "report.hpp"

#ifdef LIQMAP_HAVE_CAIRO

#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "axis_ticks.hpp"
#include "colormap.hpp"
#include "format.hpp"
#include "heatmap_raster.hpp"
#include "liqmap/error.hpp"
#include "png_file.hpp"

namespace liqmap::report {
namespace {

struct Colour {
  double r, g, b, a = 1;
};
constexpr Colour kBackground{0.047, 0.039, 0.086};
constexpr Colour kPanel{0.075, 0.063, 0.13};
constexpr Colour kText{0.86, 0.86, 0.92};
constexpr Colour kDimText{0.6, 0.6, 0.7};
constexpr Colour kGridLine{1, 1, 1, 0.08};
constexpr Colour kPriceLine{1.0, 0.23, 0.31};  // red: no viridis colour comes near it
constexpr Colour kCandleUp{0.91, 0.91, 0.95}, kCandleDown = kPriceLine;
constexpr double kMinCandlePixels = 4;         // narrower columns are merged into one candle
// As CoinGlass draws them (its liquidation map's cumulative curves, its liquidation charts): longs
// red (a long's liquidation is a forced sell), shorts green.
constexpr Colour kLongs{0.96, 0.27, 0.36, 0.9};
constexpr Colour kShorts{0.16, 0.74, 0.52, 0.9};
constexpr Colour kLongsCumulative{1.0, 0.65, 0.7};
constexpr Colour kShortsCumulative{0.55, 1.0, 0.8};
constexpr Colour kMarker{1, 1, 1};
constexpr Colour kLabelBox{0, 0, 0, 0.6};

enum class Align { left, centre, right };

// Owns the picture; the Cairo objects are released whatever happens while drawing.
class Canvas {
 public:
  Canvas(int width, int height, double scale)
      : scale_(scale),
        surface_(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height)),
        cr_(cairo_create(surface_)) {
    if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS)
      throw Error(ErrorCode::out_of_memory, std::string("heatmap: cannot create the picture: ") +
                                                cairo_status_to_string(cairo_status(cr_)));
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  }
  ~Canvas() {
    cairo_destroy(cr_);
    cairo_surface_destroy(surface_);
  }
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  cairo_t* cr() const { return cr_; }

  void colour(const Colour& c) const { cairo_set_source_rgba(cr_, c.r, c.g, c.b, c.a); }

  void fill_rect(double x, double y, double w, double h, const Colour& c) const {
    colour(c);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }

  void line(double x0, double y0, double x1, double y1, const Colour& c, double width) const {
    colour(c);
    cairo_set_line_width(cr_, width);
    cairo_move_to(cr_, x0, y0);
    cairo_line_to(cr_, x1, y1);
    cairo_stroke(cr_);
  }

  // Text with its baseline at y, `size` in points at scale 1; returns its width in pixels.
  double text(const std::string& s, double x, double y, double size, const Colour& c,
              Align align = Align::left, bool bold = false) const {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size * scale_);
    cairo_text_extents_t e;
    cairo_text_extents(cr_, s.c_str(), &e);
    const double shift = align == Align::left ? 0 : align == Align::centre ? e.x_advance / 2 : e.x_advance;
    colour(c);
    cairo_move_to(cr_, x - shift, y);
    cairo_show_text(cr_, s.c_str());
    return e.x_advance;
  }

  double text_width(const std::string& s, double size) const {
    cairo_set_font_size(cr_, size * scale_);
    cairo_text_extents_t e;
    cairo_text_extents(cr_, s.c_str(), &e);
    return e.x_advance;
  }

  void save(const std::string& path, const std::function<bool()>& cancelled) const {
    write_png(path, surface_, cancelled);
  }

 private:
  double scale_;  // font sizes are given for a 1600 x 900 picture
  cairo_surface_t* surface_;
  cairo_t* cr_;
};

void draw_heatmap(const Canvas& canvas, const Raster& raster, const PlotFrame& f, double cap,
                  const ReportOptions& options) {
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, raster.width, raster.height);
  if (cairo_surface_status(image) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(image);
    throw Error(ErrorCode::out_of_memory, "heatmap: cannot allocate the heatmap image");
  }
  cairo_surface_flush(image);
  unsigned char* data = cairo_image_surface_get_data(image);
  const int stride = cairo_image_surface_get_stride(image);
  for (int y = 0; y < raster.height; ++y) {
    auto* row = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
    for (int x = 0; x < raster.width; ++x) {
      const Rgb c = colour_at(intensity_of(raster.at(x, y), cap, options));
      row[x] = (std::uint32_t(c.r) << 16) | (std::uint32_t(c.g) << 8) | c.b;
    }
  }
  cairo_surface_mark_dirty(image);
  cairo_set_source_surface(canvas.cr(), image, f.left, f.top);
  cairo_pattern_set_filter(cairo_get_source(canvas.cr()), CAIRO_FILTER_NEAREST);
  cairo_rectangle(canvas.cr(), f.left, f.top, raster.width, raster.height);
  cairo_fill(canvas.cr());
  cairo_surface_destroy(image);
}

void draw_price_axis(const Canvas& canvas, const PictureLayout& l) {
  const PlotFrame& f = l.plot;
  const double k = l.scale;
  const int count = static_cast<int>(f.height / (46 * k));
  for (double p : f.log_scale ? log_price_ticks(f.price_low, f.price_high, count) : price_ticks(f.price_low, f.price_high, count)) {
    const double y = std::round(f.y_of_price(p)) + 0.5;
    canvas.line(f.left, y, f.left + f.width, y, kGridLine, 1);
    canvas.text(format_price(p), l.axis_left + 4 * k, y + 4 * k, 11, kDimText);
  }
}

double x_of_time(const Result& result, const PlotFrame& f, std::int64_t ms) {
  const auto& ts = result.axes.column_ts;
  const auto it = std::lower_bound(ts.begin() + static_cast<long>(f.first_column),
                                   ts.begin() + static_cast<long>(f.last_column) + 1, ms);
  const std::size_t c = static_cast<std::size_t>(it - ts.begin());
  return f.x_of_column(std::min(c, f.last_column));
}

void draw_time_axis(const Canvas& canvas, const Result& result, const PlotFrame& f, double k) {
  const auto& ts = result.axes.column_ts;
  const double bottom = f.top + f.height;
  for (const TimeTick& t : time_ticks(ts[f.first_column], ts[f.last_column], static_cast<int>(f.width / (120 * k)))) {
    const double x = std::round(x_of_time(result, f, t.ms)) + 0.5;
    if (x - canvas.text_width(t.label, 11) / 2 < 0) continue;  // the label would be cut off
    canvas.line(x, f.top, x, bottom, kGridLine, 1);
    canvas.line(x, bottom, x, bottom + 5 * k, kDimText, 1);
    canvas.text(t.label, x, bottom + 19 * k, 11, kDimText, Align::centre);
  }
  canvas.text("UTC", f.left + f.width, bottom + 31 * k, 9, kDimText, Align::right);
}

// Candles: open/high/low/close bodies and wicks (the bands end at highs and lows a close line
// never reaches); columns narrower than a readable candle are merged (the first open, the last
// close, the highest high and lowest low of their steps).
void draw_candles(const Canvas& canvas, const Result& result, const Market& market, const PlotFrame& f) {
  cairo_t* cr = canvas.cr();
  cairo_save(cr);
  cairo_rectangle(cr, f.left, f.top, f.width, f.height);
  cairo_clip(cr);
  const auto& steps = result.axes.column_step;
  const std::size_t columns = f.last_column - f.first_column + 1;
  const double slot = f.width / static_cast<double>(columns);
  const std::size_t group = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(kMinCandlePixels / slot)));
  // Whole pixels, an odd width, so the wick sits in the body's middle column unblurred.
  const int body = static_cast<int>(std::max(1.0, std::min(15.0, std::round(slot * static_cast<double>(group) * 0.7)))) | 1;
  for (std::size_t a = f.first_column; a <= f.last_column; a += group) {
    const std::size_t b = std::min(f.last_column, a + group - 1);
    // The steps since the column before `a` (a time group's), up to b's.
    const std::size_t first = a == f.first_column || steps[a - 1] + 1 > steps[a] ? steps[a] : steps[a - 1] + 1;
    double high = market.high[first], low = market.low[first];
    for (std::size_t s = first; s <= steps[b]; ++s) {
      high = std::max(high, market.high[s]);
      low = std::min(low, market.low[s]);
    }
    const double open = market.open[first], close = market.close[steps[b]];
    const double x = std::floor((f.x_of_column(a) + f.x_of_column(b)) / 2);
    const Colour& c = close >= open ? kCandleUp : kCandleDown;
    canvas.fill_rect(x, f.y_of_price(high), 1, std::max(1.0, f.y_of_price(low) - f.y_of_price(high)), c);
    const double top = f.y_of_price(std::max(open, close)), bottom = f.y_of_price(std::min(open, close));
    canvas.fill_rect(x - body / 2, top, body, std::max(1.0, bottom - top), c);
  }
  cairo_restore(cr);
}

// The warm-up columns (before the first open-interest value, when --show-warmup draws them)
// shaded and labelled: the book there is being opened by volume, not yet the market's.
void draw_warmup_shade(const Canvas& canvas, const Result& result, const Market& market, const PlotFrame& f, double k) {
  std::size_t end = f.first_column;
  while (end <= f.last_column && result.axes.column_step[end] < market.warmup_rows) ++end;
  if (end == f.first_column) return;
  const double n = static_cast<double>(f.last_column - f.first_column + 1);
  const double right = f.left + static_cast<double>(end - f.first_column) / n * f.width;
  canvas.fill_rect(f.left, f.top, right - f.left, f.height, {0, 0, 0, 0.55});
  canvas.line(right, f.top, right, f.top + f.height, {1, 1, 1, 0.5}, 1);
  canvas.text("warm-up: opened by volume before the open interest starts", f.left + 6 * k, f.top + 14 * k, 9, kText);
}

// The current price across plot and panel, with a tag on the price axis.
void draw_current_price(const Canvas& canvas, const PictureLayout& l, double price, double tick) {
  const double y = std::round(l.plot.y_of_price(price)) + 0.5;
  const double k = l.scale;
  cairo_t* cr = canvas.cr();
  const double dash[] = {4, 3};
  cairo_set_dash(cr, dash, 2, 0);
  canvas.line(l.plot.left, y, l.panel_left + l.panel_width, y, {1, 1, 1, 0.55}, 1);
  cairo_set_dash(cr, nullptr, 0, 0);
  const std::string label = format_price_to_tick(price, tick);
  const double w = canvas.text_width(label, 11) + 8 * k;
  canvas.fill_rect(l.axis_left, y - 8 * k, w, 16 * k, kPriceLine);
  canvas.text(label, l.axis_left + 4 * k, y + 4 * k, 11, {1, 1, 1}, Align::left, true);
}

void draw_cluster_markers(const Canvas& canvas, const PictureLayout& l, const Analysis& a) {
  const PlotFrame& f = l.plot;
  const double k = l.scale;
  const std::size_t column = std::clamp(a.clusters.column, f.first_column, f.last_column);
  const double x = f.x_of_column(column);
  if (column != f.last_column) {
    const double dash[] = {2, 3};
    cairo_set_dash(canvas.cr(), dash, 2, 0);
    canvas.line(std::round(x) + 0.5, f.top, std::round(x) + 0.5, f.top + f.height, {1, 1, 1, 0.5}, 1);
    cairo_set_dash(canvas.cr(), nullptr, 0, 0);
  }
  constexpr std::size_t kLabelled = 6;
  std::vector<double> label_rows;
  for (std::size_t i = 0; i < a.clusters.peaks.size(); ++i) {
    const Peak& p = a.clusters.peaks[i];
    const double y = f.y_of_price(p.price);
    if (y < f.top || y > f.top + f.height) continue;  // outside the prices shown
    canvas.colour(kMarker);
    cairo_set_line_width(canvas.cr(), 1.5);
    cairo_new_path(canvas.cr());  // no line from the previous marker
    cairo_arc(canvas.cr(), x, y, k * (i == 0 ? 6 : 4.5), 0, 2 * M_PI);
    cairo_stroke(canvas.cr());
    const bool crowded = std::any_of(label_rows.begin(), label_rows.end(),
                                     [y, k](double r) { return std::abs(r - y) < 16 * k; });
    if (i >= kLabelled || crowded) continue;
    label_rows.push_back(y);
    const std::string label = "#" + std::to_string(i + 1) + "  " + format_price(p.price) + "  " +
                              format_usd(p.value) + "  " + format_percent(p.distance_pct);
    const double w = canvas.text_width(label, 11) + 10 * k;
    const double lx = x - 12 * k - w >= f.left ? x - 12 * k - w : x + 12 * k;
    canvas.fill_rect(lx, y - 8 * k, w, 16 * k, kLabelBox);
    canvas.text(label, lx + 5 * k, y + 4 * k, 11, {1, 1, 1});
  }
}

void draw_profile_panel(const Canvas& canvas, const PictureLayout& l, const Result& result,
                        const Analysis& a) {
  const PlotFrame& f = l.plot;
  const ColumnClusters& c = a.clusters;
  const int rows = static_cast<int>(std::lround(f.height));
  canvas.fill_rect(l.panel_left, f.top, l.panel_width, f.height, kPanel);
  cairo_save(canvas.cr());
  cairo_rectangle(canvas.cr(), l.panel_left, f.top, l.panel_width, f.height);
  cairo_clip(canvas.cr());

  const std::size_t bins = result.axes.price_centres.size();
  std::vector<double> longs(bins), shorts(bins);
  for (std::size_t b = 0; b < bins; ++b) {
    longs[b] = result.smooth_long.at(b, c.column);
    shorts[b] = result.smooth_short.at(b, c.column);
  }
  const std::vector<double> long_rows = profile_rows(longs, f);
  const std::vector<double> short_rows = profile_rows(shorts, f);
  const std::vector<double> cum_short = profile_rows(c.cumulative_short_above, f);
  const std::vector<double> cum_long = profile_rows(c.cumulative_long_below, f);
  const double bar_max = std::max(*std::max_element(long_rows.begin(), long_rows.end()),
                                  *std::max_element(short_rows.begin(), short_rows.end()));
  const double cum_max = std::max(*std::max_element(cum_short.begin(), cum_short.end()),
                                  *std::max_element(cum_long.begin(), cum_long.end()));
  const double usable = l.panel_width - 4;
  for (int y = 0; y < rows; ++y) {
    const double top = f.top + y;
    if (bar_max > 0) {
      canvas.fill_rect(l.panel_left, top, long_rows[y] / bar_max * usable, 1, kLongs);
      canvas.fill_rect(l.panel_left, top, short_rows[y] / bar_max * usable, 1, kShorts);
    }
  }
  // Cumulative curves: each drawn only where it is non-zero (its side of the price).
  auto curve = [&](const std::vector<double>& v, const Colour& colour) {
    if (cum_max <= 0) return;
    bool drawing = false;
    for (int y = 0; y < rows; ++y) {
      if (v[y] <= 0) {
        drawing = false;
        continue;
      }
      const double px = l.panel_left + v[y] / cum_max * usable, py = f.top + y + 0.5;
      if (drawing)
        cairo_line_to(canvas.cr(), px, py);
      else
        cairo_move_to(canvas.cr(), px, py);
      drawing = true;
    }
    canvas.colour(colour);
    cairo_set_line_width(canvas.cr(), 1.5);
    cairo_stroke(canvas.cr());
  };
  curve(cum_short, kShortsCumulative);
  curve(cum_long, kLongsCumulative);
  cairo_restore(canvas.cr());

  const double mid = l.panel_left + l.panel_width / 2;
  const double k = l.scale;
  canvas.text("Profile " + format_utc(c.ts), mid, f.top - 22 * k, 11, kText, Align::centre, true);
  canvas.text("shorts above · longs below · max " + format_usd(bar_max), mid, f.top - 8 * k, 9,
              kDimText, Align::centre);
  const double bottom = f.top + f.height;
  // The curves grow away from the price, so their totals sit at the grid's ends.
  const double all_shorts = c.cumulative_short_above.empty() ? 0 : c.cumulative_short_above.back();
  const double all_longs = c.cumulative_long_below.empty() ? 0 : c.cumulative_long_below.front();
  canvas.text("cumulative from price: shorts up " + format_usd(all_shorts), mid, bottom + 14 * k, 9,
              kShortsCumulative, Align::centre);
  canvas.text("longs down " + format_usd(all_longs), mid, bottom + 27 * k, 9, kLongsCumulative,
              Align::centre);
}

void draw_colour_bar(const Canvas& canvas, const PictureLayout& l, double cap, const ReportOptions& options,
                     const std::string& bin_width) {
  const PlotFrame& f = l.plot;
  const int rows = static_cast<int>(std::lround(f.height));
  for (int y = 0; y < rows; ++y) {
    const Rgb c = colour_at(1.0 - (y + 0.5) / rows);
    canvas.fill_rect(l.bar_left, f.top + y, l.bar_width, 1, {c.r / 255.0, c.g / 255.0, c.b / 255.0});
  }
  for (double t : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    const double y = f.top + (1.0 - t) * f.height;
    canvas.line(l.bar_left + l.bar_width, y, l.bar_left + l.bar_width + 4 * l.scale, y, kDimText, 1);
    const std::string label = (t == 1.0 ? "≥" : "") + format_usd(usd_of_intensity(t, cap, options));
    canvas.text(label, l.bar_left + l.bar_width + 6 * l.scale, y + 4 * l.scale, 10, kDimText);
  }
  canvas.text("USD/bin", l.bar_left + l.bar_width / 2, f.top - 8 * l.scale, 9, kDimText, Align::centre);
  // The bin's width under the bar: a value per bin means nothing without it.
  canvas.text("bin " + bin_width, l.bar_left + l.bar_width / 2, f.top + f.height + 14 * l.scale, 9, kDimText,
              Align::centre);
}

std::string bias_words(std::string bias) {
  std::replace(bias.begin(), bias.end(), '_', ' ');
  return bias;
}

// Title and legend over the heatmap, clipped so they never run into the profile panel.
void draw_title(const Canvas& canvas, const PictureLayout& l, const Result& result, const Analysis& a,
                double cap) {
  const PlotFrame& f = l.plot;
  const double k = l.scale;
  const auto& ts = result.axes.column_ts;
  const ClusterSummary& s = a.clusters.summary;
  char asym[32], percentile[32];
  std::snprintf(asym, sizeof asym, "%+.2f", s.asymmetry);
  std::snprintf(percentile, sizeof percentile, "%g", a.options.cap_percentile);
  cairo_save(canvas.cr());
  cairo_rectangle(canvas.cr(), 0, 0, l.axis_left, f.top);
  cairo_clip(canvas.cr());
  const double w = canvas.text(a.options.title, f.left, 20 * k, 16, kText, Align::left, true);
  const std::string dates = "   " + format_utc(ts[f.first_column]) + "  to  " + format_utc(ts[f.last_column]);
  const std::string state = "   ·   price " + format_price_to_tick(a.clusters.price, a.price_tick) + "   ·   " +
                            bias_words(s.bias) + " (asymmetry " + asym + ")";
  // The dates give way first when a long title leaves no room: the price and bias matter more.
  const bool room = f.left + w + canvas.text_width(dates + state, 12) <= l.axis_left;
  canvas.text(room ? dates + state : state, f.left + w, 20 * k, 12, kDimText);
  std::string subject = a.options.subject;
  if (!subject.empty()) subject[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(subject[0])));
  if (!subject.empty()) canvas.text(subject + ".", f.left, 36 * k, 10, kText);
  canvas.text("Estimated USD that would be liquidated per price bin (" + format_bin_width(result.axes) +
                  " wide, smoothed); colour capped at the " + std::string(percentile) + "th percentile, " +
                  format_usd(cap) + ". Candles: white up, red down. Circles: top clusters.",
              f.left, 51 * k, 10, kDimText);
  cairo_restore(canvas.cr());
}

}  // namespace

bool can_render_png() { return true; }

void render_heatmap_png(const std::string& path, const Result& result, const Market& market,
                        const Analysis& a, const std::function<bool()>& cancelled) {
  const auto poll = [&cancelled] {
    if (cancelled && cancelled()) throw Error(ErrorCode::cancelled, "cancelled while drawing the picture");
  };
  const PictureLayout l = picture_layout(result, market, a.options);
  const Raster raster = rasterise(result.smooth_long, result.smooth_short, l.plot);
  const double cap = intensity_cap(raster, a.options.cap_percentile);
  poll();

  Canvas canvas(a.options.width, a.options.height, l.scale);
  canvas.fill_rect(0, 0, a.options.width, a.options.height, kBackground);
  draw_heatmap(canvas, raster, l.plot, cap, a.options);
  poll();
  draw_price_axis(canvas, l);
  draw_time_axis(canvas, result, l.plot, l.scale);
  draw_profile_panel(canvas, l, result, a);
  draw_warmup_shade(canvas, result, market, l.plot, l.scale);
  draw_candles(canvas, result, market, l.plot);
  draw_current_price(canvas, l, a.clusters.price, a.price_tick);
  draw_cluster_markers(canvas, l, a);
  draw_colour_bar(canvas, l, cap, a.options, format_bin_width(result.axes));
  draw_title(canvas, l, result, a, cap);
  poll();
  canvas.save(path, cancelled);
}

}  // namespace liqmap::report

#else  // no Cairo: the rest of the product works, the picture is not drawn

#include "liqmap/error.hpp"

namespace liqmap::report {

bool can_render_png() { return false; }

void render_heatmap_png(const std::string& path, const Result&, const Market&, const Analysis&,
                        const std::function<bool()>&) {
  throw Error(ErrorCode::io, "cannot draw '" + path + "': liqmap was built without Cairo "
                             "(install libcairo2-dev and rebuild)");
}

}  // namespace liqmap::report

#endif
