// Timestamps: whatever parses is a date from 1990 to 2200 and formats back to the same ms.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "liqmap/io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = liqmap::io::parse_timestamp(text);
  if (!parsed) return 0;
  constexpr std::int64_t first_ms = 631'152'000'000, last_ms = 7'258'118'400'000;
  if (parsed->ms < first_ms - 86'400'000 || parsed->ms > last_ms + 86'400'000) __builtin_trap();
  const auto again = liqmap::io::parse_timestamp(liqmap::io::format_timestamp(parsed->ms));
  if (parsed->ms >= first_ms && parsed->ms <= last_ms && (!again || again->ms != parsed->ms)) __builtin_trap();
  return 0;
}
