// Arbitrary bytes as a .npy grid (what `liqmap render DIR` reads back).
#include <cstddef>
#include <cstdint>

#include "fuzz_input_file.hpp"
#include "liqmap/error.hpp"
#include "outputs/outputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = liqmap::fuzz::write_scratch(data, size, ".npy");
  try {
    liqmap::detail::read_npy(path);
  } catch (const liqmap::Error&) {
  }
  return 0;
}
