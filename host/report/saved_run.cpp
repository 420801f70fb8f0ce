#include "saved_run.hpp"

#include <cmath>
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
  if (!fs::is_regular_file(path)) throw Error(ErrorCode::io, "'" + path + "' is missing or not a file");
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
      while (end && (*end == '\r' || *end == ' ')) ++end;
      if (end == field.c_str() || *end != '\0' || !std::isfinite(row.back()))
        throw Error(ErrorCode::io, path + ":" + std::to_string(number) + ": '" + field.substr(0, 32) +
                                       "' is not a finite number");
    }
    if (row.size() != columns)
      throw Error(ErrorCode::io, path + ":" + std::to_string(number) + ": expected " +
                                     std::to_string(columns) + " fields, found " + std::to_string(row.size()));
    rows.push_back(std::move(row));
  }
  return rows;
}

nlohmann::json read_json(const std::string& path) {
  if (!fs::is_regular_file(path)) throw Error(ErrorCode::io, "'" + path + "' is not a file (a folder?)");
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::io, "cannot read '" + path + "'");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCode::io, "'" + path + "' is not valid JSON: " + e.what());
  }
}

// Every rule a run that liqmap wrote obeys: a tampered or damaged folder is refused here, naming
// the file and the rule, rather than read out of bounds or drawn as nonsense later.
void validate_saved_run(const SavedRun& run, const std::string& dir) {
  const Axes& a = run.result.axes;
  const std::string axes = in_dir(dir, "axes.json");
  const auto refuse = [](const std::string& file, const std::string& rule) { throw Error(ErrorCode::io, "'" + file + "': " + rule); };
  const auto finite = [&](const std::vector<double>& v, const std::string& file, const char* name) {
    for (std::size_t i = 0; i < v.size(); ++i)
      if (!std::isfinite(v[i])) refuse(file, std::string(name) + "[" + std::to_string(i) + "] is not a finite number");
  };
  const std::size_t bins = a.price_centres.size(), columns = a.column_ts.size();
  if (!(std::isfinite(a.price_min) && std::isfinite(a.price_max) && a.price_min < a.price_max))
    refuse(axes, "price_min must be below price_max, both finite");
  if (a.scale == PriceScale::log && !(a.price_min > 0)) refuse(axes, "a log price axis needs price_min above 0");
  if (bins == 0 || a.price_edges.size() != bins + 1)
    refuse(axes, "price_edges must hold one more value than price_centres (at least 1); it holds " +
                     std::to_string(a.price_edges.size()) + " for " + std::to_string(bins));
  finite(a.price_edges, axes, "price_edges");
  finite(a.price_centres, axes, "price_centres");
  for (std::size_t i = 0; i < bins; ++i) {
    if (!(a.price_edges[i] < a.price_edges[i + 1])) refuse(axes, "price_edges must rise, at " + std::to_string(i + 1));
    if (!(a.price_centres[i] >= a.price_edges[i] && a.price_centres[i] <= a.price_edges[i + 1]))
      refuse(axes, "price_centres[" + std::to_string(i) + "] lies outside its bin's edges");
  }
  if (columns == 0 || a.column_step.size() != columns)
    refuse(axes, "column_step and column_ts must hold one value per column (at least 1); they hold " +
                     std::to_string(a.column_step.size()) + " and " + std::to_string(columns));
  try {
    validate_market(run.market, RowOrigin{in_dir(dir, "prices.csv"), {}});
  } catch (const Error& e) {
    throw Error(ErrorCode::io, e.what());
  }
  for (std::size_t c = 0; c < columns; ++c) {
    if (a.column_step[c] >= a.steps || (c > 0 && a.column_step[c] <= a.column_step[c - 1]))
      refuse(axes, "column_step must rise and stay below steps (" + std::to_string(a.steps) + "); column_step[" +
                       std::to_string(c) + "] is " + std::to_string(a.column_step[c]));
    if (a.column_ts[c] != run.market.ts[a.column_step[c]])
      refuse(axes, "column_ts[" + std::to_string(c) + "] is not the time of its step in prices.csv");
  }
  for (const auto* coverage : {&a.column_oi_usd, &a.column_book_usd})
    if (!coverage->empty() && coverage->size() != columns) refuse(axes, "coverage must hold one value per column");
  finite(a.column_oi_usd, axes, "coverage.oi_usd");
  finite(a.column_book_usd, axes, "coverage.book_usd");
  for (const auto& [grid, name] : {std::pair{&run.result.smooth_long, "long.npy"}, std::pair{&run.result.smooth_short, "short.npy"}}) {
    const std::string file = in_dir(dir, name);
    if (grid->rows != bins || grid->cols != columns)
      refuse(file, "its shape (" + std::to_string(grid->rows) + ", " + std::to_string(grid->cols) +
                       ") is not axes.json's (" + std::to_string(bins) + ", " + std::to_string(columns) + ")");
    // +inf is a float16 grid's value above 65504 (--grid-type float16): kept, as written.
    for (std::size_t i = 0; i < grid->data.size(); ++i)
      if (!(grid->data[i] >= 0))
        refuse(file, "the value at (" + std::to_string(i / columns) + ", " + std::to_string(i % columns) +
                         ") is not a number or negative");
  }
  const std::string liquidations = in_dir(dir, "liquidations.csv");
  if (run.result.liq_long.size() != a.steps)
    refuse(liquidations, "it has " + std::to_string(run.result.liq_long.size()) + " rows for " + std::to_string(a.steps) + " steps");
  for (std::size_t t = 0; t < a.steps; ++t)
    if (run.result.liq_long[t] < 0 || run.result.liq_short[t] < 0) refuse(liquidations, "row " + std::to_string(t + 2) + " is negative");
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
    const std::string scale = axes.at("price_scale").get<std::string>();
    if (scale != "log" && scale != "linear")
      throw Error(ErrorCode::io, "'" + axes_path + "': price_scale is \"" + scale.substr(0, 32) + "\"; expected linear or log");
    a.scale = scale == "log" ? PriceScale::log : PriceScale::linear;
    for (const char* key : {"column_ts", "column_step"})
      for (const auto& v : axes.at(key))
        if (!v.is_number_integer())
          throw Error(ErrorCode::io, "'" + axes_path + "': " + key + " holds " + v.dump().substr(0, 32) + "; expected whole numbers");
    if (!axes.at("steps").is_number_unsigned())
      throw Error(ErrorCode::io, "'" + axes_path + "': steps is " + axes.at("steps").dump().substr(0, 32) + "; expected a whole number");
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
    if (!(std::fabs(row[0]) <= 9007199254740992.0))  // 2^53: a cast beyond int64 is undefined
      throw Error(ErrorCode::io, "'" + in_dir(dir, "prices.csv") + "': ts " + std::to_string(row[0]) + " is beyond +-2^53 ms");
    run.market.ts.push_back(static_cast<std::int64_t>(row[0]));
    run.market.open.push_back(row[1]);
    run.market.high.push_back(row[2]);
    run.market.low.push_back(row[3]);
    run.market.close.push_back(row[4]);
  }
  if (run.market.size() != run.result.axes.steps)
    throw Error(ErrorCode::io, "'" + in_dir(dir, "prices.csv") + "' has " + std::to_string(run.market.size()) +
                                   " rows but axes.json says " + std::to_string(run.result.axes.steps) + " steps");
  validate_saved_run(run, dir);
  return run;
}

}  // namespace liqmap::report
