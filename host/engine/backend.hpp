// A backend runs the plan's positions -> liquidation price -> liquidation step -> scatter ->
// time recurrence, and returns the raw grids and R. The CPU and CUDA backends implement the
// same function over the same plan.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "liqmap/engine.hpp"
#include "model/plan.hpp"
#include "recurrence.hpp"
#include "scatter.hpp"

namespace liqmap::detail {

struct BackendOutput {
  Grid raw_long, raw_short;
  Grid smooth_long, smooth_short;  // left empty when the backend does not smooth
  std::vector<std::int64_t> liquidated_fixed;  // [side][step], integer units
  model::ScatterTotals totals;
  std::vector<StageTime> stages;
  int threads = 0;
};

BackendOutput run_cpu_backend(const Plan& plan, const RunOptions& options);

// The plan's arrays as the shared math reads them. The scatter is set up for the CPU's delta
// layout ([side][bin][step], all bins); the device pipeline changes strides and slice.
model::ScatterInputs scatter_inputs(const Plan& plan, const PassageTables& tables,
                                    std::int64_t* delta, std::int64_t* liquidated);
model::RecurrenceInputs recurrence_inputs(const Plan& plan);

}  // namespace liqmap::detail

namespace liqmap::detail {

// The CUDA backend (kernels/), or its absence in a build without nvcc.
bool cuda_backend_compiled();
// True when a device is usable; `reason` then describes it, else says why not.
bool cuda_backend_usable(std::string& reason);
std::vector<std::string> cuda_devices();
BackendOutput run_cuda_backend(const Plan& plan, const RunOptions& options);

}  // namespace liqmap::detail
