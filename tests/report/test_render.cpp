// heatmap.png: decoded back with Cairo and checked where the close line and the largest
// cluster must be; the raster and intensity scale underneath it.
#include <gtest/gtest.h>

#include <cairo.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "liqmap/error.hpp"
#include "report/axis_ticks.hpp"
#include "report/heatmap_raster.hpp"
#include "report/png_file.hpp"
#include "report/report.hpp"
#include "report_fixtures.hpp"

namespace {

using namespace liqmap;
using namespace liqmap::testing;
namespace fs = std::filesystem;

// 200 bins over [50, 150], 120 hourly columns; close swings between 80 and 120; the largest
// cluster (shorts, 10 USD) at 124.25, a smaller one (longs, 5 USD) at 76.25, faint noise.
struct PictureRun {
  Result result = make_result(200, 120, 50, 150);
  Market market;
  Config config = default_config();
  PictureRun() {
    std::vector<double> close;
    for (std::size_t t = 0; t < 120; ++t) close.push_back(100 + 20 * std::sin(double(t) * 0.08));
    market = make_market(close);
    for (std::size_t c = 0; c < 120; ++c) {
      for (std::size_t b = 0; b < 200; ++b) result.smooth_long.at(b, c) = 0.05 * double((b * 7 + c * 3) % 5);
      for (int d = -2; d <= 2; ++d) {
        result.smooth_short.at(std::size_t(148 + d), c) += 10 * std::exp(-0.5 * d * d);
        result.smooth_long.at(std::size_t(52 + d), c) += 5 * std::exp(-0.5 * d * d);
      }
    }
  }
};

struct Png {
  cairo_surface_t* surface;
  explicit Png(const std::string& path) : surface(cairo_image_surface_create_from_png(path.c_str())) {}
  ~Png() { cairo_surface_destroy(surface); }
  bool ok() const { return cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS; }
  int width() const { return cairo_image_surface_get_width(surface); }
  int height() const { return cairo_image_surface_get_height(surface); }
  std::uint32_t pixel(int x, int y) const {
    const unsigned char* row = cairo_image_surface_get_data(surface) + y * cairo_image_surface_get_stride(surface);
    return reinterpret_cast<const std::uint32_t*>(row)[x];
  }
  int red(int x, int y) const { return int(pixel(x, y) >> 16 & 0xff); }
  int green(int x, int y) const { return int(pixel(x, y) >> 8 & 0xff); }
  int blue(int x, int y) const { return int(pixel(x, y) & 0xff); }
};

std::string png_path(const std::string& name) {
  return (fs::temp_directory_path() / ("liqmap-render-" + name + "-" + std::to_string(::getpid()) + ".png")).string();
}

report::ReportOptions picture_options() {
  report::ReportOptions o;
  o.width = 1000;
  o.height = 600;
  o.cluster_every = 10;
  return o;
}

bool is_candle(const Png& png, int x, int y) {
  const int r = png.red(x, y), g = png.green(x, y), b = png.blue(x, y);
  const bool up = r > 200 && g > 200 && b > 200;  // white
  const bool down = r > 200 && g < 110 && b < 140;  // red
  return up || down;
}

TEST(Render, ThePictureHasTheAskedSizeTheCandlesAndTheBrightestBand) {
  ASSERT_TRUE(report::can_render_png());
  const PictureRun run;
  report::ReportOptions o = picture_options();
  o.cap_percentile = 100;  // no saturation: the largest cluster's centre row alone is brightest
  const report::Analysis a = report::analyse(run.result, run.market, run.config, o);
  const std::string path = png_path("main");
  report::render_heatmap_png(path, run.result, run.market, a);
  const Png png(path);
  fs::remove(path);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png.width(), 1000);
  EXPECT_EQ(png.height(), 600);

