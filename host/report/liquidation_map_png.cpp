#include "report/liquidation_map_png.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "liqmap/error.hpp"
#include "report/axis_ticks.hpp"
#include "report/format.hpp"

#ifdef LIQMAP_HAVE_CAIRO
#include <cairo.h>

#include "report/png_file.hpp"
#endif

namespace liqmap::report {

std::pair<double, double> liquidation_map_range(const map::LiquidationMap& map) {
  double longs = 0, shorts = 0;
  std::vector<double> long_bin(map.bins(), 0.0), short_bin(map.bins(), 0.0);
  for (std::size_t b = 0; b < map.bins(); ++b)
    for (std::size_t t = 0; t < map.tiers(); ++t) {
      long_bin[b] += map.long_at(t, b);
      short_bin[b] += map.short_at(t, b);
    }
  for (double v : long_bin) longs += v;
  for (double v : short_bin) shorts += v;
  double low = map.close * 0.97, high = map.close * 1.03;
  double running = 0;
  for (std::size_t b = map.bins(); b-- > 0;) {  // down from the top: longs sit below the price
    running += long_bin[b];
    if (running >= 0.98 * longs && longs > 0) {
      low = std::min(low, map.edges[b]);
      break;
    }
  }
  running = 0;
  for (std::size_t b = 0; b < map.bins(); ++b) {
    running += short_bin[b];
    if (running >= 0.98 * shorts && shorts > 0) {
      high = std::max(high, map.edges[b + 1]);
      break;
    }
  }
  low = std::max({low, map.close * 0.5, map.edges.front()});
  high = std::min({high, map.close * 1.5, map.edges.back()});
  return {low, high};
}

#ifdef LIQMAP_HAVE_CAIRO
namespace {

struct Rgb {
  double r, g, b;
};
// One colour per tier, apart from the cumulative curves' green and red.
constexpr Rgb kTierColours[] = {{0.27, 0.51, 0.96}, {0.61, 0.40, 0.94}, {0.98, 0.62, 0.18}, {0.98, 0.86, 0.25},
                                {0.22, 0.80, 0.86}, {0.93, 0.45, 0.72}, {0.62, 0.62, 0.68}, {0.55, 0.85, 0.35}};
constexpr Rgb kBackground{0.047, 0.039, 0.086}, kText{0.86, 0.86, 0.92}, kDim{0.6, 0.6, 0.7};
// Longs red, shorts green, as CoinGlass's liquidation map draws its cumulative curves.
constexpr Rgb kLongCurve{1.0, 0.33, 0.42}, kShortCurve{0.16, 0.80, 0.55};
constexpr std::size_t kBars = 140;

struct Painter {
  cairo_t* cr;
  double k;  // font scale for a 1600 x 900 picture
  void colour(const Rgb& c, double alpha = 1) const { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }
  // Returns the text's advance.
  double text(const std::string& s, double x, double y, double size, const Rgb& c, double align = 0, bool bold = false) const {
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size * k);
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    colour(c);
    cairo_move_to(cr, x - align * e.x_advance, y);
    cairo_show_text(cr, s.c_str());
    return e.x_advance;
  }
  void line(double x0, double y0, double x1, double y1, const Rgb& c, double width, double alpha = 1) const {
    colour(c, alpha);
    cairo_set_line_width(cr, width);
    cairo_move_to(cr, x0, y0);
    cairo_line_to(cr, x1, y1);
    cairo_stroke(cr);
  }
};

std::string tier_name(double leverage) {
  char text[32];
  std::snprintf(text, sizeof text, "%gx", leverage);
  return text;
}

}  // namespace

