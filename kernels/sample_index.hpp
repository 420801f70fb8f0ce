// The run's samples numbered 0 .. active_steps x samples_per_step: sample i is draw
// i % samples_per_step of the (i / samples_per_step)-th step that opens notional. The device
// hands out samples by this number; the CPU walks the same (step, draw) pairs in blocks of steps.
#pragma once

#include <cstdint>

#include "scatter.hpp"

namespace liqmap::model {

LIQMAP_HD void scatter_numbered_sample(const ScatterInputs& in, const std::int64_t* active_steps,
                                       std::int64_t sample, ScatterTotals& totals) {
  scatter_sample(in, active_steps[sample / in.samples_per_step],
                 static_cast<std::uint32_t>(sample % in.samples_per_step), totals);
}

}  // namespace liqmap::model
