// What a run returns: the grids, their axes, R per step and the run's statistics. Plain data,
// apart from compute() (engine.hpp), so readers of saved runs and writers of outputs need only this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "liqmap/config.hpp"

namespace liqmap {

namespace detail {
// Large blocks are asked for on transparent huge pages and are not touched here: the first
// write, by the threads that compute the values, maps them (in parallel, once).
void* allocate_grid_values(std::size_t bytes);
void free_grid_values(void* pointer, std::size_t bytes) noexcept;
}  // namespace detail

// The allocator of grid storage: values are left uninitialised unless a value is given.
template <class T>
struct GridAllocator {
  using value_type = T;
  GridAllocator() = default;
  template <class U>
  GridAllocator(const GridAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(detail::allocate_grid_values(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { detail::free_grid_values(p, n * sizeof(T)); }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
  template <class U>
  void construct(U* p) {
    ::new (static_cast<void*>(p)) U;  // default-initialised: no zero-fill
  }
  friend bool operator==(const GridAllocator&, const GridAllocator&) { return true; }
  friend bool operator!=(const GridAllocator&, const GridAllocator&) { return false; }
};

using GridValues = std::vector<double, GridAllocator<double>>;

// A dense price x column grid, row-major: row 0 = lowest price bin, one row per bin.
struct Grid {
  std::size_t rows = 0, cols = 0;
  GridValues data;

  Grid() = default;
  Grid(std::size_t r, std::size_t c) : rows(r), cols(c), data(r * c, 0.0) {}
  // Every cell to be written by the caller (a backend's stage, from its own threads).
  static Grid uninitialized(std::size_t r, std::size_t c) {
    Grid grid;
    grid.rows = r;
    grid.cols = c;
    grid.data.resize(r * c);
    return grid;
  }
  double& at(std::size_t row, std::size_t col) { return data[row * cols + col]; }
  double at(std::size_t row, std::size_t col) const { return data[row * cols + col]; }
  std::vector<double> column(std::size_t col) const;
  double column_sum(std::size_t col) const;
  std::vector<double> column_sums() const;  // each as column_sum() adds it, in one row-major pass
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

}  // namespace liqmap
