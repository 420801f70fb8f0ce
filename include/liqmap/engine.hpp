// compute(market, config) -> Result: the whole model of MODEL.md sections 2 to 6.
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

namespace liqmap {

enum class Backend { automatic, cpu, cuda };
const char* to_string(Backend b);
Backend parse_backend(const std::string& name);  // "auto" | "cpu" | "cuda"

// A dense price x column grid, row-major: row 0 = lowest price bin, one row per bin.
struct Grid {
  std::size_t rows = 0, cols = 0;
  std::vector<double> data;

  Grid() = default;
  Grid(std::size_t r, std::size_t c) : rows(r), cols(c), data(r * c, 0.0) {}
  double& at(std::size_t row, std::size_t col) { return data[row * cols + col]; }
  double at(std::size_t row, std::size_t col) const { return data[row * cols + col]; }
  std::vector<double> column(std::size_t col) const;
  double column_sum(std::size_t col) const;
};

struct Axes {
  PriceScale scale = PriceScale::linear;
  double price_min = 0, price_max = 0;
  std::vector<double> price_edges;    // bins + 1
  std::vector<double> price_centres;  // bins (geometric centres on a log axis)
  std::vector<std::int64_t> column_ts;    // ts of the last step of each column
  std::vector<std::size_t> column_step;   // that step's index
  std::size_t steps = 0;                  // T
  // With the open-interest flow (else empty), per column: the open interest the map tracks
  // (USD) and the model's book (every live position, in the price range or not).
  std::vector<double> column_oi_usd, column_book_usd;
};

struct StageTime {
  std::string stage;
  double seconds = 0;
};

struct RunStats {
  std::uint64_t positions_drawn = 0;      // synthetic positions (sample x side x tier x exchange)
  std::uint64_t positions_in_range = 0;   // with a liquidation price inside the price axis
  std::uint64_t positions_out_of_range = 0;
  std::uint64_t positions_unliquidatable = 0;  // LP <= 0 or undefined
  std::uint64_t positions_liquidated = 0;
  double opened_usd = 0;          // sum of N_t
  double in_range_usd = 0;        // opened notional of positions drawn in the grid
  double out_of_range_usd = 0;    // opened notional whose LP falls outside the price axis
  double unliquidatable_usd = 0;  // opened notional that can never be liquidated
  double liquidated_usd = 0;      // sum of R_long + R_short
  std::string flow_source;        // "oi" or "volume"
  std::vector<std::string> flow_notes;  // how the flow was set up (warm-up, seeding)
  std::string backend;            // the backend that ran
  std::string backend_note;       // why that backend (e.g. the fallback reason)
  int threads = 0;
  std::vector<StageTime> stages;
  double total_seconds = 0;
};

struct Result {
  Axes axes;
  Grid raw_long, raw_short;        // H_long, H_short before smoothing
  Grid smooth_long, smooth_short;  // after the Gaussian of MODEL.md section 5
  std::vector<double> liq_long, liq_short;  // R_long[t], R_short[t] per step (length T)
  RunStats stats;

  Grid smooth_total() const;  // H = H_long + H_short, smoothed
  Grid raw_total() const;
};

// How much of the open interest a column holds: the map's total (raw, both sides) over the OI,
// and the share of the OI in positions outside the price range or never liquidatable. Empty
// without the open-interest flow or where the OI is 0. `column` < 0 counts from the end.
struct OiCoverage {
  double oi_usd = 0, map_usd = 0;
  double map_share = 0, out_of_range_share = 0;
};
std::optional<OiCoverage> oi_coverage(const Result& result, long column = -1);

// Called now and then with the fraction done (0..1); return false to cancel the run
// (compute then throws Error(ErrorCode::cancelled)).
using ProgressFn = std::function<bool(double fraction)>;

struct RunOptions {
  Backend backend = Backend::automatic;
  int threads = 0;  // 0 = all hardware threads
  ProgressFn progress;
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
