// The host side of the device pipeline (kernels/device_pipeline.inl): the plan as a DeviceJob,
// the DeviceResult as a BackendOutput. The cuda backend runs it on the GPU, the omp backend on
// Thrust's OpenMP system.
#pragma once

#include <cstddef>

#include "device_pipeline.hpp"
#include "engine/backend.hpp"

namespace liqmap::detail {

using RunPipeline = device::DeviceResult (*)(const device::DeviceJob&);

// Runs the pipeline on `plan`; the host smooths when the grid had to be sliced.
BackendOutput run_device_pipeline(const Plan& plan, const BackendSettings& settings,
                                  const RunControl& control, RunPipeline run,
                                  device::DeviceMemory* memory = nullptr);

// Device memory the pipeline needs with `bins_per_slice` bins at a time.
std::size_t device_memory_needed(const Plan& plan, int bins_per_slice, bool smooth_on_device,
                                 bool keep_delta);

}  // namespace liqmap::detail
