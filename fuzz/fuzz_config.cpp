// Arbitrary text as a JSON configuration (MODEL.md section 8).
#include <cstddef>
#include <cstdint>
#include <string>

#include "liqmap/config.hpp"
#include "liqmap/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const liqmap::Config config = liqmap::parse_config(text, "fuzz.json");
    liqmap::parse_config(liqmap::config_to_json(config), "round trip");  // what we write, we read
  } catch (const liqmap::Error&) {
  }
  return 0;
}
