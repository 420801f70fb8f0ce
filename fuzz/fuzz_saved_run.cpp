// Arbitrary bytes as a saved run (what backtest, cascade and render read back): the input is
// cut at each "\n~~~\n" into axes.json, prices.csv, liquidations.csv, long.npy and short.npy.
// Whatever the files hold, load_saved_run returns a run that passes its own rules or throws
// Error; never a crash. Its oracle: a run it returns has the shapes every reader relies on.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "liqmap/error.hpp"
#include "report/saved_run.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace fs = std::filesystem;
  static const fs::path dir = fs::temp_directory_path() / ("liqmap-fuzz-run-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string input(reinterpret_cast<const char*>(data), size), cut = "\n~~~\n";
  const char* names[] = {"axes.json", "prices.csv", "liquidations.csv", "long.npy", "short.npy"};
  std::size_t from = 0;
  for (const char* name : names) {
    const std::size_t at = std::min(input.find(cut, from), input.size());
    std::ofstream(dir / name, std::ios::binary) << input.substr(std::min(from, input.size()), at - std::min(from, input.size()));
    from = at + cut.size();
  }
  try {
    const liqmap::report::SavedRun run = liqmap::report::load_saved_run(dir.string());
    const liqmap::Axes& a = run.result.axes;
    if (run.result.smooth_long.rows != a.price_centres.size() || run.result.smooth_long.cols != a.column_ts.size() ||
        a.column_step.size() != a.column_ts.size() || run.market.size() != a.steps || a.column_step.back() >= a.steps)
      __builtin_trap();  // a run whose shapes disagree was let through
  } catch (const liqmap::Error&) {
  }
  return 0;
}
