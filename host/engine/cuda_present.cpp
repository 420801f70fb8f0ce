// The cuda backend's entries in a build with nvcc: the device pipeline on the GPU.
#include "device_pipeline.hpp"
#include "engine/backend.hpp"
#include "engine/device_backend.hpp"

namespace liqmap::detail {

bool cuda_backend_compiled() { return true; }

bool cuda_device_usable(std::string& reason) { return device::cuda_usable(reason); }

std::vector<std::string> cuda_devices() { return device::cuda_device_descriptions(); }

BackendOutput run_cuda_device(const Plan& plan, const BackendSettings& settings, const RunControl& control) {
  return run_device_pipeline(plan, settings, control, device::run_pipeline_cuda);
}

}  // namespace liqmap::detail
