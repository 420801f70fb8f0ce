// The device pipeline on CUDA (device_pipeline.inl): its stream, memory and staging, and the
// discovery of devices. Every CUDA call goes through cuda_error.hpp's checks: a failure becomes
// liqmap::Error(device) with file, line, call and CUDA's text; running out of memory becomes
// Error(out_of_memory), so `auto` can fall back to the CPU; releases report and never throw.
#include <cuda_runtime_api.h>
#include <thrust/system/cuda/error.h>
#include <thrust/system/cuda/execution_policy.h>
#include <thrust/system_error.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>

#include "cuda_error.hpp"
#include "device_pipeline.inl"
#include "host_copy.hpp"

namespace liqmap::device {
namespace {

// The run's one stream, non-blocking (nothing of the run goes through the legacy default
// stream), destroyed (never throwing) when the run ends, also by an exception.
class Stream {
 public:
  Stream() { LIQMAP_CUDA_TRY(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking)); }
  ~Stream() {
    LIQMAP_CUDA_TRY_NOTHROW(cudaStreamSynchronize(stream_));
    LIQMAP_CUDA_TRY_NOTHROW(cudaStreamDestroy(stream_));
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_ = nullptr;
};

// Stream-ordered device memory (cudaMallocAsync): a buffer is ready for the work queued after
// its allocation on the same stream, and is given back in order too.
class StreamOrderedMemory : public DeviceMemory {
 public:
  void* allocate(std::size_t bytes, void* stream) override {
    void* pointer = nullptr;
    LIQMAP_CUDA_TRY(cudaMallocAsync(&pointer, bytes, static_cast<cudaStream_t>(stream)));
    return pointer;
  }
  void deallocate(void* pointer, std::size_t, void* stream) noexcept override {
    LIQMAP_CUDA_TRY_NOTHROW(cudaFreeAsync(pointer, static_cast<cudaStream_t>(stream)));
  }
};

// Page-locked host memory for the downloads, two buffers: the copy engine fills one while the
// host empties the other into the grids. Reused across the downloads of one run; freed after
// the run's stream is drained (declared before the Stream, so destroyed after it).
class PinnedStaging {
 public:
  static constexpr std::size_t kBytes = std::size_t(16) << 20;  // each of the two
  PinnedStaging() = default;
  ~PinnedStaging() {
    for (int i = 0; i < 2; ++i) {
      if (filled_[i]) LIQMAP_CUDA_TRY_NOTHROW(cudaEventDestroy(filled_[i]));
      if (buffer_[i]) LIQMAP_CUDA_TRY_NOTHROW(cudaFreeHost(buffer_[i]));
    }
  }
  PinnedStaging(const PinnedStaging&) = delete;
  PinnedStaging& operator=(const PinnedStaging&) = delete;
  char* buffer(int i) {
    if (!buffer_[i]) LIQMAP_CUDA_TRY(cudaMallocHost(reinterpret_cast<void**>(&buffer_[i]), kBytes));
    return buffer_[i];
  }
  cudaEvent_t filled(int i) {
    if (!filled_[i]) LIQMAP_CUDA_TRY(cudaEventCreateWithFlags(&filled_[i], cudaEventDisableTiming));
    return filled_[i];
  }

