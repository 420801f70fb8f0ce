// A built plan run through the backend table into a Result: compute()'s second half, also used
// by the venues stage (host/venues/), which builds one plan per venue on shared axes.
#pragma once

#include <cstdint>
#include <vector>

#include "liqmap/engine.hpp"
#include "model/plan.hpp"

namespace liqmap::detail {

struct PlanRun {
  Result result;  // axes, grids, R and statistics (stages without "plan")
  std::vector<std::int64_t> liquidated_fixed;  // [side][step] in the plan's integer units
  std::vector<std::int64_t> delta;             // [side][bin][step], only with keep_delta
};

// The run's progress and cancel poll (options.progress), for the plan and the backends alike.
RunControl run_control(const RunOptions& options);

// Runs `plan` on the backend `options` choose (auto: CUDA, else the CPU, with the reason).
PlanRun run_plan(Plan& plan, const RunOptions& options, bool keep_delta = false);

// compute(), handing its plan to `keep` as well (when not null): the CLI's liquidation map reads
// the same plan instead of solving the flow a second time.
Result compute(const Market& market, const Config& config, const RunOptions& options, Plan* keep);

}  // namespace liqmap::detail
