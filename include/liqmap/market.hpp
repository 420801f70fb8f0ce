// A market series for one instrument (MODEL.md section 1), as a struct of arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace liqmap {

struct Market {
  std::vector<std::int64_t> ts;  // ms since the Unix epoch, strictly increasing
  std::vector<double> open, high, low, close;
  std::vector<double> volume;      // empty when absent
  std::vector<double> oi;          // empty when absent; unit given by the config (flow.oi_unit)
  std::vector<double> long_share;  // empty when absent; fraction of new positions that are long
  // Leading rows before the first open-interest value (their oi holds that first value): the
  // warm-up candles that seed the opening open interest (docs/model.md, "Warm-up").
  std::size_t warmup_rows = 0;

  std::size_t size() const noexcept { return ts.size(); }
  bool has_volume() const noexcept { return !volume.empty(); }
  bool has_oi() const noexcept { return !oi.empty(); }
  bool has_long_share() const noexcept { return !long_share.empty(); }
};

// Where a market row came from, so an error can name file and line.
struct RowOrigin {
  std::string file;  // "<memory>" for arrays handed in through an API
  std::vector<std::size_t> line;  // 1-based line of each row in `file`; empty: row index + 1
};

// Checks every rule of MODEL.md section 1. Throws Error(ErrorCode::input) naming the file,
// line, column, value and rule of the first row that breaks one.
void validate_market(const Market& market, const RowOrigin& origin = {});

}  // namespace liqmap
