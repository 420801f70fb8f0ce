// The CUDA backend's entry points in a build with nvcc: the device pipeline on the GPU.
#include "engine/backend.hpp"
#include "engine/device_backend.hpp"
#include "device_pipeline.hpp"

namespace liqmap::detail {

bool cuda_backend_compiled() { return true; }

bool cuda_backend_usable(std::string& reason) { return device::cuda_usable(reason); }

std::vector<std::string> cuda_devices() { return device::cuda_device_descriptions(); }

BackendOutput run_cuda_backend(const Plan& plan, const RunOptions& options) {
  return run_cuda_device_pipeline(plan, options);
}

}  // namespace liqmap::detail
