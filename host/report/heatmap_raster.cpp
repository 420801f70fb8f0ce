#include "heatmap_raster.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "liqmap/error.hpp"

namespace liqmap::report {
namespace {

constexpr double kLogDecades = 3;  // the log intensity spans cap/1000 .. cap

// Position of a price in [low, high] as a fraction (on a log axis, of log price).
double fraction(double price, double low, double high, bool log_scale) {
  if (log_scale) return std::log(price / low) / std::log(high / low);
  return (price - low) / (high - low);
}

double price_at(double f, double low, double high, bool log_scale) {
  if (log_scale) return low * std::pow(high / low, f);
  return low + f * (high - low);
}

struct Span {
  std::size_t first, last;  // inclusive
};

// Items [0, count) that pixel `i` of `pixels` covers (at least one).
Span covered(std::size_t i, std::size_t pixels, std::size_t count) {
  const std::size_t first = std::min(count - 1, i * count / pixels);
  const std::size_t end = ((i + 1) * count + pixels - 1) / pixels;
  return {first, std::max(first, std::min(count, end) - 1)};
}


}  // namespace

double PlotFrame::x_of_column(std::size_t column) const {
  const double n = static_cast<double>(last_column - first_column + 1);
  return left + (static_cast<double>(column - first_column) + 0.5) / n * width;
}

double PlotFrame::y_of_price(double price) const {
  return top + (1.0 - fraction(price, price_low, price_high, log_scale)) * height;
}

double PlotFrame::price_of_y(double y) const {
  return price_at(1.0 - (y - top) / height, price_low, price_high, log_scale);
}

std::pair<std::size_t, std::size_t> PlotFrame::bins_of_row(int row) const {
  // Bins are equal steps of the grid's axis, so a price's bin is its fraction times `bins`.
  const double n = static_cast<double>(bins);
  const double lowest = fraction(price_of_y(top + row + 1.0), grid_low, grid_high, log_scale) * n;
  const double highest = fraction(price_of_y(top + row), grid_low, grid_high, log_scale) * n;
  if (highest <= 0 || lowest >= n) return {1, 0};
  const double first = std::floor(std::max(lowest, 0.0));
  const double last = std::max(first, std::ceil(std::min(highest, n)) - 1);
  return {static_cast<std::size_t>(first), static_cast<std::size_t>(last)};
}

double min_view_half_width(std::int64_t span_ms) {
  constexpr double kDay = 86400e3;
  const double days = static_cast<double>(span_ms) / kDay;
  if (days <= 0.5) return 0.04;
  if (days <= 1) return 0.05;
  if (days <= 3) return 0.07;
  if (days <= 7) return 0.10;
  if (days <= 31) return 0.15;
  if (days <= 92) return 0.25;
  return 0;
}

PictureLayout picture_layout(const Result& result, const Market& market, const ReportOptions& options) {
  constexpr double kTitle = 60, kDates = 34, kMargin = 12, kPriceLabels = 70;
  constexpr double kBarWidth = 14, kBarLabels = 62, kGap = 26;
  const auto& ts = result.axes.column_ts;
  if (ts.empty()) throw Error(ErrorCode::invalid_argument, "heatmap: the grid has no columns");
  std::optional<std::int64_t> from_ts = options.from_ts;
  if (options.from_end_ms) from_ts = ts.back() - *options.from_end_ms + 1;
  if (options.range_ms) from_ts = (options.to_ts ? *options.to_ts : ts.back()) - *options.range_ms + 1;
  const auto first = from_ts ? std::lower_bound(ts.begin(), ts.end(), *from_ts) : ts.begin();
  const auto end = options.to_ts ? std::upper_bound(ts.begin(), ts.end(), *options.to_ts) : ts.end();
  if (first >= end)
    throw Error(ErrorCode::invalid_argument, "heatmap: no column lies in the requested time window");

  PictureLayout l;
  const double w = options.width, h = options.height;
  l.scale = std::clamp(std::min(w / 1600.0, h / 900.0), 0.7, 3.0);
  const double k = l.scale;
  l.bar_width = k * kBarWidth;
  l.bar_left = w - k * (kMargin + kBarLabels + kBarWidth);
  l.panel_width = std::round(0.16 * w);
  l.panel_left = l.bar_left - k * kGap - l.panel_width;
  l.axis_left = l.panel_left - k * kPriceLabels;
  PlotFrame& f = l.plot;
  f.left = std::round(k * kMargin);
  f.top = std::round(k * kTitle);
  f.width = std::round(l.axis_left - k * (6 + kMargin));
  f.height = std::round(h - k * (kTitle + kDates));
  f.first_column = static_cast<std::size_t>(first - ts.begin());
  f.last_column = static_cast<std::size_t>(end - ts.begin()) - 1;
  f.grid_low = result.axes.price_edges.front();
  f.grid_high = result.axes.price_edges.back();
  f.bins = result.axes.price_centres.size();
  f.log_scale = result.axes.scale == PriceScale::log;
  f.price_low = f.grid_low;
  f.price_high = f.grid_high;
  if (options.view_margin >= 0) {
    // The prices traded in the window, widened on the grid's scale, within the grid.
    double low = f.grid_high, high = f.grid_low;
    for (std::size_t s = result.axes.column_step[f.first_column]; s <= result.axes.column_step[f.last_column]; ++s) {
      low = std::min(low, market.low.at(s));
      high = std::max(high, market.high.at(s));
    }
    const double lo = fraction(low, f.grid_low, f.grid_high, f.log_scale);
    const double hi = fraction(high, f.grid_low, f.grid_high, f.log_scale);
    const double pad = options.view_margin * std::max(hi - lo, 1e-3);
    f.price_low = price_at(std::max(0.0, lo - pad), f.grid_low, f.grid_high, f.log_scale);
    f.price_high = price_at(std::min(1.0, hi + pad), f.grid_low, f.grid_high, f.log_scale);
    // A short window's own range is a percent or two: at least the distances its clusters lie at.
    const double close = market.close.at(result.axes.column_step[f.last_column]);
    const double half = min_view_half_width(ts[f.last_column] - ts[f.first_column]);
    f.price_low = std::max(f.grid_low, std::min(f.price_low, close * (1 - half)));
    f.price_high = std::min(f.grid_high, std::max(f.price_high, close * (1 + half)));
  }
  return l;
}

Raster rasterise(const Grid& longs, const Grid& shorts, const PlotFrame& frame) {
  Raster r;
  r.width = std::max(1, static_cast<int>(std::lround(frame.width)));
  r.height = std::max(1, static_cast<int>(std::lround(frame.height)));
  const std::size_t bins = longs.rows;
  const std::size_t columns = frame.last_column - frame.first_column + 1;
  const std::size_t w = static_cast<std::size_t>(r.width);
  std::vector<Span> spans(w);  // the columns under each pixel column
  for (std::size_t x = 0; x < w; ++x) spans[x] = covered(x, w, columns);

  // Pixel row by pixel row, each the largest of its bins' rows of pixel values: no bins x width
  // plane (4 GB at a million bins). A bin on the edge of two pixel rows (or under several, when
  // the grid is coarser than the picture) is computed once and kept for the next row.
  r.usd.assign(w * static_cast<std::size_t>(r.height), 0.0f);
  if (bins == 0) return r;
#pragma omp parallel
  {
    std::vector<float> kept(w);
    std::size_t kept_bin = bins;  // none
#pragma omp for schedule(static)
    for (int y = 0; y < r.height; ++y) {
      const auto [first, last] = frame.bins_of_row(y);
      float* out = &r.usd[static_cast<std::size_t>(y) * w];
      // Downwards: the lowest bin of this row is the highest of the next one's.
      for (std::size_t b = std::min(last, bins - 1) + 1; b-- > first;) {
        if (b != kept_bin) {
          const double* l = &longs.data[b * longs.cols + frame.first_column];
          const double* s = &shorts.data[b * shorts.cols + frame.first_column];
          for (std::size_t x = 0; x < w; ++x) {
            double best = 0;
            for (std::size_t k = spans[x].first; k <= spans[x].last; ++k) best = std::max(best, l[k] + s[k]);
            kept[x] = static_cast<float>(best);
          }
          kept_bin = b;
        }
        for (std::size_t x = 0; x < w; ++x) out[x] = std::max(out[x], kept[x]);
      }
    }
  }
  return r;
}

double raster_memory_bytes(int width, int height, int threads) {
  const double w = std::max(width, 1), h = std::max(height, 1);
  // The raster, the spans, one kept row a thread, and intensity_cap's copy of the non-zero pixels.
  return 4.0 * w * h + 16.0 * w + 4.0 * w * std::max(threads, 1) + 4.0 * w * h;
}

double intensity_cap(const Raster& raster, double percentile) {
  std::vector<float> values;
  values.reserve(raster.usd.size());
  for (float v : raster.usd)
    if (v > 0) values.push_back(v);
  if (values.empty()) return 1.0;
  const std::size_t k = std::min(values.size() - 1, static_cast<std::size_t>(std::floor(
                                                        percentile / 100.0 * (values.size() - 1))));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
  return values[k] > 0 ? values[k] : 1.0;
}

double intensity_of(double usd, double cap, const ReportOptions& options) {
  const double t = std::clamp(usd / cap, 0.0, 1.0);
  if (options.intensity == Intensity::log)
    return std::log10(1.0 + t * (std::pow(10.0, kLogDecades) - 1.0)) / kLogDecades;
  return std::pow(t, options.gamma);
}

double usd_of_intensity(double t, double cap, const ReportOptions& options) {
  t = std::clamp(t, 0.0, 1.0);
  if (options.intensity == Intensity::log)
    return cap * (std::pow(10.0, t * kLogDecades) - 1.0) / (std::pow(10.0, kLogDecades) - 1.0);
  return cap * std::pow(t, 1.0 / options.gamma);
}

std::vector<double> profile_rows(const std::vector<double>& profile, const PlotFrame& frame) {
  const int rows = std::max(1, static_cast<int>(std::lround(frame.height)));
  std::vector<double> out(static_cast<std::size_t>(rows), 0.0);
  for (int y = 0; y < rows; ++y) {
    const auto [first, last] = frame.bins_of_row(y);
    for (std::size_t b = first; b <= last && b < profile.size(); ++b)
      out[static_cast<std::size_t>(y)] = std::max(out[static_cast<std::size_t>(y)], profile[b]);
  }
  return out;
}

}  // namespace liqmap::report
