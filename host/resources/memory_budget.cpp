#include "resources/memory_budget.hpp"

#include <algorithm>

#include "liqmap/error.hpp"
#include "text/human_format.hpp"

namespace liqmap::detail {

double engine_memory_bytes(std::size_t bins, std::size_t steps, std::size_t columns, bool delta_on_host) {
  const double b = double(bins), t = double(steps), c = double(columns);
  const double grids = 5 * b * c * sizeof(double);  // raw + smoothed, long + short, one scratch
  const double delta = delta_on_host ? 2 * b * t * sizeof(std::int64_t) : 0;
  const double per_step = t * 256;                   // plan, passage tables, R, candles: generous
  return grids + delta + per_step;
}

void require_memory(double needed, const MemoryAvailable& available, const std::string& what) {
  if (available.bytes < 0 || needed <= available.bytes) return;  // unknown: nothing to check against
  throw Error(ErrorCode::out_of_memory, what + " needs about " + text::bytes(needed) + " of memory, but " +
                                            text::bytes(available.bytes) + " is available (" + available.source +
                                            "); use fewer price bins, a larger grid.time_group or a shorter market");
}

void require_job_memory(const Config& config, std::size_t steps, bool delta_on_host, double extra) {
  const std::size_t bins = static_cast<std::size_t>(std::max(config.grid.price_bins, 1));
  const std::size_t group = static_cast<std::size_t>(std::max(config.grid.time_group, 1));
  const std::size_t columns = (steps + group - 1) / group;
  require_memory(engine_memory_bytes(bins, steps, columns, delta_on_host) + extra, available_memory(),
                 "a map of " + text::compact(double(bins)) + " price bins x " + text::compact(double(columns)) +
                     " columns over " + text::compact(double(steps)) + " steps");
}

}  // namespace liqmap::detail
