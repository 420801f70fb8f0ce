// The device pipeline on Thrust's OpenMP system (THRUST_DEVICE_SYSTEM_OMP, set by CMake): the
// same source as the CUDA build, run on the CPU so that machines without a GPU test it.
#include <thrust/execution_policy.h>

#include <cstring>
#include <new>

#include "device_pipeline.inl"
#include "host_copy.hpp"

namespace liqmap::device {
namespace {

// Host memory stands in for the device's: uninitialised, aligned for vectors.
class HostMemory : public DeviceMemory {
 public:
  void* allocate(std::size_t bytes, void*) override {
    return ::operator new(bytes, std::align_val_t(64));
  }
  void deallocate(void* pointer, std::size_t, void*) noexcept override {
    ::operator delete(pointer, std::align_val_t(64));
  }
};

struct OmpSystem {
  static_assert(THRUST_DEVICE_SYSTEM == THRUST_DEVICE_SYSTEM_OMP,
                "omp_pipeline.cpp must be built with -DTHRUST_DEVICE_SYSTEM=THRUST_DEVICE_SYSTEM_OMP");
  auto policy() const { return thrust::device; }
  void synchronize() const {}
  // No limit of its own: the host's bad_alloc applies.
  std::size_t free_bytes() const { return ~std::size_t(0) / 2; }
  void* stream() const { return nullptr; }
  DeviceMemory& memory() const { return omp_default_memory(); }
  void upload(void* device, const void* host, std::size_t bytes) const { std::memcpy(device, host, bytes); }
  void download(void* host, const void* device, std::size_t bytes) const { copy_in_parallel(host, device, bytes); }
};

}  // namespace

DeviceMemory& omp_default_memory() {
  static HostMemory memory;
  return memory;
}

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