  const report::PlotFrame f = report::picture_layout(run.result, run.market, o).plot;
  // The candles: a candle pixel within 2 px of where each close maps (the markers and labels
  // at the last column are left out).
  for (std::size_t c = 1; c < 100; c += 3) {
    const int x = int(f.x_of_column(c));
    const int y = int(std::lround(f.y_of_price(run.market.close[c])));
    bool found = false;
    for (int dy = -2; dy <= 2 && !found; ++dy) found = is_candle(png, x, y + dy);
    EXPECT_TRUE(found) << "no candle pixel at column " << c << " (x " << x << ", y " << y << ")";
  }
  // The brightest band: viridis' green channel rises with intensity, so the rows with the
  // most green over the heatmap (its left half, away from the cluster labels) are the largest
  // cluster's bin; a bin is several rows tall here, so compare the band's middle.
  std::vector<double> green_of_row;
  for (int y = int(f.top); y < int(f.top + f.height); ++y) {
    double sum = 0;
    for (int x = int(f.left); x < int(f.left + f.width * 0.5); ++x) sum += png.green(x, y);
    green_of_row.push_back(sum);
  }
  const auto most = std::max_element(green_of_row.begin(), green_of_row.end());
  const auto band_end = std::find_if(most, green_of_row.end(), [&](double g) { return g < *most; });
  const double band_middle = f.top + double(most - green_of_row.begin()) + double(band_end - most) / 2.0;
  EXPECT_LE(band_end - most, 8);  // one bin of 0.5 USD at about 10 rows per USD, not a wide smear
  EXPECT_NEAR(band_middle, f.y_of_price(a.clusters.peaks.front().price), 2.0);
  EXPECT_NEAR(a.clusters.peaks.front().price, 124.25, 1e-9);
}

// Candles, not a close line (issue 27 item 7): wicks reach each bar's high and low, bodies span
// open to close, white when the bar closed up and red when it closed down.
TEST(Render, CandlesDrawBodiesAndWicksToTheHighsAndLows) {
  PictureRun run;
  for (std::size_t t = 0; t < run.market.size(); ++t) {
    const double c = run.market.close[t], o = t % 2 == 0 ? c - 3 : c + 3;
    run.market.open[t] = o;
    run.market.high[t] = std::max(o, c) + 5;
    run.market.low[t] = std::min(o, c) - 5;
  }
  report::ReportOptions o = picture_options();
  o.view_margin = -1;
  const report::Analysis a = report::analyse(run.result, run.market, run.config, o);
  const std::string path = png_path("candles");
  report::render_heatmap_png(path, run.result, run.market, a);
  const Png png(path);
  fs::remove(path);
  ASSERT_TRUE(png.ok());
  const report::PlotFrame f = report::picture_layout(run.result, run.market, o).plot;
  ASSERT_GT(f.width / 120, 4.0) << "one candle per column at this size";
  for (std::size_t c = 2; c < 100; c += 7) {
    const int x = int(f.x_of_column(c));
    const Market& m = run.market;
    EXPECT_TRUE(is_candle(png, x, int(std::round(f.y_of_price(m.high[c] - 0.6))))) << "no wick at the high, column " << c;
    EXPECT_TRUE(is_candle(png, x, int(std::round(f.y_of_price(m.low[c] + 0.6))))) << "no wick at the low, column " << c;
    EXPECT_FALSE(is_candle(png, x, int(std::round(f.y_of_price(m.high[c] + 1.5))))) << "above the high, column " << c;
    const int body = int(std::round(f.y_of_price((m.open[c] + m.close[c]) / 2)));
    const bool up = m.close[c] >= m.open[c];
    EXPECT_EQ(png.green(x + 1, body) > 200, up) << "body colour, column " << c;  // white up, red down
    EXPECT_TRUE(is_candle(png, x + 1, body)) << "the body is wider than the wick, column " << c;
  }
}

// Evenly spread ticks on a log axis (issue 27 item 7): equal ratios, each a round price.
TEST(Render, LogAxisTicksStandEvenlyApart) {
  const std::vector<double> ticks = report::log_price_ticks(4000, 160000, 12);
  ASSERT_GE(ticks.size(), 8u);
  EXPECT_LT(ticks.size(), 16u);
  for (std::size_t i = 1; i < ticks.size(); ++i) {
    const double ratio = ticks[i] / ticks[i - 1];
    EXPECT_GT(ratio, 1.15) << ticks[i];
    EXPECT_LT(ratio, 1.75) << ticks[i];  // linear steps of 20,000 would give 5x at the bottom
  }
  EXPECT_EQ(report::log_price_ticks(60000, 70000, 6), report::price_ticks(60000, 70000, 6));
}

// Longs red below the price and shorts green above it, as CoinGlass draws them (issue 27 item 8).
TEST(Render, TheProfileDrawsLongsRedAndShortsGreen) {
  const PictureRun run;
  const report::ReportOptions o = picture_options();
  const report::Analysis a = report::analyse(run.result, run.market, run.config, o);
  const std::string path = png_path("colours");
  report::render_heatmap_png(path, run.result, run.market, a);
  const Png png(path);
  fs::remove(path);
  ASSERT_TRUE(png.ok());
  const report::PictureLayout l = report::picture_layout(run.result, run.market, o);
  const auto count = [&](double price, bool reddish) {
    const int y = int(std::lround(l.plot.y_of_price(price)));
    int n = 0;
    for (int x = int(l.panel_left) + 1; x < int(l.panel_left + l.panel_width) - 1; ++x) {
      const int r = png.red(x, y), g = png.green(x, y);
      n += reddish ? r > g + 80 : g > r + 80;
    }
    return n;
  };
  EXPECT_GT(count(76.25, true), 5) << "no red longs at the long cluster";
  EXPECT_EQ(count(76.25, false), 0) << "green at the long cluster";
  EXPECT_GT(count(124.25, false), 5) << "no green shorts at the short cluster";
  EXPECT_EQ(count(124.25, true), 0) << "red at the short cluster";
}

