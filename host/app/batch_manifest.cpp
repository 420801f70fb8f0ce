#include "app/batch_manifest.hpp"

#include <charconv>
#include <filesystem>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "io/csv_table.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::app {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::set<std::string> kKeys = {"name",      "market",  "oi",     "config", "from",          "to",
                                     "out",       "outputs", "grid_type", "format", "oi_unit",
                                     "drop_bad_rows", "bins", "samples", "seed"};

std::string resolved(const fs::path& base, const std::string& path) {
  if (path.empty() || path == "-" || fs::path(path).is_absolute()) return path;
  return (base / path).lexically_normal().string();
}

std::vector<std::string> split_list(const std::string& cell) {
  std::vector<std::string> out;
  std::stringstream parts(cell);
  std::string part;
  while (std::getline(parts, part, ';'))
    if (part.find_first_not_of(" \t") != std::string::npos) out.push_back(part.substr(part.find_first_not_of(" \t")));
  return out;
}

std::vector<std::string> string_list(const json& value, const std::string& key) {
  if (value.is_string()) return split_list(value.get<std::string>());
  if (!value.is_array()) throw Error(ErrorCode::input, "'" + key + "' must be a path or a list of paths");
  std::vector<std::string> out;
  for (const json& item : value) {
    if (!item.is_string()) throw Error(ErrorCode::input, "'" + key + "' must list paths (strings)");
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::string text_of(const json& value, const std::string& key) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
  throw Error(ErrorCode::input, "'" + key + "' must be text, not " + std::string(value.type_name()));
}

// A whole number in Int's range, from a JSON number or a text cell; one that would wrap (bins
// 4294967360, seed -1) is refused, never cast.
template <class Int>
Int integer_of(const json& value, const std::string& key) {
  const auto refuse = [&] {
    return Error(ErrorCode::input, "'" + key + "' must be a whole number from " +
                                       std::to_string(std::numeric_limits<Int>::min()) + " to " +
                                       std::to_string(std::numeric_limits<Int>::max()) + ", not " + value.dump().substr(0, 64));
  };
  std::string text;
  if (value.is_number_unsigned()) text = std::to_string(value.get<std::uint64_t>());
  else if (value.is_number_integer()) text = std::to_string(value.get<std::int64_t>());
  else if (value.is_string()) text = value.get<std::string>();
  else throw refuse();
  Int parsed{};
  const auto result = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) throw refuse();
  return parsed;
}

}  // namespace

BatchRow read_batch_row(const json& fields, const fs::path& base, std::string where) {
  BatchRow row;
  row.where = std::move(where);
  try {
    if (!fields.is_object()) throw Error(ErrorCode::input, "a row must be an object of " + std::string(batch_row_keys()));
    for (const auto& [key, value] : fields.items()) {
      if (!kKeys.count(key)) throw Error(ErrorCode::input, "unknown key '" + key + "'; a row has " + batch_row_keys());
      if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) continue;
      if (key == "name") row.name = text_of(value, key);
      else if (key == "market") row.market = string_list(value, key);
      else if (key == "oi") row.oi = string_list(value, key);
      else if (key == "config" && value.is_object()) row.config_json = value;
      else if (key == "config") row.config_path = resolved(base, text_of(value, key));
      else if (key == "from") row.from = text_of(value, key);
      else if (key == "to") row.to = text_of(value, key);
      else if (key == "out") row.out = resolved(base, text_of(value, key));
      else if (key == "outputs") row.outputs = text_of(value, key);
      else if (key == "grid_type") row.grid_type = text_of(value, key);
      else if (key == "format") row.format = text_of(value, key);
      else if (key == "oi_unit") row.oi_unit = text_of(value, key);
      else if (key == "drop_bad_rows") row.drop_bad_rows = value.is_boolean() ? value.get<bool>() : integer_of<int>(value, key) != 0;
      else if (key == "bins") row.bins = integer_of<int>(value, key);
      else if (key == "samples") row.samples = integer_of<int>(value, key);
      else if (key == "seed") row.seed = integer_of<std::uint64_t>(value, key);
    }
    for (std::string& path : row.market) path = resolved(base, path);
    for (std::string& path : row.oi) path = resolved(base, path);
    if (row.market.empty()) throw Error(ErrorCode::input, "no 'market' file");
    if (row.out.empty()) throw Error(ErrorCode::input, "no 'out' folder");
    if (row.name.empty()) row.name = fs::path(row.out).filename().string();
  } catch (const Error& e) {
    row.error = e.what();
    if (row.name.empty() && fields.is_object() && fields.contains("name") && fields["name"].is_string())
      row.name = fields["name"].get<std::string>();
  }
  return row;
}

