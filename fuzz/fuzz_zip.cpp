// Arbitrary bytes as a .zip archive: damaged archives, several entries, sizes that lie, bombs.
#include <cstddef>
#include <cstdint>

#include "fuzz_input_file.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = liqmap::fuzz::write_scratch(data, size, ".zip");
  try {
    liqmap::io::read_market({path});
  } catch (const liqmap::Error&) {
  }
  return 0;
}
