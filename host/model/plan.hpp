// The plan: everything per step and per config that a backend needs, flattened into plain
// arrays (MODEL.md sections 2, 3 and 5). Built once on the host; backends only read it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "model/flow.hpp"
#include "model_math.hpp"

namespace liqmap::detail {

struct Plan {
  std::int64_t steps = 0;
  std::uint32_t samples_per_step = 0;
  std::uint64_t seed = 0;
  int entry_mode = model::kEntryUniform;
  double size_median = 0, size_sigma = 0;

  // Per step.
  std::vector<double> open, low, high, close;
  bool same_bar = false;             // liquidation inside the opening bar (model_math.hpp)
  std::vector<double> opened_usd;    // N_t
  std::vector<double> step_factor;   // g_t = (1 - f_t) * d_t, g_0 = 1
  std::vector<double> long_share;
  std::vector<double> survival_mantissa;  // S_t = mantissa * 2^exponent within a wipe segment
  std::vector<std::int64_t> survival_exponent;
  std::vector<std::int64_t> survival_wipes;  // how many steps up to t closed everything
  bool survival_is_constant = false;         // every g_t == 1: the recurrence is a prefix sum
  std::string flow_source;                   // "oi" or "volume"
  double opened_total_usd = 0;
  // The open-interest flow (empty with the volume source): the OI tracked per step (USD, after
  // spreading), the model's book after each step (every position alive, in range or not), the
  // liquidations the flow solve counted, and how the opening OI was seeded.
  std::vector<double> oi_usd, alive_usd, solved_liquidated[2];
  std::int64_t warmup_steps = 0;
  double warmup_scale = 0;
  std::vector<std::string> notes;  // for the user: how the flow was set up

  // Positions.
  std::vector<double> tier_leverage, tier_weight;
  std::vector<model::ExchangeParams> exchanges;
  std::vector<model::BracketRow> brackets;
  std::int64_t active_steps = 0;  // steps with N_t > 0

  // Axes.
  int bins = 0;
  std::vector<double> edges;
  Axes axes;
  int time_group = 1;
  std::size_t columns = 0;

  double fixed_scale = 1;  // a power of two: integer units per USD

  // Smoothing.
  double sigma_price_bins = 0, sigma_time_steps = 0;

  std::uint64_t positions_per_active_step() const {
    return std::uint64_t(samples_per_step) * 2 * tier_leverage.size() * exchanges.size();
  }
};

// Builds the plan; the market must already be valid. Throws Error(config|input). `threads`
// (0 = all) walk the positions once for the open-interest flow, polling `control` as they go
// (a cancel throws Error(cancelled) from stage "plan").
Plan build_plan(const Market& market, const Config& config, int threads = 0, const RunControl& control = {});

// The open-interest flow's inputs and liquidation table for a plan whose positions are set
// (build_plan calls it; calibration reuses it to solve the flow for many turnovers).
struct OiFlowParts {
  FlowInputs inputs;
  LiquidationTable table;
};
// The forward pass's inputs of a planned market (the OI spread and in USD, traded notional,
// decay), without the table; d_t of the half-life per step.
FlowInputs flow_inputs(const Market& market, const Config& config, const Plan& plan);
std::vector<double> step_decay(const Market& market, const Config& config);

OiFlowParts oi_flow_parts(const Market& market, const Config& config, const Plan& plan, int threads,
                          const RunControl& control = {});

// An open-interest change spread over the candles of its interval (from the candle after the
// previous change to the one where the new value appears, at most the median spacing of the
// changes long, or `longest` candles when not 0) in proportion to their volume (equal shares
// without volume). Rows before `first` are left as they are.
std::vector<double> spread_oi_changes(const std::vector<double>& oi, const std::vector<double>& volume,
                                      std::size_t first, std::size_t longest = 0);

// The median spacing (candles) of the OI changes after `first`: spread_oi_changes' longest
// interval by default (the series' length without two changes).
std::size_t oi_change_interval(const std::vector<double>& oi, std::size_t first);

// The default integer units per USD, 2^this: the largest power of two (at most 2^40) with which
// the sum of every delta's magnitude (at most twice the opened notional) stays below 2^61.
int fixed_point_exponent(double opened_total_usd);

// Sparse tables of range-min(low) and range-max(high), levels x steps, for first passage.
struct PassageTables {
  int levels = 0;
  std::vector<double> min_low, max_high;
};
PassageTables build_passage_tables(const Plan& plan, int threads);

// The shared math's per-position inputs: draws, margin schedules, passage tables and the
// same-bar switch. The flow solve reads them as they are; the backends add survival and grid.
model::ScatterInputs position_inputs(const Plan& plan, const PassageTables& tables);

}  // namespace liqmap::detail
