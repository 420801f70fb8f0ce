// The one backend contract: run(plan, settings, control) -> raw and smoothed grids, R, totals
// and stage times. Every backend (cpu, omp, cuda) runs the same stages over the same plan,
// smooths its own grids and polls the RunControl between stages; the engine, the benchmark,
// the C API (through compute()) and the tests choose a backend from one table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "liqmap/result.hpp"
#include "model/plan.hpp"
#include "recurrence.hpp"
#include "run_control.hpp"
#include "scatter.hpp"

namespace liqmap::detail {

// The liquidation map's per-tier column at one step: [side][tier][bin] integer units, as
// tier_column.hpp adds them. Asked of a backend by step (BackendSettings::tier_column_step) and
// added by the CPU scatter as it draws; `units` stays empty where a backend does not (devices).
struct TierColumn {
  std::int64_t step = -1;
  std::vector<std::int64_t> units;
};

struct BackendOutput {
  Grid raw_long, raw_short;
  Grid smooth_long, smooth_short;
  std::vector<std::int64_t> liquidated_fixed;  // [side][step], integer units
  model::ScatterTotals totals;
  std::vector<StageTime> stages;
  int threads = 0;
  int device_slices = 0;  // bins are processed in this many slices on a device (0 on the CPU)
  std::vector<std::int64_t> delta;  // [side][bin][step] when BackendSettings::keep_delta
  TierColumn tier_column;  // at BackendSettings::tier_column_step, when asked and the backend adds it
};

struct BackendSettings {
  int threads = 0;  // host threads; 0 = all
  // Device backends only. 0: what the device reports free; smaller forces slices of bins.
  std::size_t device_memory_limit = 0;
  std::size_t recurrence_threads = 0;  // 0: the pipeline's default
  bool keep_delta = false;             // return the integer delta grid (tests compare it)
  std::int64_t tier_column_step = -1;  // >= 0: the CPU also adds the liquidation map's column there
};

struct BackendEntry {
  const char* name;  // "cpu", "omp", "cuda"
  const char* what;  // one line for `liqmap info` and errors
  // True when it can run here; `reason` then describes it, else says why not.
  bool (*usable)(std::string& reason);
  BackendOutput (*run)(const Plan& plan, const BackendSettings& settings, const RunControl& control);
};

// Every backend this program knows, usable here or not, in order of preference for `auto`
// last to first: cpu, omp (the device pipeline on the host, for tests and debugging), cuda.
const std::vector<BackendEntry>& backend_table();
// Throws Error(invalid_argument) naming the known ones.
const BackendEntry& find_backend(std::string_view name);

int resolve_threads(int threads);  // 0 -> all hardware threads
std::vector<std::int64_t> active_steps(const Plan& plan);  // steps with N_t > 0, increasing

// The plan's arrays as the shared math reads them, delta laid out [side][bin][step] over all
// bins: a row's steps together, so the recurrence streams each row (measured: the device's
// time-major layout makes the CPU's row-at-a-time recurrence wait on strided loads). The
// device pipeline sets its own layout, slice and pointers.
model::ScatterInputs scatter_inputs(const Plan& plan, const PassageTables& tables,
                                    std::int64_t* delta, std::int64_t* liquidated);
model::RecurrenceInputs recurrence_inputs(const Plan& plan);

// The backends behind the table.
BackendOutput run_cpu_backend(const Plan& plan, const BackendSettings& settings, const RunControl& control);
bool omp_device_usable(std::string& reason);
BackendOutput run_omp_device(const Plan& plan, const BackendSettings& settings, const RunControl& control);
bool cuda_device_usable(std::string& reason);
BackendOutput run_cuda_device(const Plan& plan, const BackendSettings& settings, const RunControl& control);
bool cuda_backend_compiled();
std::vector<std::string> cuda_devices();

}  // namespace liqmap::detail
