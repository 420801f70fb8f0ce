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

#include <nlohmann/json.hpp>

#include "app/batch_row.hpp"
#include "app/map_outputs.hpp"
#include "boundary.hpp"
#include "engine_state.hpp"
#include "outputs/atomic_output.hpp"

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
    checked_result(engine);
    require(dir != nullptr && *dir != '\0', "dir is NULL or empty");
    const Choice choice = choice_of(options);
    detail::OutputSet outputs(dir, {"venues"});
    outputs.write_and_commit(app::map_files(*engine->run, choice.outputs, choice.report), {},
                             [](const std::string& name) { return !app::is_standard_output(name); });
  });
}

liqmap_status liqmap_engine_get_output(liqmap_engine* engine, const char* name, const liqmap_output_options* options,
                                       char* buffer, size_t capacity, size_t* count) {
  return guarded(__func__, [&] {
    checked_result(engine);
    require(name != nullptr, "name is NULL");
    const std::string wanted = name;
    const Choice choice = choice_of(options);
    std::vector<detail::OutputFile> files = app::map_files(*engine->run, choice.outputs, choice.report);
    std::string known;
    const detail::OutputFile* file = nullptr;
    const auto is_grid = [](const std::string& n) { return n.size() > 4 && n.compare(n.size() - 4, 4, ".npy") == 0; };
    for (const detail::OutputFile& f : files) {
      if (is_grid(f.name)) continue;  // the grids come as numbers: liqmap_engine_get_grid_f32
      if (f.name == wanted) file = &f;
      known += (known.empty() ? "" : ", ") + f.name;
    }
    if (file == nullptr)
      throw ApiError(LIQMAP_ERROR_INVALID_ARGUMENT,
                     "'" + wanted + "' is not an output file of this run" +
                         (is_grid(wanted) ? " that comes as bytes (read the grids with liqmap_engine_get_grid_f32)" : "") +
                         ": " + known);
    const ScratchFile scratch;
    file->write(scratch.path(), {});
    std::ifstream in(scratch.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) throw Error(ErrorCode::io, "cannot read back " + wanted);
    copy_out(bytes.size() + 1, buffer, capacity, count, "the file", [&](char* out) {
      std::copy(bytes.begin(), bytes.end(), out);
      out[bytes.size()] = '\0';
    });
  });
}

liqmap_status liqmap_engine_run_row(liqmap_engine* engine, const char* row_json, const char* base_dir,
                                    const liqmap_run_options* options) {
  return guarded(__func__, [&] {
    liqmap_engine& e = checked_engine(engine);
    require(row_json != nullptr, "row_json is NULL");
    nlohmann::json fields;
    try {
      fields = nlohmann::json::parse(row_json);
    } catch (const nlohmann::json::parse_error& error) {
      throw Error(ErrorCode::input, std::string("the row is not JSON: ") + error.what());
    }
    const std::filesystem::path base =
        base_dir == nullptr || *base_dir == '\0' ? std::filesystem::current_path() : std::filesystem::absolute(base_dir);
    const app::BatchRow row = app::read_batch_row(fields, base, "row");
    RunOptions run = run_options_of(e, options);
    discard_result(e);
    const ComputingScope computing(e);
    e.run = app::run_batch_row(row, run);
    // The engine now holds the row's map: its drawn market and configuration are the engine's.
    e.market = e.run->drawn.market;
    e.config = e.run->config;
    e.venues.clear();
  });
}

}  // extern "C"
