// cascade.json and cascade.png.
#include "cascade/cascade_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "liqmap/error.hpp"
#include "report/axis_ticks.hpp"
#include "report/format.hpp"
#include "text/human_format.hpp"

#ifdef LIQMAP_HAVE_CAIRO
#include <cairo.h>
#endif

namespace liqmap::cascade {

#ifdef LIQMAP_HAVE_CAIRO

bool can_draw_cascade_png() { return true; }

namespace {

void show(cairo_t* cr, const std::string& s, double x, double y, double size, double align = 0) {
  cairo_set_font_size(cr, size);
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  cairo_move_to(cr, x - align * e.x_advance, y);
  cairo_show_text(cr, s.c_str());
}

}  // namespace

// The column's profile around the move (longs red below, shorts green above) on a price axis
// and a USD-per-bin axis, the start, shock and final prices as lines, and the path's rounds as
// dots on the cumulative liquidated notional (right axis). 1600 x 900, as heatmap.png.
void write_cascade_png(const std::string& path, const Inputs& in, const Outcome& out) {
  constexpr double kScale = 2, kWidth = 800, kHeight = 450;  // drawn at 800 x 450, written twice as large
  constexpr double left = 70, right = 70, top = 56, bottom = 70;
  const std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(kWidth * kScale), int(kHeight * kScale)), cairo_surface_destroy);
  const std::unique_ptr<cairo_t, decltype(&cairo_destroy)> owner(cairo_create(surface.get()), cairo_destroy);
  cairo_t* cr = owner.get();
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) throw Error(ErrorCode::out_of_memory, "cascade.png: cannot create the picture");
  cairo_scale(cr, kScale, kScale);
  cairo_set_source_rgb(cr, 0.08, 0.08, 0.11);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

  const Profile& p = in.profile;
  const double lo = std::min({in.start_price, in.shocked_price, out.final_price});
  const double hi = std::max({in.start_price, in.shocked_price, out.final_price});
  const double margin = std::max(hi - lo, hi * 0.01) * 0.25;
  const double x_min = lo - margin, x_max = hi + margin;
  const double plot_w = kWidth - left - right, plot_h = kHeight - top - bottom;
  const auto x_of = [&](double price) { return left + plot_w * (price - x_min) / (x_max - x_min); };
  const double bin = p.price.size() > 1 ? p.price[1] - p.price[0] : 0;
  double peak = 0;
  for (std::size_t b = 0; b < p.price.size(); ++b)
    if (p.price[b] >= x_min && p.price[b] <= x_max) peak = std::max({peak, p.long_usd[b], p.short_usd[b]});
  const double total = std::max(out.long_usd + out.short_usd, 1e-300);
  const auto y_of = [&](double fraction) { return top + plot_h * (1 - fraction); };

  // Axes: price below, USD per bin left, cumulative liquidated right.
  cairo_set_line_width(cr, 1);
  for (const double price : report::price_ticks(x_min, x_max, 8)) {
    cairo_set_source_rgba(cr, 1, 1, 1, 0.08);
    cairo_move_to(cr, std::round(x_of(price)) + 0.5, top);
    cairo_line_to(cr, std::round(x_of(price)) + 0.5, top + plot_h);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.7);
    show(cr, report::format_price(price), x_of(price), top + plot_h + 14, 9, 0.5);
  }
  for (const double usd : report::price_ticks(0, peak > 0 ? peak : 1, 5)) {
    cairo_set_source_rgba(cr, 1, 1, 1, 0.08);
    cairo_move_to(cr, left, std::round(y_of(usd / (peak > 0 ? peak : 1))) + 0.5);
    cairo_line_to(cr, left + plot_w, std::round(y_of(usd / (peak > 0 ? peak : 1))) + 0.5);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.7);
    show(cr, text::usd(usd), left - 6, y_of(usd / (peak > 0 ? peak : 1)) + 3, 9, 1);
  }
  cairo_set_source_rgb(cr, 0.45, 0.65, 0.95);
  for (const double usd : report::price_ticks(0, total, 5))
    show(cr, text::usd(usd), left + plot_w + 6, y_of(usd / total) + 3, 9);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.7);
  show(cr, "price (USD)", left + plot_w / 2, top + plot_h + 30, 10, 0.5);
  show(cr, "USD per $" + report::format_price(bin) + " bin", left - 6, top - 8, 9, 0.5);
  cairo_set_source_rgb(cr, 0.45, 0.65, 0.95);
  show(cr, "cumulative liquidated", left + plot_w + 6, top - 8, 9, 0.5);

  const double bar_w = std::max(1.0, plot_w * bin / (x_max - x_min));
  for (std::size_t b = 0; peak > 0 && b < p.price.size(); ++b) {
    if (p.price[b] < x_min || p.price[b] > x_max) continue;
    const bool below = p.price[b] <= in.start_price;
    const double v = below ? p.long_usd[b] : p.short_usd[b];
    cairo_set_source_rgba(cr, below ? 0.96 : 0.16, below ? 0.27 : 0.74, below ? 0.36 : 0.52, 0.9);  // longs red
    cairo_rectangle(cr, x_of(p.price[b]) - bar_w / 2, y_of(v / peak), bar_w, plot_h * v / peak);
    cairo_fill(cr);
  }
  const auto vline = [&](double price, double r, double g, double b, const char* label, double y) {
    cairo_set_source_rgb(cr, r, g, b);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, x_of(price), top);
    cairo_line_to(cr, x_of(price), top + plot_h);
    cairo_stroke(cr);
    show(cr, std::string(label) + " " + report::format_price(price), x_of(price) + 3, y, 10);
  };
  vline(in.start_price, 1, 1, 1, "start", top + 12);
  vline(in.shocked_price, 1.0, 0.8, 0.2, "shock", top + 26);
  vline(out.final_price, 0.45, 0.65, 0.95, "final", top + 40);
  cairo_set_source_rgb(cr, 0.45, 0.65, 0.95);
  for (const Step& s : out.path) {
    cairo_arc(cr, x_of(s.price), y_of(s.liquidated_usd / total), 3, 0, 6.283185307179586);
    cairo_fill(cr);
  }
  const std::string title = "Cascade: " + report::format_price(in.start_price) + " -> shock " +
                            report::format_price(in.shocked_price) + " -> " + report::format_price(out.final_price) +
                            " after " + std::to_string(out.path.size() - 1) + " round(s); liquidated " +
                            text::usd(out.long_usd + out.short_usd);
  cairo_set_source_rgb(cr, 0.86, 0.86, 0.92);
  show(cr, title, left, 22, 13);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.7);
  show(cr, "Bars: USD that would be liquidated per $" + report::format_price(bin) +
               " price bin at the start (longs red below the price, shorts green above).",
       left, kHeight - 22, 8.5);
  show(cr, "Dots: the price after each round of forced flow and the USD liquidated so far (right axis).", left,
       kHeight - 10, 8.5);
  cairo_surface_flush(surface.get());
  const cairo_status_t status = cairo_surface_write_to_png(surface.get(), path.c_str());
  if (status != CAIRO_STATUS_SUCCESS)
    throw Error(ErrorCode::io, "cannot write '" + path + "': " + cairo_status_to_string(status));
}

#else

bool can_draw_cascade_png() { return false; }
void write_cascade_png(const std::string&, const Inputs&, const Outcome&) {
  throw Error(ErrorCode::invalid_argument, "cascade.png: this build has no Cairo (configure with libcairo2-dev)");
}

#endif

}  // namespace liqmap::cascade
