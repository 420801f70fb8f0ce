// Checked CUDA calls (nvcc only). LIQMAP_CUDA_TRY(call) throws liqmap::Error with the file, the
// line, the call and CUDA's name and text for the status: Error(out_of_memory) when memory ran
// out, so `auto` can fall back to the CPU, else Error(device). LIQMAP_CUDA_TRY_NOTHROW(call) is
// for destructors and deallocation: it reports a failure on stderr and never throws.
#pragma once

#include <cuda_runtime_api.h>

#include <cstdio>
#include <string>

#include "liqmap/error.hpp"

namespace liqmap::device {

[[noreturn]] inline void throw_cuda_error(cudaError_t status, const char* file, int line, const char* call) {
  const ErrorCode code =
      status == cudaErrorMemoryAllocation ? ErrorCode::out_of_memory : ErrorCode::device;
  throw Error(code, std::string(file) + ":" + std::to_string(line) + ": " + call + ": " +
                        cudaGetErrorName(status) + ": " + cudaGetErrorString(status));
}

inline void report_cuda_error(cudaError_t status, const char* file, int line, const char* call) noexcept {
  std::fprintf(stderr, "liqmap: %s:%d: %s: %s: %s (ignored while releasing)\n", file, line, call,
               cudaGetErrorName(status), cudaGetErrorString(status));
}

}  // namespace liqmap::device

#define LIQMAP_CUDA_TRY(call)                                                          \
  do {                                                                                 \
    const cudaError_t liqmap_status_ = (call);                                         \
    if (liqmap_status_ != cudaSuccess)                                                 \
      ::liqmap::device::throw_cuda_error(liqmap_status_, __FILE__, __LINE__, #call);   \
  } while (0)

#define LIQMAP_CUDA_TRY_NOTHROW(call)                                                  \
  do {                                                                                 \
    const cudaError_t liqmap_status_ = (call);                                         \
    if (liqmap_status_ != cudaSuccess)                                                 \
      ::liqmap::device::report_cuda_error(liqmap_status_, __FILE__, __LINE__, #call);  \
  } while (0)
