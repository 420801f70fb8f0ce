#include "saved_run.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "liqmap/error.hpp"
#include "outputs/outputs.hpp"

namespace liqmap::report {
namespace {

namespace fs = std::filesystem;

std::string in_dir(const std::string& dir, const char* name) { return (fs::path(dir) / name).string(); }

// Rows of numbers under a header line; `columns` numbers per row.
std::vector<std::vector<double>> read_number_csv(const std::string& path, std::size_t columns) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::io, "cannot read '" + path + "'");
  std::vector<std::vector<double>> rows;
  std::string line;
  std::getline(in, line);  // header
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    std::vector<double> row;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, ',')) {
      char* end = nullptr;
      row.push_back(std::strtod(field.c_str(), &end));
      if (end == field.c_str())
        throw Error(ErrorCode::io, path + ":" + std::to_string(number) + ": '" + field + "' is not a number");
    }
    if (row.size() != columns)
      throw Error(ErrorCode::io, path + ":" + std::to_string(number) + ": expected " +
                                     std::to_string(columns) + " fields, found " + std::to_string(row.size()));
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::json read_json(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::io, "cannot read '" + path + "'");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::io, "'" + path + "' is not valid JSON: " + e.what());
  }
}

}  // namespace

SavedRun load_saved_run(const std::string& dir) {
  SavedRun run;
  const std::string axes_path = in_dir(dir, "axes.json");
  if (!fs::exists(axes_path))
    throw Error(ErrorCode::io, "'" + dir + "' is not a liqmap output folder: it has no axes.json "
                               "(render reads the folder that `liqmap demo --out` or `liqmap compute --out` wrote)");
  for (const char* grid : {"long.npy", "short.npy"})
    if (!fs::exists(in_dir(dir, grid)))
      throw Error(ErrorCode::io, "'" + dir + "' has no " + grid + ": the run was written without its grids "
                                 "(--outputs without npy), and render needs long.npy and short.npy");
  const nlohmann::json axes = read_json(axes_path);
  try {
    Axes& a = run.result.axes;
    a.scale = axes.at("price_scale").get<std::string>() == "log" ? PriceScale::log : PriceScale::linear;
    a.price_min = axes.at("price_min").get<double>();
    a.price_max = axes.at("price_max").get<double>();
    a.price_edges = axes.at("price_edges").get<std::vector<double>>();
    a.price_centres = axes.at("price_centres").get<std::vector<double>>();
    a.column_ts = axes.at("column_ts").get<std::vector<std::int64_t>>();
    a.column_step = axes.at("column_step").get<std::vector<std::size_t>>();
    a.steps = axes.at("steps").get<std::size_t>();
    if (axes.contains("coverage") && axes.at("coverage").is_object()) {
      a.column_oi_usd = axes.at("coverage").at("oi_usd").get<std::vector<double>>();
      a.column_book_usd = axes.at("coverage").at("book_usd").get<std::vector<double>>();
    }
    const nlohmann::json clusters = {{"clusters", axes.at("config").at("clusters")}};
    run.config = parse_config(clusters.dump(), axes_path);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::io, "'" + axes_path + "' lacks what `render` needs: " + e.what());
  }

  run.result.smooth_long = detail::read_npy(in_dir(dir, "long.npy"));
  run.result.smooth_short = detail::read_npy(in_dir(dir, "short.npy"));
  for (const auto& row : read_number_csv(in_dir(dir, "liquidations.csv"), 3)) {
    run.result.liq_long.push_back(row[1]);
    run.result.liq_short.push_back(row[2]);
  }
  for (const auto& row : read_number_csv(in_dir(dir, "prices.csv"), 5)) {
    run.market.ts.push_back(static_cast<std::int64_t>(row[0]));
    run.market.open.push_back(row[1]);
    run.market.high.push_back(row[2]);
    run.market.low.push_back(row[3]);
    run.market.close.push_back(row[4]);
  }
  if (run.market.size() != run.result.axes.steps)
    throw Error(ErrorCode::io, "'" + in_dir(dir, "prices.csv") + "' has " + std::to_string(run.market.size()) +
                                   " rows but axes.json says " + std::to_string(run.result.axes.steps) + " steps");
  return run;
}

}  // namespace liqmap::report
