// Memory a job needs, checked against what the machine has before anything large is allocated,
// so a job that cannot fit is refused with both numbers instead of swapping or being OOM-killed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "liqmap/config.hpp"

namespace liqmap::detail {

struct MemoryAvailable {
  double bytes = 0;
  std::string source;  // where the number comes from, for the message
};

// Where the limits are read: files under `root` ("/": the machine's /proc and /sys; tests give a
// fake tree) and the address-space limit (negative: getrlimit(RLIMIT_AS); infinity: none).
struct MemoryProbe {
  std::string root = "/";
  double address_space_limit = -1;
};

// The smallest of: MemAvailable (/proc/meminfo); at every level of the process's cgroup up to
// the root, cgroup v2's memory.max or v1's memory.limit_in_bytes less its use (without the
// inactive page cache); RLIMIT_AS less the process's VmSize. sysconf's available pages when
// none of these is known. `source` names the one that bounds.
MemoryAvailable available_memory(const MemoryProbe& probe = {});

// Host bytes the engine holds at its peak for a grid of `bins` x `columns` over `steps`: the raw
// and smoothed long and short grids, a smoothing scratch grid, and (CPU backend) the integer
// delta planes of bins x steps. In double, so absurd sizes do not wrap.
double engine_memory_bytes(std::size_t bins, std::size_t steps, std::size_t columns, bool delta_on_host);

// Throws Error(out_of_memory) when `needed` exceeds `available`, saying how much `what` needs,
// how much there is and where that number comes from.
void require_memory(double needed, const MemoryAvailable& available, const std::string& what);

// The engine's need for `config` over a market of `steps` bars, plus `extra` bytes (outputs),
// against available_memory(). Throws Error(out_of_memory) naming the grid's shape.
void require_job_memory(const Config& config, std::size_t steps, bool delta_on_host, double extra = 0);

}  // namespace liqmap::detail
