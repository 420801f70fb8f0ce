// compute(market, config) -> Result: the whole model of MODEL.md sections 2 to 6. The types a
// run returns (Grid, Axes, Result) are in result.hpp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/error.hpp"
#include "liqmap/market.hpp"
#include "liqmap/result.hpp"

namespace liqmap {

enum class Backend { automatic, cpu, cuda };
const char* to_string(Backend b);
Backend parse_backend(const std::string& name);  // "auto" | "cpu" | "cuda"

// How much of the open interest a column holds: the map's total (raw, both sides) over the OI,
// and the share of the OI in positions outside the price range or never liquidatable. Empty
// without the open-interest flow or where the OI is 0. `column` < 0 counts from the end.
struct OiCoverage {
  double oi_usd = 0, map_usd = 0;
  double map_share = 0, out_of_range_share = 0;
};
std::optional<OiCoverage> oi_coverage(const Result& result, long column = -1);
// Every column's, as oi_coverage(result, c) gives it, from one row-major pass over the grids.
std::vector<std::optional<OiCoverage>> oi_coverage_columns(const Result& result);

// Called now and then with the fraction done (0..1); return false to cancel the run
// (compute then throws Error(ErrorCode::cancelled)).
using ProgressFn = std::function<bool(double fraction)>;

// The most CPU threads a run takes (RunOptions::threads, --threads, the C API's and Python's
// `threads`): beyond it OpenMP fails to make them or crashes; more is refused as invalid_argument.
inline constexpr int kMaxThreads = 1024;

struct RunOptions {
  Backend backend = Backend::automatic;
  int threads = 0;  // 0 = all hardware threads; at most kMaxThreads
  ProgressFn progress;
  // Bytes of device memory a CUDA run may use (0: 90% of what is free). A grid that does not fit
  // runs in slices of price bins; one that cannot fit one bin is out of memory, and `automatic`
  // then runs on the CPU and says why in RunStats::backend_note.
  std::size_t device_memory_limit = 0;
};

// Validates the market (MODEL.md section 1) and runs the model. Throws Error.
Result compute(const Market& market, const Config& config, const RunOptions& options = {});

// Which backends this build has, and whether a CUDA device is usable (with the reason if not).
struct BackendInfo {
  bool cuda_compiled = false;
  bool cuda_usable = false;
  std::string cuda_reason;  // why not usable, or the device's description
  std::vector<std::string> devices;
};
BackendInfo backend_info();

}  // namespace liqmap
