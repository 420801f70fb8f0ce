// The model's own output files (MODEL.md section 9): the grids as .npy, axes.json and
// liquidations.csv. The report's files live in report/; the application composes both
// (app/standard_outputs.hpp) and writes them through the atomic writer (atomic_output.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/market.hpp"
#include "outputs/atomic_output.hpp"

namespace liqmap::detail {

// The element type of the written grids: float32 (default) or float16 (half the size; about
// 3 significant digits, values above 65,504 become inf, so only for pictures and quick looks).
enum class GridType { float32, float16 };
GridType parse_grid_type(const std::string& name);  // "float32" | "float16"

// heatmap.npy (long + short, summed row by row, no extra grid), long.npy, short.npy, axes.json
// and liquidations.csv. `with_grids` false leaves out the three .npy files.
std::vector<OutputFile> model_outputs(const Result& result, const Market& market, const Config& config,
                                      bool with_grids = true, GridType type = GridType::float32);

// A .npy array of shape (rows, cols), C order; the element-wise sum of `grids` (all the same
// shape), converted one row at a time. Polls `cancelled` between rows.
void write_npy(const std::string& path, const std::vector<const Grid*>& grids, GridType type = GridType::float32,
               const CancelFn& cancelled = {});
inline void write_npy(const std::string& path, const Grid& grid, GridType type = GridType::float32) {
  write_npy(path, std::vector<const Grid*>{&grid}, type);
}
// IEEE binary16 bits of `value`, rounded to nearest even (as a hardware conversion does).
std::uint16_t float_to_half_bits(float value);
// The float that IEEE binary16 `bits` hold, exactly (in integer steps: clang has no _Float16 on x86).
float half_bits_to_float(std::uint16_t bits);
// A 2-D .npy array (float16, float32 or float64, little-endian, C order), as write_npy writes it.
Grid read_npy(const std::string& path);

nlohmann::json stats_json(const RunStats& stats);
nlohmann::json axes_json(const Result& result, const Config& config);

}  // namespace liqmap::detail
