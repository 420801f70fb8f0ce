// One benchmark job (positions x bins x steps on the synthetic market) run on one backend,
// with the time, bytes and atomics of each stage. Shared by bench/ and `liqmap bench`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/plan.hpp"

namespace liqmap::detail {

struct BenchmarkJob {
  double positions = 1e6;  // at least; rounded up to whole samples per step
  int bins = 2048;
  std::size_t steps = 10080;
};

// What a stage must move at the least, to set its time against the hardware's bandwidth.
struct StageCost {
  std::string stage;
  double seconds = 0;
  double bytes = 0;    // bytes read + written (atomics counted as 8 bytes each)
  double atomics = 0;  // 64-bit atomic adds
};

struct BenchmarkRun {
  std::string backend;  // a name in backend_table(): cpu, omp, cuda
  std::uint64_t positions = 0;
  double seconds = 0;  // all stages
  std::vector<StageCost> stages;
  double positions_per_second() const;
};

// The default config with enough samples per step for `job.positions` positions.
Plan benchmark_plan(const BenchmarkJob& job);

// backend: a name in backend_table() (cpu, omp, cuda). Throws Error(device)
// when that backend is not in this build or not usable here.
BenchmarkRun run_benchmark(const Plan& plan, const std::string& backend, int threads);

}  // namespace liqmap::detail
