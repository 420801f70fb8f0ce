// The plan as the shared math (kernels/) reads it: plain pointers into the plan's arrays.
#include <omp.h>

#include "engine/backend.hpp"

namespace liqmap::detail {

int resolve_threads(int threads) { return threads > 0 ? threads : omp_get_max_threads(); }

std::vector<std::int64_t> active_steps(const Plan& plan) {
  std::vector<std::int64_t> active;
  for (std::int64_t t = 0; t < plan.steps; ++t)
    if (plan.opened_usd[t] > 0) active.push_back(t);
  return active;
}

model::ScatterInputs scatter_inputs(const Plan& plan, const PassageTables& tables,
                                    std::int64_t* delta, std::int64_t* liquidated) {
  model::ScatterInputs in = position_inputs(plan, tables);
  in.opened_usd = plan.opened_usd.data();
  in.long_share = plan.long_share.data();
  in.survival_mantissa = plan.survival_mantissa.data();
  in.survival_exponent = plan.survival_exponent.data();
  in.survival_wipes = plan.survival_wipes.data();
  in.bins = plan.bins;
  in.edges = plan.edges.data();
  in.fixed_scale = plan.fixed_scale;
  in.delta = delta;
  in.bin_stride = plan.steps;
  in.step_stride = 1;
  in.bin_first = 0;
  in.bin_count = plan.bins;
  in.liquidated = liquidated;
  return in;
}

model::RecurrenceInputs recurrence_inputs(const Plan& plan) {
  model::RecurrenceInputs in{};
  in.steps = plan.steps;
  in.columns = static_cast<std::int64_t>(plan.columns);
  in.column_step = plan.axes.column_step.data();
  in.step_factor = plan.step_factor.data();
  in.survival_is_constant = plan.survival_is_constant;
  in.unit = 1.0 / plan.fixed_scale;  // a power of two: exact
  return in;
}

}  // namespace liqmap::detail
