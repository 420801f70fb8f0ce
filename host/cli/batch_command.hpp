// `liqmap batch MANIFEST`: many maps in one process. Markets shared by rows are read once, rows
// run one after another (or --jobs at a time), one progress line, then a summary table; a row
// that fails is reported and the others go on.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace liqmap::cli {

struct BatchOptions {
  std::string manifest, backend = "auto";
  int jobs = 1, threads = 0;
  bool quiet = false, json = false;
};

// Exit status of a batch where some maps failed (the others were written).
constexpr int kBatchSomeFailed = 6;

CLI::App* add_batch_command(CLI::App& app, BatchOptions& options);

// Runs the manifest; returns the exit status (0, kBatchSomeFailed, or 130 when interrupted).
// Throws Error for a manifest that cannot be read at all.
int run_batch(const BatchOptions& options);

}  // namespace liqmap::cli
