// What this machine's memory allows, to set the pipeline's stages against: the copy bandwidth
// of buffers already mapped (memcpy, 1 and all threads; bytes read + written), and the cost of
// the first write to fresh memory (page faults and the kernel's zeroing), which a stage pays
// when it writes a new grid.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdlib>
#include <cstring>
#include <memory>

namespace {

constexpr std::size_t kBytes = std::size_t(256) << 20;

void copy_in_parts(char* to, const char* from, std::size_t bytes, int threads) {
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int part = 0; part < threads; ++part) {
    const std::size_t begin = bytes / threads * part, end = part + 1 == threads ? bytes : bytes / threads * (part + 1);
    std::memcpy(to + begin, from + begin, end - begin);
  }
}

void BM_CopyMappedMemory(benchmark::State& state) {
  const int threads = int(state.range(0));
  std::unique_ptr<char[]> from(new char[kBytes]), to(new char[kBytes]);
  std::memset(from.get(), 1, kBytes);
  std::memset(to.get(), 2, kBytes);
  for (auto _ : state) {
    copy_in_parts(to.get(), from.get(), kBytes, threads);
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * 2 * std::int64_t(kBytes));
}

void BM_FirstWriteToFreshMemory(benchmark::State& state) {
  const int threads = int(state.range(0));
  for (auto _ : state) {
    char* fresh = static_cast<char*>(std::malloc(kBytes));
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int part = 0; part < threads; ++part)
      std::memset(fresh + kBytes / threads * part, 0, kBytes / threads);
    benchmark::DoNotOptimize(fresh);
    std::free(fresh);
  }
  state.SetBytesProcessed(std::int64_t(state.iterations()) * std::int64_t(kBytes));
}

BENCHMARK(BM_CopyMappedMemory)->Arg(1)->Arg(omp_get_max_threads())->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_FirstWriteToFreshMemory)->Arg(1)->Arg(omp_get_max_threads())->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
