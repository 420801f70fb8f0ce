// The report's files as entries for the atomic output writer (outputs.hpp).
#pragma once

#include <vector>

#include "outputs/outputs.hpp"
#include "report.hpp"

namespace liqmap::report {

// clusters.json, tracks.csv, review.md, prices.csv and (with Cairo) heatmap.png. The analysis
// runs now; the files are written when the writer calls them. The result and market must
// outlive the returned entries.
std::vector<detail::OutputFile> report_outputs(const Result& result, const Market& market,
                                               const Config& config, const ReportOptions& options);

}  // namespace liqmap::report
