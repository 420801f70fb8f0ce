// liqmap_compare_runs: do two output folders of `liqmap demo|compute` hold the same map?
// Used by scripts/gpu-check.sh to set a CUDA run against a CPU run of the same job (issue 13):
// the R series (liquidations.csv, written with 17 digits) must agree bit for bit; each grid
// (.npy) must agree per column within a tolerance relative to that column's total.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "liqmap/error.hpp"
#include "outputs/outputs.hpp"

namespace {

using liqmap::Error;
using liqmap::ErrorCode;
using liqmap::Grid;

// A float32 file can only hold each value to within half an ulp of float: two doubles within
// the tolerance may round to neighbouring floats, so one float ulp of the larger value is allowed.
bool holds_float32(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(256, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find("'<f4'") != std::string::npos;
}

double float_ulp(double value) {
  const float f = static_cast<float>(std::fabs(value));
  return double(std::nextafter(f, INFINITY)) - double(f);
}

// The worst column of two grids: the largest |a - b| (less the float32 allowance) over the
// column's total, the total taken as the larger of the two sums of |value|.
struct GridVerdict {
  bool ok = true;
  double worst_ratio = 0;
  std::size_t worst_row = 0, worst_col = 0;
  double a = 0, b = 0, column_total = 0;
  std::size_t cells_over = 0;
};

GridVerdict compare_grids(const Grid& a, const Grid& b, double tolerance, bool float32) {
  GridVerdict v;
  for (std::size_t c = 0; c < a.cols; ++c) {
    double total_a = 0, total_b = 0;
    for (std::size_t r = 0; r < a.rows; ++r) {
      total_a += std::fabs(a.at(r, c));
      total_b += std::fabs(b.at(r, c));
    }
    const double total = std::max(total_a, total_b);
    for (std::size_t r = 0; r < a.rows; ++r) {
      const double x = a.at(r, c), y = b.at(r, c);
      if (std::isnan(x) || std::isnan(y)) {
        if (!(std::isnan(x) && std::isnan(y))) {
          ++v.cells_over;
          v.ok = false;
        }
        continue;
      }
      const double slack = float32 ? float_ulp(std::max(std::fabs(x), std::fabs(y))) : 0.0;
      const double excess = std::max(0.0, std::fabs(x - y) - slack);
      const double ratio = total > 0 ? excess / total : (excess > 0 ? INFINITY : 0.0);
      if (ratio > tolerance) {
        ++v.cells_over;
        v.ok = false;
      }
      if (ratio > v.worst_ratio) {
        v.worst_ratio = ratio;
        v.worst_row = r, v.worst_col = c, v.a = x, v.b = y, v.column_total = total;
      }
    }
  }
  return v;
}

bool check_grid(const std::string& dir_a, const std::string& dir_b, const std::string& name, double tolerance) {
  const std::string path_a = dir_a + "/" + name, path_b = dir_b + "/" + name;
  const Grid a = liqmap::detail::read_npy(path_a), b = liqmap::detail::read_npy(path_b);
  if (a.rows != b.rows || a.cols != b.cols) {
    std::printf("%-18s DIFFERENT SHAPE: %zu x %zu against %zu x %zu\n", name.c_str(), a.rows, a.cols, b.rows, b.cols);
    return false;
  }
  const bool float32 = holds_float32(path_a) || holds_float32(path_b);
  const GridVerdict v = compare_grids(a, b, tolerance, float32);
  std::printf("%-18s %zu x %zu%s: ", name.c_str(), a.rows, a.cols, float32 ? " float32" : "");
  if (v.worst_ratio == 0) {
    std::printf("no difference%s: ok\n", float32 ? " beyond float32 rounding" : "");
    return v.ok;
  }
  std::printf("worst |diff| %.3g of its column total (limit %.3g) at bin %zu, column %zu "
              "(%.17g against %.17g, column total %.6g): %s",
              v.worst_ratio, tolerance, v.worst_row, v.worst_col, v.a, v.b, v.column_total, v.ok ? "ok\n" : "OVER");
  if (!v.ok) std::printf(" in %zu cell(s)\n", v.cells_over);
  return v.ok;
}

struct LiquidationRow {
  std::string ts;
  double long_usd = 0, short_usd = 0;
};

std::vector<LiquidationRow> read_liquidations(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorCode::io, "cannot read '" + path + "'");
  std::string line;
  if (!std::getline(in, line) || line != "ts,long_usd,short_usd")
    throw Error(ErrorCode::input, path + ":1: expected the header 'ts,long_usd,short_usd'");
  std::vector<LiquidationRow> rows;
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    LiquidationRow row;
    std::string long_text, short_text;
    if (!std::getline(fields, row.ts, ',') || !std::getline(fields, long_text, ',') || !std::getline(fields, short_text))
      throw Error(ErrorCode::input, path + ":" + std::to_string(number) + ": expected 3 fields");
    try {
      row.long_usd = std::stod(long_text);
      row.short_usd = std::stod(short_text);
    } catch (const std::exception&) {
      throw Error(ErrorCode::input, path + ":" + std::to_string(number) + ": not a number in '" + line + "'");
    }
    rows.push_back(row);
  }
  return rows;
}