namespace {

std::vector<BatchRow> read_json_manifest(const std::string& path, const std::string& text, fs::path base) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(ErrorCode::input, path + ": not JSON: " + e.what());
  }
  json defaults = json::object();
  json maps = document;
  if (document.is_object()) {
    for (const auto& [key, value] : document.items())
      if (key != "maps" && key != "defaults" && key != "base_dir")
        throw Error(ErrorCode::input, path + ": unknown key '" + key + "'; expected maps, defaults, base_dir");
    if (!document.contains("maps")) throw Error(ErrorCode::input, path + ": no \"maps\" list");
    maps = document["maps"];
    if (document.contains("defaults")) defaults = document["defaults"];
    if (document.contains("base_dir")) {
      if (!document["base_dir"].is_string())
        throw Error(ErrorCode::input, path + ": \"base_dir\" must be text (a folder), not " +
                                          std::string(document["base_dir"].type_name()));
      base = resolved(base, document["base_dir"].get<std::string>());
    }
  }
  if (!maps.is_array() || maps.empty()) throw Error(ErrorCode::input, path + ": \"maps\" must be a non-empty list of rows");
  if (!defaults.is_object()) throw Error(ErrorCode::input, path + ": \"defaults\" must be an object");
  std::vector<BatchRow> rows;
  for (std::size_t i = 0; i < maps.size(); ++i) {
    json fields = defaults;
    if (maps[i].is_object()) fields.update(maps[i]);
    else fields = maps[i];
    // A row's inline config overrides the defaults' config key by key instead of replacing it:
    // merged over an inline default, read over a default file.
    std::string config_under;
    if (maps[i].is_object() && maps[i].contains("config") && maps[i]["config"].is_object() && defaults.contains("config")) {
      if (defaults["config"].is_object()) {
        fields["config"] = defaults["config"];
        fields["config"].merge_patch(maps[i]["config"]);
      } else if (defaults["config"].is_string()) {
        config_under = defaults["config"].get<std::string>();
      }
    }
    BatchRow row = read_batch_row(fields, base, path + ": maps[" + std::to_string(i) + "]");
    if (!config_under.empty() && row.error.empty()) row.config_path = resolved(base, config_under);
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<BatchRow> read_csv_manifest(const std::string& path, const std::string& text, const fs::path& base) {
  const std::vector<io::detail::CsvLine> lines = io::detail::csv_lines(text);
  if (lines.size() < 2) throw Error(ErrorCode::input, path + ": expected a header and at least one row");
  std::vector<std::string_view> fields;
  io::detail::split_fields(lines[0].text, fields);
  std::vector<std::string> header;
  for (std::string_view field : fields) {
    header.push_back(io::detail::lower(field));
    if (!kKeys.count(header.back()))
      throw Error(ErrorCode::input, path + ":1: unknown column '" + io::detail::shown(field) + "'; expected " + batch_row_keys());
  }
  std::vector<BatchRow> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string where = path + ":" + std::to_string(lines[i].number);
    io::detail::split_fields(lines[i].text, fields);
    if (fields.size() != header.size()) {
      BatchRow bad;
      bad.where = where;
      bad.error = std::to_string(fields.size()) + " fields where the header has " + std::to_string(header.size());
      rows.push_back(bad);
      continue;
    }
    json object = json::object();
    for (std::size_t c = 0; c < header.size(); ++c) object[header[c]] = std::string(fields[c]);
    rows.push_back(read_batch_row(object, base, where));
  }
  return rows;
}

// Two rows writing one folder would replace each other: every row of such a pair fails.
void refuse_shared_outs(std::vector<BatchRow>& rows) {
  std::map<std::string, std::vector<BatchRow*>> by_out;
  for (BatchRow& row : rows)
    if (row.error.empty() && !row.out.empty()) {
      fs::path out = fs::absolute(row.out).lexically_normal();
      if (!out.has_filename()) out = out.parent_path();  // "out/same/" is "out/same"
      by_out[out.string()].push_back(&row);
    }
  for (auto& [out, sharing] : by_out) {
    if (sharing.size() < 2) continue;
    for (BatchRow* row : sharing) {
      std::string others;
      for (const BatchRow* other : sharing)
        if (other != row) others += (others.empty() ? "" : ", ") + other->where;
      row->error = "its out folder '" + row->out + "' is also that of " + others + "; give each row a folder of its own";
    }
  }
}

}  // namespace

const char* batch_row_keys() {
  return "name, market, oi, config, from, to, out, outputs, grid_type, format, oi_unit, drop_bad_rows, bins, samples, seed";
}

std::vector<BatchRow> read_batch_manifest(const std::string& path) {
  const std::string text = io::read_text(path);
  const fs::path base = fs::absolute(path).parent_path();
  const std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  const bool is_json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  std::vector<BatchRow> rows = is_json ? read_json_manifest(path, text, base) : read_csv_manifest(path, text, base);
  refuse_shared_outs(rows);
  return rows;
}

}  // namespace liqmap::app
