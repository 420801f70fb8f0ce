// The manifest of `liqmap batch` (and a Dask task's row, through the C API): one row per map (market files, open interest, config, window,
// output folder), from JSON or CSV. Relative paths are read from the manifest's folder.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace liqmap::app {

struct BatchRow {
  std::string where;  // "batch.json: maps[3]" or "batch.csv:5", for messages
  std::string name;   // default: the output folder's name
  std::vector<std::string> market, oi;
  std::string config_path;                   // a JSON file, and/or
  std::optional<nlohmann::json> config_json;  // the config written inline (JSON manifests), over the file
  std::string from, to, out, outputs = "all", grid_type = "float32", format = "auto", oi_unit;
  bool drop_bad_rows = false;
  std::optional<int> bins, samples;
  std::optional<std::uint64_t> seed;
  std::string error;  // why the row cannot run (it is reported as failed; the others go on)
};

// The keys a row may have, for help texts and messages.
const char* batch_row_keys();

// One row from its key/value pairs (JSON values, or CSV cells as strings), relative paths from
// `base`. A bad row comes back with `error` set; `where` names it in messages.
BatchRow read_batch_row(const nlohmann::json& fields, const std::filesystem::path& base, std::string where);

// Reads a manifest: JSON ({"maps": [...], "defaults": {...}, "base_dir": "..."} or a list of
// rows) or CSV (a header of row keys; several files in one cell separated by ';'). A manifest
// that cannot be read at all throws Error(io / input); a bad row comes back with `error` set.
std::vector<BatchRow> read_batch_manifest(const std::string& path);

}  // namespace liqmap::app
