// The report's files as entries for the atomic output writer (outputs/atomic_output.hpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "outputs/atomic_output.hpp"
#include "report.hpp"

namespace liqmap::report {

// clusters.json, tracks.csv, review.md, prices.csv, heatmap.html and (with Cairo) heatmap.png, those that
// `wanted` accepts (all when it is empty). The analysis starts now on its own thread, so the
// writer can write other files meanwhile; each report file waits for it. The result, market and
// config must outlive the returned entries.
std::vector<detail::OutputFile> report_outputs(const Result& result, const Market& market, const Config& config,
                                               const ReportOptions& options,
                                               const std::function<bool(const std::string&)>& wanted = {});

}  // namespace liqmap::report
