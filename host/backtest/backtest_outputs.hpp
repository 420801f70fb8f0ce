// The backtest's files: backtest.json, backtest.md, backtest.png and a section of review.md.
#pragma once

#include <string>

#include "backtest/backtest.hpp"
#include "backtest/backtest_json.hpp"

namespace liqmap::backtest {

std::string backtest_markdown(const Report& report);
// A few lines for the terminal: the band, and per horizon the events, the cluster's first rate
// with its interval and the verdict (backtest.md has the tables).
std::string backtest_summary(const Report& report);
// A small chart: per horizon, each rule's first-touch rate with its 95% interval, and 50%.
// Throws Error(unsupported) when the build has no Cairo.
void write_backtest_png(const std::string& path, const Report& report);
bool can_draw_png();

// review.md's backtest section, and a review with it (an earlier one replaced).
std::string review_section(const Report& report);
std::string with_review_section(const std::string& review, const std::string& section);

std::string horizon_label(std::int64_t ms);  // 4h, 3d, 1w
void write_text(const std::string& path, const std::string& text);

}  // namespace liqmap::backtest
