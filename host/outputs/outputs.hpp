// The output files of MODEL.md section 9, written atomically: every file is first written in a
// staging folder inside the output folder and renamed into place only when all are complete, so
// a failed or interrupted run leaves the folder as it was.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "report/report.hpp"

namespace liqmap::detail {

// One output file: its name and a function that writes it at the path it is given.
struct OutputFile {
  std::string name;
  std::function<void(const std::string& path)> write;
};

// Writes every file into `dir` (created if missing) atomically, as described above.
void write_output_files(const std::string& dir, const std::vector<OutputFile>& files);

// The files of MODEL.md section 9 for one run, and the report's (report/report.hpp).
std::vector<OutputFile> standard_outputs(const Result& result, const Market& market, const Config& config,
                                         const report::ReportOptions& report = {});

// A float32 .npy array of shape (rows, cols), C order.
void write_npy(const std::string& path, const Grid& grid);
// A 2-D .npy array (float32 or float64, little-endian, C order), as write_npy writes it.
Grid read_npy(const std::string& path);

nlohmann::json stats_json(const RunStats& stats);
nlohmann::json axes_json(const Result& result, const Config& config);

}  // namespace liqmap::detail
