// A live state for the server's tests: synthetic candles, the first run by a full compute
// (serve::recompute_run) and an appender that recomputes (exact: the lead's incremental append
// must give the same run).
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "liqmap/io.hpp"
#include "liqmap/synthetic.hpp"
#include "serve/recompute_appender.hpp"

namespace liqmap::serve::test {

constexpr std::size_t kBaseSteps = 600, kAddedSteps = 30;

// The synthetic market's CSV, rows [first, last) after the header.
inline std::string market_rows(std::size_t first, std::size_t last) {
  SyntheticOptions synthetic;
  synthetic.steps = kBaseSteps + kAddedSteps;
  std::ostringstream csv;
  io::write_market_csv(csv, synthetic_market(synthetic));
  std::istringstream lines(csv.str());
  std::string line, out;
  std::getline(lines, line);
  out = line + "\n";
  for (std::size_t row = 0; std::getline(lines, line); ++row)
    if (row >= first && row < last) out += line + "\n";
  return out;
}

struct LiveState {
  std::filesystem::path dir;
  RecomputeOptions recompute;

  explicit LiveState(const std::string& name) {
    dir = std::filesystem::temp_directory_path() / ("liqmap_serve_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto base = dir / "base.csv";
    std::ofstream(base) << market_rows(0, kBaseSteps);
    recompute = {dir.string(), base.string(), "", 100, "clusters,review,npy"};
    recompute_run(recompute);
  }
  ~LiveState() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::string read(const std::string& relative) const {
    std::ifstream in(dir / relative);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

}  // namespace liqmap::serve::test
