// Where the device pipeline's buffers come from. Each system (CUDA, OpenMP) has its own
// default (stream-ordered on CUDA); a long-lived engine (the C API, a Dask worker) can pass a
// pooling one so that runs of the same shape reuse their buffers instead of allocating again.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <utility>

namespace liqmap::device {

class DeviceMemory {
 public:
  virtual ~DeviceMemory() = default;
  // `stream` is the run's stream (a cudaStream_t on CUDA, null on OpenMP): the memory is ready
  // for work queued on it. Throws Error(out_of_memory) or std::bad_alloc when there is none.
  virtual void* allocate(std::size_t bytes, void* stream) = 0;
  virtual void deallocate(void* pointer, std::size_t bytes, void* stream) noexcept = 0;
};

// Keeps freed blocks by size and hands them out again; gives everything back to `upstream`
// when destroyed. Runs that use it must not overlap (the pipeline synchronises its stream
// before its buffers are freed).
class PoolingDeviceMemory : public DeviceMemory {
 public:
  explicit PoolingDeviceMemory(DeviceMemory& upstream) : upstream_(upstream) {}
  ~PoolingDeviceMemory() override { release(); }
  PoolingDeviceMemory(const PoolingDeviceMemory&) = delete;
  PoolingDeviceMemory& operator=(const PoolingDeviceMemory&) = delete;

  void* allocate(std::size_t bytes, void* stream) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto found = free_.find(bytes);
      if (found != free_.end()) {
        void* pointer = found->second;
        free_.erase(found);
        return pointer;
      }
    }
    ++upstream_allocations_;
    return upstream_.allocate(bytes, stream);
  }
  void deallocate(void* pointer, std::size_t bytes, void*) noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    free_.emplace(bytes, pointer);
  }
  // Gives the cached blocks back to the upstream.
  void release() noexcept {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [bytes, pointer] : free_) upstream_.deallocate(pointer, bytes, nullptr);
    free_.clear();
  }
  std::size_t upstream_allocations() const { return upstream_allocations_; }

 private:
  DeviceMemory& upstream_;
  std::mutex mutex_;
  std::multimap<std::size_t, void*> free_;
  std::size_t upstream_allocations_ = 0;
};

}  // namespace liqmap::device