bool same_bits(double x, double y) {
  std::uint64_t bx, by;
  std::memcpy(&bx, &x, 8);
  std::memcpy(&by, &y, 8);
  return bx == by;
}

bool check_liquidations(const std::string& dir_a, const std::string& dir_b) {
  const auto a = read_liquidations(dir_a + "/liquidations.csv"), b = read_liquidations(dir_b + "/liquidations.csv");
  if (a.size() != b.size()) {
    std::printf("%-18s DIFFERENT LENGTH: %zu steps against %zu\n", "liquidations.csv", a.size(), b.size());
    return false;
  }
  std::size_t differing = 0, first = a.size();
  for (std::size_t t = 0; t < a.size(); ++t) {
    const bool same = a[t].ts == b[t].ts && same_bits(a[t].long_usd, b[t].long_usd) &&
                      same_bits(a[t].short_usd, b[t].short_usd);
    if (!same && differing++ == 0) first = t;
  }
  if (differing == 0) {
    std::printf("%-18s %zu steps: R_long and R_short bit for bit: ok\n", "liquidations.csv", a.size());
    return true;
  }
  std::printf("%-18s %zu of %zu steps DIFFER (bit for bit required); first at line %zu: "
              "%s,%.17g,%.17g against %s,%.17g,%.17g\n",
              "liquidations.csv", differing, a.size(), first + 2, a[first].ts.c_str(), a[first].long_usd,
              a[first].short_usd, b[first].ts.c_str(), b[first].long_usd, b[first].short_usd);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Compare two output folders of liqmap demo|compute (e.g. a CPU and a CUDA run of one job).\n"
               "R (liquidations.csv) must agree bit for bit; each grid within --tolerance of its column total."};
  std::string dir_a, dir_b;
  double tolerance = 1e-6;
  std::vector<std::string> grids = {"heatmap.npy", "long.npy", "short.npy"};
  app.add_option("reference", dir_a, "output folder of the reference run (e.g. --backend cpu)")
      ->required()->check(CLI::ExistingDirectory);
  app.add_option("candidate", dir_b, "output folder of the run checked (e.g. --backend cuda)")
      ->required()->check(CLI::ExistingDirectory);
  app.add_option("--tolerance", tolerance, "largest |difference| of a grid cell over its column's total")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--grids", grids, "the .npy files compared")->delimiter(',');
  app.footer("Exit codes: 0 the same within the tolerances, 1 different, 2 usage, 3 unreadable or malformed file.\n"
             "Example: liqmap_compare_runs cpu-out cuda-out --tolerance 1e-6");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    bool same = check_liquidations(dir_a, dir_b);
    for (const std::string& name : grids) same = check_grid(dir_a, dir_b, name, tolerance) && same;
    std::printf("%s\n", same ? "SAME within the tolerances" : "DIFFERENT");
    return same ? 0 : 1;
  } catch (const Error& e) {
    std::fprintf(stderr, "liqmap_compare_runs: error: %s\n", e.what());
    return 3;
  }
}