TEST(Render, PlotFrameMapsTheGridsCornersToThePlotsCorners) {
  const PictureRun run;
  report::ReportOptions o = picture_options();
  o.view_margin = -1;  // the whole grid
  const report::PictureLayout l = report::picture_layout(run.result, run.market, o);
  EXPECT_DOUBLE_EQ(l.plot.y_of_price(150), l.plot.top);
  EXPECT_DOUBLE_EQ(l.plot.y_of_price(50), l.plot.top + l.plot.height);
  EXPECT_DOUBLE_EQ(l.plot.x_of_column(0), l.plot.left + 0.5 * l.plot.width / 120);
  EXPECT_NEAR(l.plot.price_of_y(l.plot.y_of_price(97.3)), 97.3, 1e-9);
  EXPECT_LT(l.plot.left + l.plot.width, l.axis_left);
  EXPECT_LT(l.axis_left, l.panel_left);
  EXPECT_LT(l.panel_left + l.panel_width, l.bar_left);
  EXPECT_LT(l.bar_left + l.bar_width, o.width);

  EXPECT_EQ(l.plot.bins_of_row(0).first, 199u);  // the top row lies in the top bin
  EXPECT_EQ(l.plot.bins_of_row(int(l.plot.height) - 1).second, 0u);

  o.from_ts = kStartTs + 10 * kStepMs;
  o.to_ts = kStartTs + 20 * kStepMs + 1;
  o.view_margin = 0.5;
  const report::PictureLayout window = report::picture_layout(run.result, run.market, o);
  EXPECT_EQ(window.plot.first_column, 10u);
  EXPECT_EQ(window.plot.last_column, 20u);
  // The prices traded in columns 10..20, widened by half their range each side.
  double low = 1e9, high = 0;
  for (std::size_t t = 10; t <= 20; ++t) {
    low = std::min(low, run.market.low[t]);
    high = std::max(high, run.market.high[t]);
  }
  // And at least the short window's least half-height around its last close (issue 27 item 9).
  const double close = run.market.close[20];
  const double half = report::min_view_half_width(10 * kStepMs);
  EXPECT_GT(half, 0.0);
  EXPECT_NEAR(window.plot.price_low, std::max(50.0, std::min(low - 0.5 * (high - low), close * (1 - half))), 1e-9);
  EXPECT_NEAR(window.plot.price_high, std::min(150.0, std::max(high + 0.5 * (high - low), close * (1 + half))), 1e-9);
  const auto [first, last] = window.plot.bins_of_row(0);
  EXPECT_EQ(first, last);  // zoomed in: several rows per bin
  EXPECT_EQ(first, std::size_t((window.plot.price_of_y(window.plot.top + 0.5) - 50) / 0.5));
  o.from_ts = kStartTs + 500 * kStepMs;
  o.to_ts.reset();
  EXPECT_THROW(report::picture_layout(run.result, run.market, o), Error);
}

