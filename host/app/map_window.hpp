// --from/--to: the time window drawn. The engine runs over all the data, so positions opened
// before the window still fill it; only the output columns and rows are cropped to the window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"

namespace liqmap::app {

struct StepRange {
  std::size_t first = 0, last = 0;  // inclusive step indices
};

// The window's length as CoinGlass users pick it (issue 26 item 5, issue 27 item 9): 12h 24h 3d 1w
// 1m 3m 6m 1y; a month is 30 days, a year 365. Throws Error(invalid_argument) listing them.
std::int64_t range_preset_ms(const std::string& name, const char* option = "--range");
// "-24h", "-3d", "-1w", "-1m", "-90min": a span counted back from the data's end (h, d, w, m =
// month of 30 days, y = 365 days, min = minutes); nullopt when `text` does not start with '-'.
std::optional<std::int64_t> span_before_end_ms(const std::string& text, const char* option = "--from");

// The window's bounds once the data's last bar is known: `range_ms` is the last range_ms up to
// `to` (or the last bar), `from_end_ms` puts `from` that long before the last bar. Both count
// (end - span, end], so --range 24h of hourly bars draws 24 bars.
struct WindowBounds {
  std::optional<std::int64_t> from, to;
};
WindowBounds window_bounds(std::int64_t last_ts, std::optional<std::int64_t> from, std::optional<std::int64_t> to,
                           std::optional<std::int64_t> range_ms, std::optional<std::int64_t> from_end_ms);

// Throws Error(invalid_argument) when from is after to (a reversed window), naming both times.
void require_ordered_window(std::optional<std::int64_t> from, std::optional<std::int64_t> to, const char* from_name,
                            const char* to_name);
// "--from 2024-01-01T00:00:00Z .. --to (open)": a window as its options name it.
std::string window_text(std::optional<std::int64_t> from, std::optional<std::int64_t> to, const char* from_name,
                        const char* to_name);
// " (the data spans FIRST .. LAST)": where the sorted, non-empty `ts` of `what` start and end.
std::string span_text(const std::vector<std::int64_t>& ts, const std::string& what);
// Why no time of `ts` (sorted) lies in [from, to]: after the last, before the first, or between two
// bars, with the window and the span of `what` ("the data", "the realized file ...") named.
std::string empty_window_reason(const std::vector<std::int64_t>& ts, std::optional<std::int64_t> from,
                                std::optional<std::int64_t> to, const char* from_name, const char* to_name,
                                const std::string& what);

// The steps with from <= ts <= to. Throws Error(input) when none is, naming the bounds as the
// caller knows them (the CLI's --from/--to, the C API's from_ms/to_ms).
StepRange steps_in_window(const Market& market, std::optional<std::int64_t> from, std::optional<std::int64_t> to,
                          const char* from_name = "--from", const char* to_name = "--to");

// The default price range (MODEL.md section 5) taken over the window only, where the config
// leaves it open, so the picture fits what is drawn.
void fit_price_range(Config& config, const Market& market, StepRange window);

Market crop_market(const Market& market, StepRange window);
Result crop_result(const Result& result, StepRange window);

}  // namespace liqmap::app