void render_liquidation_map_png(const std::string& path, const map::LiquidationMap& map, const std::string& subject,
                                const std::function<bool()>& cancelled, int width, int height) {
  // Named copies: a lambda may not capture a structured binding in C++17 (clang refuses).
  const auto range = liquidation_map_range(map);
  const double low = range.first, high = range.second;
  const std::size_t tiers = map.tiers();
  // Bars of whole bins of the map's axis (that of liquidation_map.csv and the heatmap), at most
  // about kBars of them; a bar's height is the mean USD per bin of its bins, per tier, so the
  // picture's unit is the CSV's and the heatmap's: USD per bin.
  std::size_t first_bin = map.bins(), last_bin = 0;
  for (std::size_t b = 0; b < map.bins(); ++b)
    if (map.centres[b] >= low && map.centres[b] < high) {
      first_bin = std::min(first_bin, b);
      last_bin = b;
    }
  if (first_bin > last_bin) first_bin = last_bin = 0;
  const std::size_t shown = last_bin - first_bin + 1;
  const std::size_t per_bar = (shown + kBars - 1) / kBars;
  const std::size_t bar_count = (shown + per_bar - 1) / per_bar;
  std::vector<double> bars(bar_count * tiers, 0.0);
  for (std::size_t b = first_bin; b <= last_bin; ++b)
    for (std::size_t t = 0; t < tiers; ++t)
      bars[(b - first_bin) / per_bar * tiers + t] += (map.long_at(t, b) + map.short_at(t, b)) / double(per_bar);
  const auto bar_edge = [&](std::size_t i) { return map.edges[std::min(first_bin + i * per_bar, last_bin + 1)]; };
  double tallest = 0;
  for (std::size_t i = 0; i < bar_count; ++i) {
    double stack = 0;
    for (std::size_t t = 0; t < tiers; ++t) stack += bars[i * tiers + t];
    tallest = std::max(tallest, stack);
  }
  // Cumulative curves over every bin (also those off the picture): longs from the price down,
  // shorts from the price up.
  std::vector<double> long_cum(map.bins(), 0.0), short_cum(map.bins(), 0.0);
  double running = 0;
  for (std::size_t b = map.bins(); b-- > 0;) {
    for (std::size_t t = 0; t < tiers; ++t) running += map.long_at(t, b);
    long_cum[b] = running;
  }
  running = 0;
  for (std::size_t b = 0; b < map.bins(); ++b) {
    for (std::size_t t = 0; t < tiers; ++t) running += map.short_at(t, b);
    short_cum[b] = running;
  }
  const double cum_top = std::max(long_cum.front(), short_cum.back());

  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height);
  cairo_t* cr = cairo_create(surface);
  struct Release {
    cairo_t* cr;
    cairo_surface_t* s;
    ~Release() {
      cairo_destroy(cr);
      cairo_surface_destroy(s);
    }
  } release{cr, surface};
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) throw Error(ErrorCode::out_of_memory, "liquidation map: cannot create the picture");
  const Painter paint{cr, std::min(width / 1600.0, height / 900.0)};
  const double k = paint.k;
  const double left = 100 * k, right = width - 110 * k, top = 118 * k, bottom = height - 70 * k;
  paint.colour(kBackground);
  cairo_paint(cr);

  const auto x_of = [&](double price) { return left + (price - low) / (high - low) * (right - left); };
  const auto y_bar = [&](double usd) { return bottom - usd / (tallest > 0 ? tallest * 1.08 : 1) * (bottom - top); };
  const auto y_cum = [&](double usd) { return bottom - usd / (cum_top > 0 ? cum_top * 1.05 : 1) * (bottom - top); };

  // Axes: price ticks below, bar USD on the left, cumulative USD on the right.
  for (double p : price_ticks(low, high, int((right - left) / (110 * k)))) {
    const double x = std::round(x_of(p)) + 0.5;
    paint.line(x, top, x, bottom, {1, 1, 1}, 1, 0.07);
    paint.text(format_price(p), x, bottom + 20 * k, 11, kDim, 0.5);
  }
  for (int i = 0; i <= 4; ++i) {
    const double y = std::round(bottom - i * (bottom - top) / 4.4) + 0.5;
    paint.line(left, y, right, y, {1, 1, 1}, 1, 0.07);
    paint.text(format_usd(tallest * 1.08 * i / 4.4), left - 8 * k, y + 4 * k, 11, kDim, 1);
    paint.text(format_usd(cum_top * 1.05 * i / 4.4), right + 8 * k, y + 4 * k, 11, kDim, 0);
  }
  const double bin_width = map.edges[first_bin + 1] - map.edges[first_bin];
  paint.text("USD per $" + format_price(bin_width) + " bin" +
                 (per_bar > 1 ? " (a bar: the mean of " + std::to_string(per_bar) + " bins)" : ""),
             12 * k, top - 12 * k, 10, kDim);
  paint.text("cumulative USD", right + 8 * k, top - 12 * k, 10, kDim, 0);

  // Stacked bars, lowest tier at the bottom.
  const double gap = std::max(1.0, (right - left) / double(bar_count) * 0.18);
  for (std::size_t i = 0; i < bar_count; ++i) {
    double stack = 0;
    const double x0 = std::max(left, x_of(bar_edge(i))), x1 = std::max(x0 + 1, std::min(right, x_of(bar_edge(i + 1))) - gap);
    for (std::size_t t = 0; t < tiers; ++t) {
      const double v = bars[i * tiers + t];
      if (!(v > 0)) continue;
      paint.colour(kTierColours[t % (sizeof kTierColours / sizeof kTierColours[0])]);
      cairo_rectangle(cr, x0, y_bar(stack + v), x1 - x0, y_bar(stack) - y_bar(stack + v));
      cairo_fill(cr);
      stack += v;
    }
  }
  if (cancelled && cancelled()) throw Error(ErrorCode::cancelled, "cancelled while drawing the liquidation map");

  // Cumulative curves: longs below the price (rising to the left), shorts above it.
  cairo_save(cr);
  cairo_rectangle(cr, left, top, right - left, bottom - top);
  cairo_clip(cr);
  const auto curve = [&](const std::vector<double>& cum, bool below, const Rgb& c) {
    paint.colour(c);
    cairo_set_line_width(cr, 2.5 * k);
    bool started = false;
    for (std::size_t b = 0; b < map.bins(); ++b) {
      const double p = map.centres[b];
      if (below ? p > map.close : p < map.close) continue;
      const double x = x_of(p), y = y_cum(cum[b]);
      if (started) cairo_line_to(cr, x, y);
      else cairo_move_to(cr, x, y);
      started = true;
    }
    cairo_stroke(cr);
  };
  curve(long_cum, true, kLongCurve);
  curve(short_cum, false, kShortCurve);
  cairo_restore(cr);

  // The price.
  const double xc = std::round(x_of(map.close)) + 0.5;
  const double dash[] = {6 * k, 4 * k};
  cairo_set_dash(cr, dash, 2, 0);
  paint.line(xc, top - 4 * k, xc, bottom, {1, 1, 1}, 1.5 * k, 0.9);
  cairo_set_dash(cr, nullptr, 0, 0);
  paint.text("price " + format_price(map.close), xc, top - 12 * k, 12, kText, 0.5, true);

  // Title, totals and legend.
  const double title_width = paint.text("Liquidation map", left, 30 * k, 18, kText, 0, true);
  paint.text(subject, left + title_width + 14 * k, 30 * k, 12, kDim);
  paint.text(format_utc(map.ts) + "   longs below the price " + format_usd(long_cum.front()) + "   shorts above " +
                 format_usd(short_cum.back()),
             left, 54 * k, 12, kDim);
  double x = left;
  for (std::size_t t = 0; t < tiers; ++t) {
    paint.colour(kTierColours[t % (sizeof kTierColours / sizeof kTierColours[0])]);
    cairo_rectangle(cr, x, 66 * k, 14 * k, 12 * k);
    cairo_fill(cr);
    paint.text(tier_name(map.tier_leverage[t]), x + 19 * k, 77 * k, 12, kText);
    x += 70 * k;
  }
  paint.line(x + 10 * k, 72 * k, x + 34 * k, 72 * k, kLongCurve, 2.5 * k);
  paint.text("cumulative longs", x + 40 * k, 77 * k, 12, kText);
  x += 190 * k;
  paint.line(x, 72 * k, x + 24 * k, 72 * k, kShortCurve, 2.5 * k);
  paint.text("cumulative shorts", x + 30 * k, 77 * k, 12, kText);
  paint.text("price (USD)", (left + right) / 2, bottom + 44 * k, 11, kDim, 0.5);

  if (cancelled && cancelled()) throw Error(ErrorCode::cancelled, "cancelled while drawing the liquidation map");
  write_png(path, surface, cancelled);
}

#else

void render_liquidation_map_png(const std::string&, const map::LiquidationMap&, const std::string&,
                                const std::function<bool()>&, int, int) {
  throw Error(ErrorCode::internal, "liqmap was built without Cairo: no liqmap_map.png");
}

#endif

}  // namespace liqmap::report
