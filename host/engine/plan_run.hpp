// A built plan run through the backend table into a Result: compute()'s second half, also used
// by the venues stage (host/venues/), which builds one plan per venue on shared axes.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/backend.hpp"
#include "liqmap/engine.hpp"
#include "model/plan.hpp"

namespace liqmap::detail {

struct PlanRun {
  Result result;  // axes, grids, R and statistics (stages without "plan")
  std::vector<std::int64_t> liquidated_fixed;  // [side][step] in the plan's integer units
  std::vector<std::int64_t> delta;             // [side][bin][step], only with keep_delta
  TierColumn tier_column;                      // BackendOutput::tier_column
  model::ScatterTotals totals;                 // the positions' counts, integer units
};

// The run's progress and cancel poll (options.progress), for the plan and the backends alike.
RunControl run_control(const RunOptions& options);

// Runs `plan` on the backend `options` choose (auto: CUDA, else the CPU, with the reason);
// tier_column_step >= 0 asks the backend for the liquidation map's column there.
PlanRun run_plan(const Plan& plan, const RunOptions& options, bool keep_delta = false, std::int64_t tier_column_step = -1);

// What the CLI's outputs take from a run besides its Result: the plan (the liquidation map reads
// it, so the flow is solved once) and the map's per-tier column at the step `map_step` picks from
// the plan's axes, added by the CPU scatter as it draws (empty from a device: the map's own pass
// then makes it).
struct RunExtras {
  std::function<std::int64_t(const Axes&)> map_step;  // empty: no column
  double extra_memory_bytes = 0;  // what the caller will hold besides the grids (outputs), for the memory check
  Plan plan;
  TierColumn tier_column;
};

// compute(), filling `extras` as well when it is not null.
Result compute(const Market& market, const Config& config, const RunOptions& options, RunExtras* extras);

}  // namespace liqmap::detail
