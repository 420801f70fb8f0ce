// The standard output set of a run, composed here in the application layer from the model's
// files (outputs/) and the report's (report/), neither of which knows the other.
#pragma once

#include <string>
#include <vector>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "outputs/outputs.hpp"
#include "report/report.hpp"

namespace liqmap::app {

// Which groups of files a run writes (--outputs). axes.json, liquidations.csv and prices.csv
// are always written: they are small and `render` reads them.
struct OutputChoice {
  bool npy = true;       // heatmap.npy, long.npy, short.npy (render needs long and short)
  bool png = true;       // heatmap.png (when built with Cairo)
  bool review = true;    // review.md
  bool clusters = true;  // clusters.json, tracks.csv
  bool html = true;      // heatmap.html, the interactive page
  detail::GridType grid_type = detail::GridType::float32;
};

// "png,review,clusters,npy,html" (any subset, any order) or "all"; throws Error(invalid_argument)
// naming the unknown word.
OutputChoice parse_output_choice(const std::string& list);
// The names accepted by parse_output_choice, for help texts.
const char* output_choice_names();

// True for every file a run or a render may write (whichever --outputs), and for those that
// backtest and cascade derive from a run: an old one is not carried into a new set, so a folder
// never mixes two runs' files.
bool is_standard_output(const std::string& name);

std::vector<detail::OutputFile> standard_outputs(const Result& result, const Market& market, const Config& config,
                                                 const report::ReportOptions& report = {},
                                                 const OutputChoice& choice = {});

}  // namespace liqmap::app
