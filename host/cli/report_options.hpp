// The command-line options of the report (clusters, tracks, levels, picture).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "report/report.hpp"

namespace liqmap::cli {

struct ReportArgs {
  std::string at, from, to;        // times as given: ms since the epoch or ISO-8601 UTC (from: or -24h)
  std::string range;               // render --range 24h
  std::string intensity = "gamma";
  report::ReportOptions options;
};

// `with_window`: also --from/--to for the picture (render; demo and compute crop every output).
void add_report_options(CLI::App& cmd, ReportArgs& args, bool with_window);

// The options with the times parsed; throws Error(invalid_argument) for a time it cannot read.
report::ReportOptions report_options(const ReportArgs& args);

// What a saved run's map shows (axes.json's "subject"), "" when the run predates it.
std::string saved_subject(const std::string& run_dir);

// "1775289600000" (ms), "2026-04-04", "2026-04-04 08:00", "2026-04-04T08:00:00Z" (UTC).
std::int64_t parse_time(const std::string& text);

}  // namespace liqmap::cli
