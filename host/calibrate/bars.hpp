// The bar size `score` and `calibrate` compare at (docs/model.md, "Calibrate and score"): the
// realized file's own spacing, detected and checked, or a coarser bar the realized bars are
// summed into; and the venues the realized file covers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "calibrate/score.hpp"

namespace liqmap::calibrate {

// A bar length: a positive integer with a unit m, h or d ("5m", "1h", "4h", "1d"), in ms.
// Throws Error(input) naming `option` otherwise.
std::int64_t parse_bar(const std::string& text, const std::string& option);
// The same written back: "4h", "15m", "1d" (the largest unit that divides it; ms otherwise).
std::string format_bar(std::int64_t ms);

// The realized file's spacing: the smallest gap between its bars, which must be the most common
// one (more than half of the gaps), with every other gap a whole multiple of it (a missing bar).
// Throws Error(input) naming the file (and the rows) when the spacing is irregular or ambiguous.
std::int64_t realized_spacing(const RealizedBars& bars, const std::string& path);

// The realized bars summed into bars of `bar` ms, aligned to whole multiples of `bar` since the
// epoch (UTC midnight for 1h .. 1d). `bar` must be a whole multiple of `spacing`; a bar that
// lacks one of its realized rows is left out (`dropped` counts them) rather than scored short.
// With bar == spacing the bars are kept as they are. Sets `bar_ms` of the result.
RealizedBars to_bars(const RealizedBars& bars, std::int64_t spacing, std::int64_t bar, const std::string& path,
                     std::size_t* dropped = nullptr);

// Venue names: comma-separated, lower case, sorted, without duplicates ("Binance,OKX" ->
// {"binance", "okx"}). Throws Error(input) naming `option` for an empty name.
std::vector<std::string> parse_venues(const std::string& text, const std::string& option);
std::string join_venues(const std::vector<std::string>& venues);

// What a comparison of `realized` venues' liquidations with a map of `oi` venues' open interest
// means, in one sentence: the same venues, or the share their levels differ by (ranks unaffected).
std::string venue_note(const std::vector<std::string>& realized, const std::vector<std::string>& oi);

}  // namespace liqmap::calibrate
