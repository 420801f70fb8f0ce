// cascade.json and cascade.png.
#include "cascade/cascade_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "liqmap/error.hpp"
#include "text/human_format.hpp"

#ifdef LIQMAP_HAVE_CAIRO
#include <cairo.h>
#endif

namespace liqmap::cascade {

#ifdef LIQMAP_HAVE_CAIRO

bool can_draw_cascade_png() { return true; }

// The column's profile around the move (longs green below, shorts red above), the start, shock and
// final prices as lines, and the path's rounds as dots on the cumulative liquidated notional.
void write_cascade_png(const std::string& path, const Inputs& in, const Outcome& out) {
  constexpr int kWidth = 720, kHeight = 360;
  constexpr double left = 20, right = 20, top = 40, bottom = 50;
  const std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, kWidth, kHeight), cairo_surface_destroy);
  const std::unique_ptr<cairo_t, decltype(&cairo_destroy)> owner(cairo_create(surface.get()), cairo_destroy);
  cairo_t* cr = owner.get();
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) throw Error(ErrorCode::out_of_memory, "cascade.png: cannot create the picture");
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
  double peak = 0;
  for (std::size_t b = 0; b < p.price.size(); ++b)
    if (p.price[b] >= x_min && p.price[b] <= x_max) peak = std::max({peak, p.long_usd[b], p.short_usd[b]});
  const double bar_w = std::max(1.0, p.price.size() > 1 ? plot_w * (p.price[1] - p.price[0]) / (x_max - x_min) : 1.0);
  for (std::size_t b = 0; peak > 0 && b < p.price.size(); ++b) {
    if (p.price[b] < x_min || p.price[b] > x_max) continue;
    const bool below = p.price[b] <= in.start_price;
    const double v = below ? p.long_usd[b] : p.short_usd[b];
    cairo_set_source_rgba(cr, below ? 0.16 : 0.96, below ? 0.74 : 0.27, below ? 0.52 : 0.36, 0.9);
    cairo_rectangle(cr, x_of(p.price[b]) - bar_w / 2, top + plot_h * (1 - v / peak), bar_w, plot_h * v / peak);
    cairo_fill(cr);
  }
  const auto vline = [&](double price, double r, double g, double b, const char* label, double y) {
    cairo_set_source_rgb(cr, r, g, b);
    cairo_set_line_width(cr, 1.5);
    cairo_move_to(cr, x_of(price), top);
    cairo_line_to(cr, x_of(price), top + plot_h);
    cairo_stroke(cr);
    char text[64];
    std::snprintf(text, sizeof text, "%s %.2f", label, price);
    cairo_set_font_size(cr, 11);
    cairo_move_to(cr, x_of(price) + 3, y);
    cairo_show_text(cr, text);
  };
  vline(in.start_price, 1, 1, 1, "start", top + 12);
  vline(in.shocked_price, 1.0, 0.8, 0.2, "shock", top + 26);
  vline(out.final_price, 0.45, 0.65, 0.95, "final", top + 40);
  const double total = std::max(out.long_usd + out.short_usd, 1e-300);
  cairo_set_source_rgb(cr, 0.45, 0.65, 0.95);
  for (const Step& s : out.path) {
    cairo_arc(cr, x_of(s.price), top + plot_h * (1 - s.liquidated_usd / total), 3, 0, 6.283185307179586);
    cairo_fill(cr);
  }
  char title[160];
  std::snprintf(title, sizeof title, "Cascade: %.2f -> shock %.2f -> %.2f after %zu round(s); liquidated %s",
                in.start_price, in.shocked_price, out.final_price, out.path.size() - 1,
                text::usd(out.long_usd + out.short_usd).c_str());
  cairo_set_source_rgb(cr, 0.86, 0.86, 0.92);
  cairo_set_font_size(cr, 13);
  cairo_move_to(cr, left, 22);
  cairo_show_text(cr, title);
  cairo_set_font_size(cr, 10);
  cairo_move_to(cr, left, kHeight - 18);
  cairo_show_text(cr, "bars: liquidation notional per bin (longs green, shorts red); dots: cumulative liquidated per round");
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
