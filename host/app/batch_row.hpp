// One row of a batch manifest run as a map job and written into its `out` folder: what
// `liqmap batch` runs for every row and what a Dask task runs through the C API.
#pragma once

#include "app/batch_manifest.hpp"
#include "app/map_job.hpp"
#include "app/map_market.hpp"
#include "outputs/atomic_output.hpp"

namespace liqmap::app {

// As `liqmap compute --market .. --oi .. --config .. --from .. --to .. --out ..` (the row's
// config over the defaults, its bins, samples and seed over that). `reader` may share the reads
// of several rows; the files are written `write_threads` at a time. Throws Error.
MapRun run_batch_row(const BatchRow& row, const RunOptions& run, const MarketReader& reader = {},
                     const detail::CancelFn& cancelled = {}, unsigned write_threads = 0);

}  // namespace liqmap::app
