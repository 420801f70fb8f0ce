// copy_bandwidth: the device-to-device copy bandwidth of the first CUDA device, the ceiling that
// scripts/gpu-check.sh sets the recurrence and smoothing against (issue 13: >= 70% of it).
// Bytes read plus bytes written over the median of timed cudaMemcpy calls between two buffers
// filled with non-zero data (zeros can run faster than real data).
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

bool check(cudaError_t status, const char* call) {
  if (status == cudaSuccess) return true;
  std::fprintf(stderr, "copy_bandwidth: %s failed: %s (%s)\n", call, cudaGetErrorName(status),
               cudaGetErrorString(status));
  return false;
}

#define COPY_BANDWIDTH_TRY(call) \
  do {                           \
    if (!check((call), #call)) return 1; \
  } while (0)

__global__ void fill_pattern(unsigned long long* data, size_t count) {
  for (size_t i = blockIdx.x * size_t(blockDim.x) + threadIdx.x; i < count; i += size_t(gridDim.x) * blockDim.x)
    data[i] = (i + 1) * 0x9E3779B97F4A7C15ull;
}

}  // namespace

int main(int argc, char** argv) {
  const double gib = argc > 1 ? std::atof(argv[1]) : 2.0;
  const int repeats = argc > 2 ? std::atoi(argv[2]) : 20;
  if (!(gib > 0 && gib <= 64) || repeats < 1) {
    std::fprintf(stderr, "usage: copy_bandwidth [GiB per buffer, (0, 64], default 2] [timed copies, default 20]\n");
    return 2;
  }
  const size_t bytes = size_t(gib * 1024 * 1024 * 1024) / 8 * 8;
  const size_t words = bytes / 8;

  int device = 0;
  COPY_BANDWIDTH_TRY(cudaGetDevice(&device));
  cudaDeviceProp prop{};
  COPY_BANDWIDTH_TRY(cudaGetDeviceProperties(&prop, device));
  unsigned long long *src = nullptr, *dst = nullptr;
  COPY_BANDWIDTH_TRY(cudaMalloc(&src, bytes));
  COPY_BANDWIDTH_TRY(cudaMalloc(&dst, bytes));
  fill_pattern<<<4 * prop.multiProcessorCount, 256>>>(src, words);
  COPY_BANDWIDTH_TRY(cudaGetLastError());
  COPY_BANDWIDTH_TRY(cudaMemset(dst, 0xA5, bytes));

  cudaEvent_t start, stop;
  COPY_BANDWIDTH_TRY(cudaEventCreate(&start));
  COPY_BANDWIDTH_TRY(cudaEventCreate(&stop));
  for (int i = 0; i < 3; ++i) COPY_BANDWIDTH_TRY(cudaMemcpy(dst, src, bytes, cudaMemcpyDeviceToDevice));
  std::vector<float> ms(repeats);
  for (int i = 0; i < repeats; ++i) {
    COPY_BANDWIDTH_TRY(cudaEventRecord(start));
    COPY_BANDWIDTH_TRY(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToDevice));
    COPY_BANDWIDTH_TRY(cudaEventRecord(stop));
    COPY_BANDWIDTH_TRY(cudaEventSynchronize(stop));
    COPY_BANDWIDTH_TRY(cudaEventElapsedTime(&ms[i], start, stop));
  }

  // The copy must have happened: a sample of words read back against the pattern.
  std::vector<unsigned long long> sample(1024);
  const size_t stride = words / sample.size();
  for (size_t k = 0; k < sample.size(); ++k) {
    COPY_BANDWIDTH_TRY(cudaMemcpy(&sample[k], dst + k * stride, 8, cudaMemcpyDeviceToHost));
    if (sample[k] != (k * stride + 1) * 0x9E3779B97F4A7C15ull) {
      std::fprintf(stderr, "copy_bandwidth: word %zu was not copied\n", k * stride);
      return 1;
    }
  }

  std::sort(ms.begin(), ms.end());
  const double median_s = ms[ms.size() / 2] / 1e3;
  const double gbps = 2.0 * double(bytes) / median_s / 1e9;
  std::printf("device: %s, %d multiprocessors, %.1f GiB\n", prop.name, prop.multiProcessorCount,
              double(prop.totalGlobalMem) / (1024.0 * 1024 * 1024));
  std::printf("copies: %d of %.2f GiB, median %.3f ms (min %.3f, max %.3f)\n", repeats, gib, ms[ms.size() / 2],
              ms.front(), ms.back());
  std::printf("copy_bandwidth_GBps %.1f\n", gbps);  // bytes read + written; read by gpu-check.sh
  cudaFree(src);
  cudaFree(dst);
  return 0;
}
