// backtest.png (1600 x 900, as heatmap.png): per horizon, each rule's first-touch rate with its 95%
// interval, and a 50% line; the y axis is the share of decided windows.
#include "backtest/backtest_outputs.hpp"

#include "liqmap/error.hpp"

#ifdef LIQMAP_HAVE_CAIRO
#include <cairo.h>

#include <cstdio>
#include <memory>
#endif

namespace liqmap::backtest {

#ifdef LIQMAP_HAVE_CAIRO
namespace {

struct Rgb {
  double r, g, b;
};
// cluster, mirror, random, momentum, always-down
constexpr Rgb kRuleColour[kRules] = {{0.98, 0.75, 0.18}, {0.55, 0.55, 0.62}, {0.45, 0.65, 0.95}, {0.35, 0.8, 0.55},
                                     {0.93, 0.35, 0.4}};

void text(cairo_t* cr, const std::string& s, double x, double y, double size, bool centred = false) {
  cairo_set_font_size(cr, size);
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  cairo_move_to(cr, centred ? x - e.x_advance / 2 : x, y);
  cairo_show_text(cr, s.c_str());
}

}  // namespace

bool can_draw_png() { return true; }

void write_backtest_png(const std::string& path, const Report& report) {
  constexpr double kScale = 2, kWidth = 800, kHeight = 450;  // drawn at 800 x 450, written twice as large
  constexpr double left = 70, right = 20, top = 46, bottom = 70;
  const std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, int(kWidth * kScale), int(kHeight * kScale)), cairo_surface_destroy);
  const std::unique_ptr<cairo_t, decltype(&cairo_destroy)> owner(cairo_create(surface.get()), cairo_destroy);
  cairo_t* cr = owner.get();
  if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) throw Error(ErrorCode::out_of_memory, "backtest.png: cannot create the picture");
  cairo_scale(cr, kScale, kScale);
  cairo_set_source_rgb(cr, 0.08, 0.08, 0.11);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);

  const double plot_w = kWidth - left - right, plot_h = kHeight - top - bottom;
  const auto y_of = [&](double rate) { return top + plot_h * (1.0 - rate); };
  cairo_set_source_rgb(cr, 0.86, 0.86, 0.92);
  text(cr, "Reached its level before the mirror level (95% interval), by horizon", left, 22, 13);
  cairo_set_line_width(cr, 1);
  for (const double tick : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    cairo_set_source_rgba(cr, 1, 1, 1, tick == 0.5 ? 0.5 : 0.12);
    cairo_move_to(cr, left, y_of(tick));
    cairo_line_to(cr, left + plot_w, y_of(tick));
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.6, 0.6, 0.7);
    char label[16];
    std::snprintf(label, sizeof label, "%.0f%%", tick * 100);
    text(cr, label, left - 34, y_of(tick) + 4, 10);
  }
  // The y axis's unit, written up its side.
  cairo_save(cr);
  cairo_translate(cr, 18, top + plot_h / 2);
  cairo_rotate(cr, -1.5707963267948966);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.7);
  text(cr, "reached first, % of decided windows", 0, 0, 10, true);
  cairo_restore(cr);
  const std::size_t n = report.horizons.size();
  const double slot = n ? plot_w / double(n) : plot_w;
  const double bar = slot * 0.8 / double(kRules);
  for (std::size_t h = 0; h < n; ++h) {
    const Group& g = report.horizons[h].all;
    const double x0 = left + slot * double(h) + slot * 0.1;
    for (std::size_t r = 0; r < kRules; ++r) {
      const Rate& rate = g.rules[r].first;
      if (rate.n == 0) continue;
      const double x = x0 + bar * double(r);
      cairo_set_source_rgb(cr, kRuleColour[r].r, kRuleColour[r].g, kRuleColour[r].b);
      cairo_rectangle(cr, x + 1, y_of(rate.value), bar - 2, y_of(0) - y_of(rate.value));
      cairo_fill(cr);
      cairo_set_source_rgb(cr, 1, 1, 1);
      cairo_move_to(cr, x + bar / 2, y_of(rate.low));
      cairo_line_to(cr, x + bar / 2, y_of(rate.high));
      cairo_stroke(cr);
    }
    cairo_set_source_rgb(cr, 0.86, 0.86, 0.92);
    const std::string label =
        horizon_label(report.horizons[h].horizon_ms) + " (" + std::to_string(g.rules[0].first.n) + " decided)";
    text(cr, label, left + slot * (double(h) + 0.5), y_of(0) + 16, 11, true);
  }
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.7);
  text(cr, "horizon (windows where one of the two levels was touched)", left + plot_w / 2, y_of(0) + 32, 10, true);
  double x = left;
  for (const Rule rule : kAllRules) {
    const Rgb& c = kRuleColour[std::size_t(rule)];
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
    cairo_rectangle(cr, x, kHeight - 20, 12, 12);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.86, 0.86, 0.92);
    text(cr, to_string(rule), x + 16, kHeight - 10, 11);
    x += 110;
  }
  cairo_surface_flush(surface.get());
  const cairo_status_t status = cairo_surface_write_to_png(surface.get(), path.c_str());
  if (status != CAIRO_STATUS_SUCCESS)
    throw Error(ErrorCode::io, "cannot write '" + path + "': " + cairo_status_to_string(status));
}

#else

bool can_draw_png() { return false; }

void write_backtest_png(const std::string&, const Report&) {
  throw Error(ErrorCode::invalid_argument, "backtest.png: this build has no Cairo (configure with libcairo2-dev)");
}

#endif

}  // namespace liqmap::backtest
