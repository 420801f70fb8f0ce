// The files of a map job (MapRun): the standard set (app/standard_outputs.hpp), the liquidation
// map's files (liqmap_map.png, liquidation_map.csv) and, for venues, each venue's set in
// venues/<name>/: what `compute`, `batch`, the C API's write_outputs and Python's save() write.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/map_job.hpp"
#include "app/standard_outputs.hpp"
#include "liquidation_map/liquidation_map.hpp"
#include "outputs/atomic_output.hpp"
#include "report/report.hpp"

namespace liqmap::app {

std::vector<detail::OutputFile> map_files(const MapRun& run, const OutputChoice& choice,
                                          const report::ReportOptions& report = {});

// Host memory the files of `choice` hold while they are written (the picture's and the page's
// rasters), for MapJob::output_bytes.
double output_memory_bytes(const Config& config, const OutputChoice& choice, const report::ReportOptions& report);

// liquidation_map.csv always, liqmap_map.png when `png` (and built with Cairo). `subject` says what
// the map shows, beside the picture's title.
std::vector<detail::OutputFile> liquidation_map_outputs(std::shared_ptr<const map::LiquidationMap> map,
                                                        const std::string& subject, bool png);

}  // namespace liqmap::app
