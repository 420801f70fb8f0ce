// The CLI's output files of a result (app/standard_outputs.hpp), written to a folder or handed
// back one at a time, and float32 grids: what the Python package's Result uses.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/standard_outputs.hpp"
#include "boundary.hpp"
#include "engine_state.hpp"
#include "outputs/atomic_output.hpp"
#include "report/report_outputs.hpp"

using namespace liqmap;
using namespace liqmap::c_api;

namespace {

struct Choice {
  app::OutputChoice outputs;
  report::ReportOptions report;
};

Choice choice_of(const liqmap_output_options* options) {
  const liqmap_output_options given =
      options == nullptr ? liqmap_output_options_default()
                         : read_versioned(options, liqmap_output_options_default(),
                                          LIQMAP_FIRST_VERSION_SIZE(liqmap_output_options, at_ts), "options");
  Choice choice;
  choice.outputs = app::parse_output_choice(given.outputs == nullptr ? "all" : given.outputs);
  choice.outputs.grid_type = detail::parse_grid_type(given.grid_type == nullptr ? "float32" : given.grid_type);
  if (given.has_at) choice.report.at_ts = given.at_ts;
  report::validate(choice.report);
  return choice;
}

// A temporary file removed when it goes out of scope (the report's writers write to paths).
class ScratchFile {
 public:
  ScratchFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "liqmap-output-XXXXXX").string();
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw Error(ErrorCode::io, "cannot create a temporary file in " + pattern + ": " + std::strerror(errno));
    close(fd);
    path_ = pattern;
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace

extern "C" {

liqmap_output_options liqmap_output_options_default(void) {
  liqmap_output_options options{};
  options.size = sizeof options;
  return options;
}

liqmap_status liqmap_engine_get_grid_f32(liqmap_engine* engine, liqmap_grid_side side, liqmap_grid_stage stage,
                                         float* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const Result& r = checked_result(engine);
    const int side_value = raw_enum(side), stage_value = raw_enum(stage);
    require(side_value >= LIQMAP_GRID_LONG && side_value <= LIQMAP_GRID_TOTAL,
            "side " + std::to_string(side_value) + " is not LIQMAP_GRID_LONG, _SHORT or _TOTAL");
    require(stage_value == LIQMAP_GRID_RAW || stage_value == LIQMAP_GRID_SMOOTHED,
            "stage " + std::to_string(stage_value) + " is not LIQMAP_GRID_RAW or _SMOOTHED");
    const bool smoothed = stage_value == LIQMAP_GRID_SMOOTHED;
    const Grid& longs = smoothed ? r.smooth_long : r.raw_long;
    const Grid& shorts = smoothed ? r.smooth_short : r.raw_short;
    // The sum in double first, as liqmap_engine_get_grid and heatmap.npy sum, then rounded once.
    copy_out(longs.data.size(), buffer, capacity, count, "the grid", [&](float* out) {
      for (std::size_t i = 0; i < longs.data.size(); ++i) {
        const double value = side_value == LIQMAP_GRID_LONG    ? longs.data[i]
                             : side_value == LIQMAP_GRID_SHORT ? shorts.data[i]
                                                               : longs.data[i] + shorts.data[i];
        out[i] = static_cast<float>(value);
      }
    });
  });
}

liqmap_status liqmap_engine_write_outputs(liqmap_engine* engine, const char* dir, const liqmap_output_options* options) {
  return guarded(__func__, [&] {
    const Result& result = checked_result(engine);
    require(dir != nullptr && *dir != '\0', "dir is NULL or empty");
    const Choice choice = choice_of(options);
    detail::OutputSet outputs(dir);
    outputs.write_and_commit(app::standard_outputs(result, drawn_market(*engine), drawn_config(*engine), choice.report,
                                                   choice.outputs),
                             {}, [](const std::string& name) { return !app::is_standard_output(name); });
  });
}

liqmap_status liqmap_engine_get_output(liqmap_engine* engine, const char* name, const liqmap_output_options* options,
                                       char* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    const Result& result = checked_result(engine);
    require(name != nullptr, "name is NULL");
    const std::string wanted = name;
    const Choice choice = choice_of(options);
    const std::vector<detail::OutputFile> files = report::report_outputs(
        result, drawn_market(*engine), drawn_config(*engine), choice.report, [&wanted](const std::string& n) { return n == wanted; });
    if (files.empty())
      throw ApiError(LIQMAP_ERROR_INVALID_ARGUMENT,
                     "'" + wanted + "' is not a report file: clusters.json, review.md, tracks.csv, prices.csv, "
                                    "heatmap.html or heatmap.png (with Cairo)");
    const ScratchFile scratch;
    files.front().write(scratch.path(), {});
    std::ifstream in(scratch.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw Error(ErrorCode::io, "cannot read back " + wanted);
    copy_out(bytes.size() + 1, buffer, capacity, count, "the file", [&](char* out) {
      std::copy(bytes.begin(), bytes.end(), out);
      out[bytes.size()] = '\0';
    });
  });
}

}  // extern "C"
