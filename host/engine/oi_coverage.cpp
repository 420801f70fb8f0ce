// The open-interest coverage of a map column (docs/model.md, "Coverage").
#include <algorithm>

#include "liqmap/engine.hpp"

namespace liqmap {

std::optional<OiCoverage> oi_coverage(const Result& result, long column) {
  const Axes& axes = result.axes;
  const long columns = static_cast<long>(axes.column_oi_usd.size());
  if (columns == 0 || result.raw_long.cols != std::size_t(columns)) return std::nullopt;
  if (column < 0) column += columns;
  if (column < 0 || column >= columns) return std::nullopt;
  OiCoverage c;
  c.oi_usd = axes.column_oi_usd[column];
  if (!(c.oi_usd > 0)) return std::nullopt;
  c.map_usd = result.raw_long.column_sum(column) + result.raw_short.column_sum(column);
  c.map_share = c.map_usd / c.oi_usd;
  c.out_of_range_share = std::max(0.0, axes.column_book_usd[column] - c.map_usd) / c.oi_usd;
  return c;
}

}  // namespace liqmap
