// The cuda backend's entries in a build without nvcc: `auto` falls back to the CPU and `cuda`
// fails with this reason.
#include "engine/backend.hpp"
#include "liqmap/error.hpp"

namespace liqmap::detail {

namespace {
const char* const kReason =
    "this build has no CUDA backend (configured without nvcc, or with -DLIQMAP_CUDA=OFF)";
}

bool cuda_backend_compiled() { return false; }

bool cuda_device_usable(std::string& reason) {
  reason = kReason;
  return false;
}

std::vector<std::string> cuda_devices() { return {}; }

BackendOutput run_cuda_device(const Plan&, const BackendSettings&, const RunControl&) {
  throw Error(ErrorCode::device, kReason);
}

}  // namespace liqmap::detail
