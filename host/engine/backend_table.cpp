// The table of backends: the only place that lists them.
#include <sstream>

#include "engine/backend.hpp"
#include "liqmap/error.hpp"

namespace liqmap::detail {
namespace {

bool always_usable(std::string& reason) {
  reason = "the host's CPU threads (OpenMP)";
  return true;
}

}  // namespace

const std::vector<BackendEntry>& backend_table() {
  static const std::vector<BackendEntry> table = {
      {"cpu", "CPU threads over samples and price rows", always_usable, run_cpu_backend},
      {"omp", "the device pipeline on Thrust's OpenMP system (tests, debugging)",
       omp_device_usable, run_omp_device},
      {"cuda", "the device pipeline on an NVIDIA GPU", cuda_device_usable, run_cuda_device},
  };
  return table;
}

const BackendEntry& find_backend(std::string_view name) {
  std::ostringstream known;
  for (const BackendEntry& entry : backend_table()) {
    if (entry.name == name) return entry;
    known << (known.tellp() > 0 ? ", " : "") << entry.name;
  }
  throw Error(ErrorCode::invalid_argument,
              "unknown backend \"" + std::string(name) + "\": allowed are " + known.str());
}

}  // namespace liqmap::detail
