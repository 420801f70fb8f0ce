// The host side of the device pipeline (kernels/device_pipeline.inl): the plan as a DeviceJob,
// the DeviceResult as a BackendOutput. The CUDA backend runs it on the GPU; the OpenMP build of
// the same pipeline is exposed for the tests and the benchmark.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/backend.hpp"

namespace liqmap::detail {

struct DevicePipelineOptions {
  std::size_t memory_limit_bytes = 0;  // 0: the device's free memory; smaller forces slices
  std::vector<std::int64_t>* delta = nullptr;  // when set, receives the [side][bin][step] deltas
  int* slices = nullptr;                       // when set, receives the number of bin slices
  std::size_t recurrence_threads = 0;          // 0: the pipeline's default
};

// Device memory the pipeline needs with `bins_per_slice` bins at a time.
std::size_t device_memory_needed(const Plan& plan, int bins_per_slice, bool smooth_on_device,
                                 bool keep_delta);

#if defined(LIQMAP_HAVE_OMP_DEVICE)
BackendOutput run_omp_device_pipeline(const Plan& plan, const RunOptions& options,
                                      const DevicePipelineOptions& device = {});
#endif
#if defined(LIQMAP_HAVE_CUDA)
BackendOutput run_cuda_device_pipeline(const Plan& plan, const RunOptions& options,
                                       const DevicePipelineOptions& device = {});
#endif

}  // namespace liqmap::detail
