// The flow that keeps the map equal to the open interest (docs/model.md, "Flow"). Opening a
// step's notional does not depend on survival, nor does the step at which each position is
// liquidated; so the positions are walked once without a grid (the liquidation table), and the
// coupled opening / liquidation / close balance is then solved exactly in one forward pass.
#pragma once

#include <cstdint>
#include <vector>

#include "run_control.hpp"
#include "scatter.hpp"

namespace liqmap::detail {

// Unit weights of positions grouped by (end, side, tier, t0): the share of step t0's opened
// notional (before the side share and tier weight) liquidated at step `end` (t0 <= end < steps).
// Integer sums, so the table is the same whatever the thread count. Entries are 16 bytes (their
// end is their place in the table): the forward pass streams them.
struct LiquidationTable {
  static constexpr double kUnitScale = 0x1.0p50;
  struct Entry {
    std::int64_t unit;
    std::int32_t t0;  // a plan's steps fit: its grids are checked against memory first
    std::int16_t side, tier;
  };
  std::int64_t steps = 0;
  int tiers = 0;
  std::vector<Entry> entries;             // grouped by end; within an end by t0, side, tier
  std::vector<std::size_t> first_at_end;  // steps + 1 offsets into entries
};

// `in` needs the draw, margin, passage and same-bar fields; grid pointers are not read.
LiquidationTable build_liquidation_table(const model::ScatterInputs& in, int threads, const RunControl& control = {});

// Everything the forward pass reads besides the table.
// Relative to the OI: a book short of it by less than this is round-off, and opens nothing.
inline constexpr double kBookTolerance = 1e-9;

struct FlowInputs {
  std::int64_t steps = 0;
  std::int64_t warmup_steps = 0;        // leading steps before the first open-interest value
  std::vector<double> oi_usd;           // the OI to track, USD, per step (warm-up: the first value)
  std::vector<double> traded_usd;       // volume x close per step (0 when no volume)
  std::vector<double> decay;            // d_t from the half-life, 1 without
  std::vector<double> long_share;       // per step
  std::vector<double> tier_weight;      // normalised
  double turnover = 0;                  // share of traded notional that opens (and closes)
};

struct FlowSolution {
  std::vector<double> opened;            // N_t
  std::vector<double> step_factor;       // g_t = d_t (1 - f_t), g_0 = 1
  std::vector<double> alive;             // notional alive after step t (the book), USD
  std::vector<double> liquidated[2];     // per side, per step, USD
  double warmup_scale = 0;               // USD opened per USD traded during the warm-up
};

FlowSolution solve_flow(const FlowInputs& in, const LiquidationTable& table);

// S_t kept as mantissa * 2^exponent, restarted after a step that closes everything; the same
// bookkeeping as the plan's, so that survival_ratio reads it.
struct SurvivalTrack {
  std::vector<double> mantissa;
  std::vector<std::int64_t> exponent, wipes;

  void push(double g);
  double ratio(std::int64_t t0, std::int64_t t) const {
    return model::survival_ratio(mantissa.data(), exponent.data(), wipes.data(), t0, t);
  }
};

// One step of the forward pass: step t = s.opened.size(), given the table's entries whose end
// is t (t0 ascending, then side, tier). solve_flow runs it over every step; a live state runs
// it for each appended candle, so both give the same bits.
void forward_step(const FlowInputs& in, const LiquidationTable::Entry* first, const LiquidationTable::Entry* last,
                  FlowSolution& s, SurvivalTrack& survival);

}  // namespace liqmap::detail
