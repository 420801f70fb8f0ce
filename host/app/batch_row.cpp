#include "app/batch_row.hpp"

#include <utility>

#include "app/map_outputs.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::app {
namespace {

std::optional<std::int64_t> time_of(const std::string& text, const char* key) {
  if (text.empty()) return std::nullopt;
  if (auto time = io::parse_timestamp(text)) return time->ms;
  throw Error(ErrorCode::input, std::string("'") + key + "' is '" + text.substr(0, 64) +
                                    "'; expected a time from 1990 to 2200, ISO-8601 UTC or epoch s, ms, µs or ns");
}

}  // namespace

MapRun run_batch_row(const BatchRow& row, const RunOptions& run, const MarketReader& reader,
                     const detail::CancelFn& cancelled, unsigned write_threads) {
  if (!row.error.empty()) throw Error(ErrorCode::input, row.error);
  ConfigOptions options;
  options.bins = row.bins;
  options.samples = row.samples;
  options.seed = row.seed;
  MapJob job;
  job.config = resolve_config(default_config(), row.config_path, row.config_json, options, row.where + ": config");
  MapInputs inputs;
  inputs.market = row.market;
  inputs.oi = row.oi;
  inputs.read.format = io::parse_market_format(row.format);
  inputs.read.drop_bad_rows = row.drop_bad_rows;
  if (!row.oi_unit.empty()) {
    if (row.oi_unit != "base" && row.oi_unit != "quote")
      throw Error(ErrorCode::input, "'oi_unit' is '" + row.oi_unit + "'; expected base or quote");
    inputs.read.oi_unit = row.oi_unit == "quote" ? OiUnit::quote : OiUnit::base;
  }
  MapMarkets markets = read_map_markets(inputs, job.config, reader);
  job.from = time_of(row.from, "from");
  job.to = time_of(row.to, "to");
  job.run = run;
  OutputChoice choice = parse_output_choice(row.outputs);
  choice.grid_type = detail::parse_grid_type(row.grid_type);
  const report::ReportOptions report_options;
  detail::OutputSet outputs(row.out, {"venues"});
  job.output_bytes = output_memory_bytes(job.config, choice, report_options);
  MapRun map = compute_map(job, std::move(markets));
  outputs.write_and_commit(map_files(map, choice, report_options), cancelled,
                           [](const std::string& name) { return !is_standard_output(name); }, write_threads);
  return map;
}

}  // namespace liqmap::app
