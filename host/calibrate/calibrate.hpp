// `liqmap calibrate`: the model's free parameters fitted to realized liquidations on a training
// window with a rank objective (docs/model.md, "Calibrate and score"). Only the liquidation
// series R is computed (the flow solve), never the grid, so a fit takes seconds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "calibrate/score.hpp"
#include "liqmap/config.hpp"
#include "liqmap/market.hpp"

namespace liqmap::calibrate {

struct Trial {
  double turnover = 0;
  bool same_bar = false;
  EntryMode entry = EntryMode::uniform;
  double spearman_long = 0, spearman_short = 0;
  double objective() const { return 0.5 * (spearman_long + spearman_short); }
};

// How far below the best objective a simpler fit (lower turnover) may be and still be chosen.
inline constexpr double kTolerance = 0.01;

struct Calibration {
  Config config;   // the start config with the fitted values
  Trial best;
  double best_objective = -2;  // the highest objective seen (the pick is within kTolerance of it)
  std::size_t bars = 0;     // training bars scored
  int evaluations = 0;      // flow solves
  double tolerance = kTolerance;
};

// Fits flow.turnover (log scale, 0.001 .. 10), positions.same_bar and positions.entry
// (uniform or triangular) on the mean of the per-side Spearman correlations between the
// model's liquidations (summed into the realized bars) and `train`: of the fits within
// kTolerance of the best, the lowest turnover. Needs the
// open-interest flow. Throws Error(input|config).
Calibration fit(const Market& market, const Config& start, const RealizedBars& train, int threads = 0,
                double tolerance = kTolerance);

// The fitted config as JSON (accepted by `compute --config`), with a "calibration" section:
// the window, the bars, the train score and what was fitted (a caller adds what it compared).
nlohmann::json calibration_json(const Calibration& c, const std::string& realized_path, const std::string& from,
                             const std::string& to);

}  // namespace liqmap::calibrate
