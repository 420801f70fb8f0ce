// Numbers as people read them, for every message and report: a leaf module that io, report and
// the CLI all use, so a number is written the same way everywhere.
#pragma once

#include <cstdint>
#include <string>

namespace liqmap::text {

// The shortest text that reads back as the same double: 90771.78, not 90771.779999999999.
std::string shortest(double value);
// 950, 12.3k, 4.21M, 1.05B, 312T, 21,246T: three significant digits with a unit.
std::string compact(double value);
// compact() with a dollar sign: $950, $12.3k, $4.21M, $1.05B, $21,246T.
std::string usd(double value);
// 512 B, 12.3 kB, 1.16 GB, 27.5 TB (powers of 1,000).
std::string bytes(double count);
// 45 s, 5 min, 1.5 h, 3.2 d: the largest unit that keeps the number at or above 1.
std::string duration_ms(double ms);
// 2026-01-05T12:00:00Z (ISO-8601 UTC, with .mmm when the ms are not whole seconds): io::format_timestamp.
std::string iso_utc(std::int64_t ms);

}  // namespace liqmap::text