TEST(Render, RasterKeepsAThinClusterAndTheCapKeepsOneSpikeFromWashingOut) {
  Result r = make_result(1000, 400, 0, 1000);  // finer than the 100 x 50 picture
  for (std::size_t c = 0; c < 400; ++c) {
    r.smooth_short.at(700, c) = 3;   // one bin wide
    for (std::size_t b = 200; b < 260; ++b) r.smooth_long.at(b, c) = 1;  // broad
  }
  r.smooth_short.at(900, 399) = 1000;  // one extreme cell
  report::PlotFrame f;
  f.width = 50;
  f.height = 100;
  f.first_column = 0;
  f.last_column = 399;
  f.price_low = f.grid_low = 0;
  f.price_high = f.grid_high = 1000;
  f.bins = 1000;
  const report::Raster raster = report::rasterise(r.smooth_long, r.smooth_short, f);
  ASSERT_EQ(raster.width, 50);
  ASSERT_EQ(raster.height, 100);
  EXPECT_FLOAT_EQ(raster.at(10, int(f.y_of_price(700.5))), 3.0f);
  EXPECT_FLOAT_EQ(raster.at(49, int(f.y_of_price(900.5))), 1000.0f);
  EXPECT_FLOAT_EQ(raster.at(0, int(f.y_of_price(500))), 0.0f);

  const report::ReportOptions o;
  const double cap = report::intensity_cap(raster, 99.5);
  EXPECT_LT(cap, 1000);
  EXPECT_GT(report::intensity_of(1, cap, o), 0.5);  // the broad cluster stays bright
  EXPECT_DOUBLE_EQ(report::intensity_of(1000, cap, o), 1.0);
  for (double t : {0.1, 0.5, 0.9}) {
    EXPECT_NEAR(report::intensity_of(report::usd_of_intensity(t, cap, o), cap, o), t, 1e-12);
    report::ReportOptions log = o;
    log.intensity = report::Intensity::log;
    EXPECT_NEAR(report::intensity_of(report::usd_of_intensity(t, cap, log), cap, log), t, 1e-12);
  }
}

TEST(Render, ThePngFileHoldsEveryPixelOfThePictureExactly) {
  constexpr int kWidth = 37, kHeight = 11;  // a row of 111 bytes: no padding to hide behind
  cairo_surface_t* picture = cairo_image_surface_create(CAIRO_FORMAT_RGB24, kWidth, kHeight);
  cairo_surface_flush(picture);
  unsigned char* data = cairo_image_surface_get_data(picture);
  const int stride = cairo_image_surface_get_stride(picture);
  const auto colour = [](int x, int y) { return std::uint32_t((x * 7 + y * 13) % 256) << 16 | std::uint32_t((x * 3) % 256) << 8 | std::uint32_t((255 - y * 20) % 256); };
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) reinterpret_cast<std::uint32_t*>(data + y * stride)[x] = colour(x, y);
  cairo_surface_mark_dirty(picture);
  const std::string path = png_path("pixels");
  report::write_png(path, picture, {});
  cairo_surface_destroy(picture);

  const Png png(path);
  fs::remove(path);
  ASSERT_TRUE(png.ok());
  ASSERT_EQ(png.width(), kWidth);
  ASSERT_EQ(png.height(), kHeight);
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      const std::uint32_t c = colour(x, y);
      EXPECT_EQ(png.red(x, y), int(c >> 16 & 255)) << x << "," << y;
      EXPECT_EQ(png.green(x, y), int(c >> 8 & 255)) << x << "," << y;
      EXPECT_EQ(png.blue(x, y), int(c & 255)) << x << "," << y;
    }
}

TEST(Render, ACancelWhileDrawingOrEncodingStopsAndLeavesNoPicture) {
  const PictureRun run;
  const report::Analysis a = report::analyse(run.result, run.market, run.config, picture_options());
  for (int polls_before_stop : {0, 1, 2, 3, 4}) {  // 3 and up: inside the PNG encoder
    const std::string path = png_path("cancel");
    int polls = 0;
    try {
      report::render_heatmap_png(path, run.result, run.market, a, [&] { return polls++ >= polls_before_stop; });
      FAIL() << "the render went on after a cancel";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::cancelled);
    }
    EXPECT_FALSE(fs::exists(path));
  }
  int polls = 0;
  const std::string path = png_path("not-cancelled");
  report::render_heatmap_png(path, run.result, run.market, a, [&] { return ++polls > 1000000; });
  EXPECT_GT(polls, 4);  // at each drawing step and at each chunk the encoder writes
  EXPECT_TRUE(Png(path).ok());
  fs::remove(path);
}

TEST(Render, TheCommandLineRedrawsFromASavedRun) {
  const fs::path dir = fs::temp_directory_path() / ("liqmap-render-cli-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string demo = std::string(LIQMAP_CLI) + " demo --steps 600 --out " + dir.string() +
                           " --width 800 --height 500 > /dev/null";
  ASSERT_EQ(std::system(demo.c_str()), 0);
  const std::string render = std::string(LIQMAP_CLI) + " render " + dir.string() +
                             " --at 2026-01-01T05:00 --width 900 --height 520 > /dev/null";
  ASSERT_EQ(std::system(render.c_str()), 0);
  const Png png((dir / "heatmap.png").string());
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png.width(), 900);
  EXPECT_EQ(png.height(), 520);
  std::ifstream clusters(dir / "clusters.json");
  std::string text((std::istreambuf_iterator<char>(clusters)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("\"time\": \"2026-01-01T05:00:00Z\""), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
