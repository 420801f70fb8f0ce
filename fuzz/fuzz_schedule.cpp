// Arbitrary text as a margin schedule file (data/schedules/*.json).
#include <cstddef>
#include <cstdint>
#include <string>

#include "liqmap/error.hpp"
#include "liqmap/schedule.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    liqmap::parse_schedule(std::string(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const liqmap::Error&) {
  }
  return 0;
}
