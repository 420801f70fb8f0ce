// Arbitrary bytes as a `liqmap batch` manifest (JSON or CSV): read_batch_manifest returns rows
// (a bad one with its error set) or throws Error; never a crash or a raw JSON exception. Its
// oracle: no two rows it lets run share an out folder.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>

#include "app/batch_manifest.hpp"
#include "fuzz_input_file.hpp"
#include "liqmap/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = liqmap::fuzz::write_scratch(data, size, ".manifest");
  try {
    std::set<std::string> outs;
    for (const liqmap::app::BatchRow& row : liqmap::app::read_batch_manifest(path)) {
      if (!row.error.empty() || row.out.empty()) continue;
      std::filesystem::path out = std::filesystem::absolute(row.out).lexically_normal();
      if (!out.has_filename()) out = out.parent_path();
      if (!outs.insert(out.string()).second) __builtin_trap();  // two rows would write one folder
    }
  } catch (const liqmap::Error&) {
  }
  return 0;
}
