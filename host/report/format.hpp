// Numbers and times as a trader reads them: $4.2M, 67,250, 2026-04-04 08:00 UTC.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "liqmap/engine.hpp"

namespace liqmap::report {

std::string format_usd(double usd);        // "$950", "$12.3k", "$4.21M", "$1.05B", "$312T"
std::string format_count(double count);    // "950", "12.3k", "4.21M"
// One price bin's width: "$17.50" on a linear axis, "0.0451%" (of price) on a log one.
std::string format_bin_width(const Axes& axes);
std::string format_price(double price);    // thousands separators; decimals only below 1,000
// A price to its market's tick (59,387.13 at a 0.01 tick); tick <= 0 (unknown) as format_price.
std::string format_price_to_tick(double price, double tick);
// The market's tick as its prices show it: 10^-d for the most decimals d among the closes (up to
// 8); 0 when the prices carry more (computed prices, as the synthetic market's).
double price_tick(const std::vector<double>& prices);
std::string format_percent(double pct);    // "+4.31%", "-0.52%"
std::string format_utc(std::int64_t ms);   // "2026-04-04 08:00 UTC"
// A map's span as people name it: "24 hours", "3 days", "2 weeks", "7 months", "2.5 years".
std::string format_span(std::int64_t ms);
std::string format_iso(std::int64_t ms);   // "2026-04-04T08:00:00Z"

}  // namespace liqmap::report
