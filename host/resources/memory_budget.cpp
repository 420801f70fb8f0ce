#include "resources/memory_budget.hpp"

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "liqmap/error.hpp"
#include "text/human_format.hpp"

namespace liqmap::detail {
namespace {

// "MemAvailable:  123456 kB" -> bytes; negative when absent.
double meminfo_available() {
  std::ifstream in("/proc/meminfo");
  std::string key, unit;
  double kb = 0;
  while (in >> key >> kb) {
    std::getline(in, unit);
    if (key == "MemAvailable:") return kb * 1024;
  }
  return -1;
}

// cgroup v2: memory.max ("max" or bytes) less memory.current; negative when unlimited or absent.
double cgroup_available() {
  std::ifstream max_file("/sys/fs/cgroup/memory.max"), current_file("/sys/fs/cgroup/memory.current");
  std::string max_text;
  double current = 0;
  if (!(max_file >> max_text) || max_text == "max" || !(current_file >> current)) return -1;
  try {
    return std::max(0.0, std::stod(max_text) - current);
  } catch (...) {
    return -1;
  }
}

}  // namespace

MemoryAvailable available_memory() {
  MemoryAvailable best{-1, ""};
  const auto consider = [&best](double bytes, const char* source) {
    if (bytes >= 0 && (best.bytes < 0 || bytes < best.bytes)) best = {bytes, source};
  };
  consider(meminfo_available(), "MemAvailable in /proc/meminfo");
  consider(cgroup_available(), "the cgroup's memory.max less memory.current");
  if (best.bytes < 0) {
    const long pages = ::sysconf(_SC_AVPHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) best = {double(pages) * double(page), "sysconf(_SC_AVPHYS_PAGES)"};
  }
  return best;
}

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
