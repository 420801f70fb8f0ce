// The open-interest coverage of a map column (docs/model.md, "Coverage").
#include <algorithm>

#include "liqmap/engine.hpp"

namespace liqmap {

namespace {
bool has_coverage(const Result& result) {
  const std::size_t columns = result.axes.column_oi_usd.size();
  return columns != 0 && result.raw_long.cols == columns;
}

std::optional<OiCoverage> coverage_of(const Axes& axes, std::size_t column, double map_usd) {
  OiCoverage c;
  c.oi_usd = axes.column_oi_usd[column];
  if (!(c.oi_usd > 0)) return std::nullopt;
  c.map_usd = map_usd;
  c.map_share = c.map_usd / c.oi_usd;
  c.out_of_range_share = std::max(0.0, axes.column_book_usd[column] - c.map_usd) / c.oi_usd;
  return c;
}
}  // namespace

std::optional<OiCoverage> oi_coverage(const Result& result, long column) {
  if (!has_coverage(result)) return std::nullopt;
  const long columns = static_cast<long>(result.axes.column_oi_usd.size());
  if (column < 0) column += columns;
  if (column < 0 || column >= columns) return std::nullopt;
  return coverage_of(result.axes, std::size_t(column),
                     result.raw_long.column_sum(column) + result.raw_short.column_sum(column));
}

std::vector<std::optional<OiCoverage>> oi_coverage_columns(const Result& result) {
  if (!has_coverage(result)) return std::vector<std::optional<OiCoverage>>(result.axes.column_oi_usd.size());
  const std::vector<double> long_sums = result.raw_long.column_sums(), short_sums = result.raw_short.column_sums();
  std::vector<std::optional<OiCoverage>> out(long_sums.size());
  for (std::size_t c = 0; c < out.size(); ++c) out[c] = coverage_of(result.axes, c, long_sums[c] + short_sums[c]);
  return out;
}

}  // namespace liqmap
