// The device pipeline on Thrust's OpenMP system (THRUST_DEVICE_SYSTEM_OMP, set by CMake): the
// same source as the CUDA build, run on the CPU so that machines without a GPU test it.
#include <thrust/execution_policy.h>

#include <new>

#include "device_pipeline.inl"

namespace liqmap::device {
namespace {

struct OmpSystem {
  static_assert(THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP,
                "omp_pipeline.cpp must be built with -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_OMP");
  auto policy() const { return thrust::device; }
  void synchronize() const {}
  // Host memory stands in for the device's: no limit of its own, the host's bad_alloc applies.
  std::size_t free_bytes() const { return ~std::size_t(0) / 2; }
};

}  // namespace

DeviceResult run_pipeline_omp(const DeviceJob& job) {
  OmpSystem system;
  try {
    return run_pipeline(job, system);
  } catch (const std::bad_alloc&) {
    throw Error(ErrorCode::out_of_memory, "out of host memory in the OpenMP device pipeline (" +
                                              mib(device_bytes_needed(job, job.scatter.bins, true)) +
                                              " needed)");
  }
}

}  // namespace liqmap::device
