// Scoring a map's liquidations against realized ones (docs/model.md, "Calibrate and score"):
// per-bar sums, Spearman and Pearson per side with bootstrap 95% intervals, and two one-line
// baselines on the same bars.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "calibrate/bootstrap.hpp"

namespace liqmap::calibrate {

// ts,long_usd,short_usd per bar (ts = bar open, ISO-8601 UTC or epoch ms).
struct RealizedBars {
  std::vector<std::int64_t> ts;
  std::vector<double> long_usd, short_usd;
  std::int64_t bar_ms = 0;  // the bar length (calibrate/bars.hpp); 0: the smallest spacing of ts
};
// A header is read by its names (ts/timestamp/time..., long_usd/longs..., short_usd/shorts...; other
// columns ignored) and refused when it names no time, long or short column; a file without one
// is read as ts,long_usd,short_usd. Throws Error(input) naming file, line and column of a bad row;
// Error(io) if unreadable.
RealizedBars read_realized(const std::string& path);

// Realized bars in [from, to] (inclusive, ms; unset = open).
RealizedBars window(const RealizedBars& bars, std::optional<std::int64_t> from, std::optional<std::int64_t> to);

// Sums per-step values into the bars [ts_i, ts_i + bar) where bar is the smallest spacing of
// bar_ts; `covered[i]` is false for a bar that no step falls into.
std::vector<double> sum_into_bars(const std::vector<std::int64_t>& step_ts, const std::vector<double>& values,
                                  const std::vector<std::int64_t>& bar_ts, std::vector<bool>* covered = nullptr);
// The same into bars [ts_i, ts_i + bar) of a given length (bar 0: the smallest spacing).
std::vector<double> sum_into_bars(const std::vector<std::int64_t>& step_ts, const std::vector<double>& values,
                                  const RealizedBars& bars, std::vector<bool>* covered = nullptr);

double spearman(const std::vector<double>& a, const std::vector<double>& b);
double pearson(const std::vector<double>& a, const std::vector<double>& b);

struct Correlation {
  double value = 0, low = 0, high = 0;  // the estimate and its bootstrap 95% interval
};
struct SideScore {
  Correlation spearman, pearson;
};
// Bootstrap over bars (resampled with replacement, `draws` times, fixed seed): percentile interval.
SideScore score_side(const std::vector<double>& predicted, const std::vector<double>& realized, int draws = 1000,
                     std::uint64_t seed = 1);

// Per bar, from the candles of the steps inside it and the open interest at its last step.
struct Baselines {
  std::vector<double> extreme_long, extreme_short;  // (open - low) / open x OI, (high - open) / open x OI
  std::vector<double> range;                        // (high - low) / open x OI, both sides
};
Baselines baselines(const std::vector<std::int64_t>& step_ts, const std::vector<double>& open,
                    const std::vector<double>& high, const std::vector<double>& low, const std::vector<double>& oi,
                    const std::vector<std::int64_t>& bar_ts, std::int64_t bar = 0);

}  // namespace liqmap::calibrate