 private:
  char* buffer_[2] = {nullptr, nullptr};
  cudaEvent_t filled_[2] = {nullptr, nullptr};
};

struct CudaSystem {
  const Stream& stream_;
  PinnedStaging& staging;
  auto policy() const { return thrust::cuda::par.on(stream_.get()); }
  void synchronize() const { LIQMAP_CUDA_TRY(cudaStreamSynchronize(stream_.get())); }
  std::size_t free_bytes() const {
    std::size_t free = 0, total = 0;
    LIQMAP_CUDA_TRY(cudaMemGetInfo(&free, &total));
    return free;
  }
  void* stream() const { return stream_.get(); }
  DeviceMemory& memory() const { return cuda_default_memory(); }
  // From pageable host memory: CUDA stages it before the call returns, so `host` may go.
  void upload(void* device, const void* host, std::size_t bytes) const {
    LIQMAP_CUDA_TRY(cudaMemcpyAsync(device, host, bytes, cudaMemcpyHostToDevice, stream_.get()));
  }
  // Chunk k+1 crosses the bus while the host copies chunk k out of the other buffer, on every
  // core (host_copy.hpp). Chunk k+1 reuses chunk k-1's buffer, emptied in the step before.
  void download(void* host, const void* device, std::size_t bytes) const {
    constexpr std::size_t chunk = PinnedStaging::kBytes;
    const std::size_t chunks = (bytes + chunk - 1) / chunk;
    const auto part = [&](std::size_t k) { return std::min(chunk, bytes - k * chunk); };
    const auto start = [&](std::size_t k) {
      const int b = int(k % 2);
      LIQMAP_CUDA_TRY(cudaMemcpyAsync(staging.buffer(b), static_cast<const char*>(device) + k * chunk, part(k),
                                      cudaMemcpyDeviceToHost, stream_.get()));
      LIQMAP_CUDA_TRY(cudaEventRecord(staging.filled(b), stream_.get()));
    };
    if (chunks > 0) start(0);
    for (std::size_t k = 0; k < chunks; ++k) {
      if (k + 1 < chunks) start(k + 1);
      LIQMAP_CUDA_TRY(cudaEventSynchronize(staging.filled(int(k % 2))));
      copy_in_parallel(static_cast<char*>(host) + k * chunk, staging.buffer(int(k % 2)), part(k));
    }
  }
};

std::string gib(std::size_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f GiB", double(bytes) / double(1ull << 30));
  return text;
}

// The lowest compute capability this build has code for (CMake passes the architectures).
int lowest_built_architecture() {
  return LIQMAP_CUDA_LOWEST_ARCH;
}

}  // namespace

DeviceResult run_pipeline_cuda(const DeviceJob& job) {
  try {
    PinnedStaging staging;
    Stream stream;
    CudaSystem system{stream, staging};
    return run_pipeline(job, system);
  } catch (const std::bad_alloc&) {  // thrust::system::detail::bad_alloc is one
    throw Error(ErrorCode::out_of_memory,
                "device out of memory: the grid needs about " +
                    mib(device_bytes_needed(job, job.scatter.bins, true)) +
                    " on the device; use fewer bins or steps, or grid.time_group");
  } catch (const thrust::system_error& e) {
    const bool oom = e.code().value() == cudaErrorMemoryAllocation &&
                     e.code().category() == thrust::cuda_category();
    throw Error(oom ? ErrorCode::out_of_memory : ErrorCode::device,
                std::string("CUDA device pipeline: ") + e.what());
  }
}

DeviceMemory& cuda_default_memory() {
  static StreamOrderedMemory memory;
  return memory;
}

bool cuda_usable(std::string& reason) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    // Said plainly first: "driver version is insufficient" is what the runtime says when no
    // driver is installed at all (no GPU on the machine) as well as when it is too old.
    int driver = 0, runtime = 0;
    cudaDriverGetVersion(&driver);
    cudaRuntimeGetVersion(&runtime);
    const auto version = [](int v) { return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10); };
    if (driver == 0)
      reason = "no NVIDIA GPU driver is installed (no GPU on this machine, or its driver is missing)";
    else if (status == cudaErrorInsufficientDriver)
      reason = "the NVIDIA driver (CUDA " + version(driver) + ") is older than this build's CUDA runtime " +
               version(runtime) + ": update the driver";
    else if (status == cudaErrorNoDevice)
      reason = "no NVIDIA GPU found";
    else
      reason = "no usable CUDA device";
    reason += std::string(" (cudaGetDeviceCount: ") + cudaGetErrorString(status) + ")";
    cudaGetLastError();  // not a sticky error: clear it so later calls start clean
    return false;
  }
  if (count == 0) {
    reason = "no CUDA device found";
    return false;
  }
  cudaDeviceProp prop{};
  if (cudaGetDeviceProperties(&prop, 0) != cudaSuccess) {
    reason = "CUDA device 0 could not be queried";
    return false;
  }
  const int capability = prop.major * 10 + prop.minor;
  if (capability < lowest_built_architecture()) {
    reason = std::string("CUDA device 0 (") + prop.name + ") has compute capability " +
             std::to_string(prop.major) + "." + std::to_string(prop.minor) +
             ", this build has code for " + std::to_string(lowest_built_architecture() / 10) +
             "." + std::to_string(lowest_built_architecture() % 10) +
             " and newer (rebuild with -DCMAKE_CUDA_ARCHITECTURES)";
    return false;
  }
  reason = std::string("CUDA device 0: ") + prop.name;
  return true;
}

std::vector<std::string> cuda_device_descriptions() {
  std::vector<std::string> devices;
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();
    return devices;
  }
  for (int d = 0; d < count; ++d) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, d) != cudaSuccess) continue;
    devices.push_back(std::to_string(d) + ": " + prop.name + ", " + gib(prop.totalGlobalMem) +
                      ", compute capability " + std::to_string(prop.major) + "." +
                      std::to_string(prop.minor) + ", " +
                      std::to_string(prop.multiProcessorCount) + " SMs");
  }
  return devices;
}

}  // namespace liqmap::device
