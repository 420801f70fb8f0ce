#include "outputs/outputs.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <memory>

#include "liqmap/error.hpp"

namespace liqmap::detail {

namespace {

// With errno: out of inodes (ENOSPC on create) or space is said as such.
std::ofstream open_for_writing(const std::string& path, std::ios::openmode mode = std::ios::out) {
  errno = 0;
  std::ofstream out(path, mode | std::ios::trunc);
  if (!out) throw Error(ErrorCode::io, "cannot write '" + path + "': " + (errno ? std::strerror(errno) : "unknown reason"));
  return out;
}

void close_checked(std::ofstream& out, const std::string& path) {
  out.close();  // errno stays as the failed write (buffered, perhaps long before) left it
  if (!out) throw Error(ErrorCode::io, "writing '" + path + "' failed: " + (errno ? std::strerror(errno) : "disk full?"));
}

void write_liquidations_csv(const std::string& path, const Result& result, const Market& market) {
  std::ofstream out = open_for_writing(path);
  out << "ts,long_usd,short_usd\n" << std::setprecision(17);
  for (std::size_t t = 0; t < market.size(); ++t)
    out << market.ts[t] << ',' << result.liq_long[t] << ',' << result.liq_short[t] << '\n';
  close_checked(out, path);
}

void write_json(const std::string& path, const nlohmann::json& doc) {
  std::ofstream out = open_for_writing(path);
  out << doc.dump(1) << '\n';
  close_checked(out, path);
}

struct AsFloat {
  using Element = float;
  static float convert(float v) { return v; }
};
struct AsHalf {
  using Element = std::uint16_t;
  static std::uint16_t convert(float v) { return float_to_half_bits(v); }
};

// One row of the grids' sum, converted to the file's element type, appended to `bytes`.
template <typename As>
void append_row(std::vector<char>& bytes, const std::vector<const Grid*>& grids, std::size_t row) {
  using Element = typename As::Element;
  const std::size_t cols = grids.front()->cols;
  bytes.resize(cols * sizeof(Element));
  Element* out = reinterpret_cast<Element*>(bytes.data());
  const double* first = grids.front()->data.data() + row * cols;
  for (std::size_t c = 0; c < cols; ++c) {
    double sum = first[c];
    for (std::size_t g = 1; g < grids.size(); ++g) sum += grids[g]->data[row * cols + c];
    out[c] = As::convert(static_cast<float>(sum));  // as the float32 file: rounded once to float
  }
}

constexpr std::size_t kRowsBetweenPolls = 64;

}  // namespace

// Round to nearest even in integer steps (F. Giesen's float_to_half_fast3_rtne): the compiler's
// _Float16 conversion without F16C is a library call per element, 5x slower than the whole write.
std::uint16_t float_to_half_bits(float value) {
  constexpr std::uint32_t kHalfOverflow = (127 + 16) << 23;  // 65,536: inf (or NaN) from here
  constexpr std::uint32_t kFloatInf = 255u << 23;
  constexpr std::uint32_t kHalfNormalMin = 113u << 23;       // 2^-14
  constexpr std::uint32_t kSubnormalMagic = 126u << 23;      // 0.5f: aligns 10 bits at the bottom
  std::uint32_t bits;
  std::memcpy(&bits, &value, 4);
  const std::uint32_t sign = bits & 0x80000000u;
  bits ^= sign;
  std::uint32_t half;
  if (bits >= kHalfOverflow) {
    half = bits > kFloatInf ? 0x7e00 : 0x7c00;
  } else if (bits < kHalfNormalMin) {
    float magnitude, magic;
    std::memcpy(&magnitude, &bits, 4);
    std::memcpy(&magic, &kSubnormalMagic, 4);
    magnitude += magic;  // the float addition rounds to nearest even for us
    std::memcpy(&half, &magnitude, 4);
    half -= kSubnormalMagic;
  } else {
    const std::uint32_t odd = (bits >> 13) & 1;
    bits += ((15u - 127u) << 23) + 0xfff + odd;  // rebias the exponent, round to nearest even
    half = bits >> 13;
  }
  return static_cast<std::uint16_t>(half | (sign >> 16));
}

GridType parse_grid_type(const std::string& name) {
  if (name == "float32") return GridType::float32;
  if (name == "float16") return GridType::float16;
  throw Error(ErrorCode::invalid_argument, "grid type '" + name + "': expected float32 or float16");
}

void write_npy(const std::string& path, const std::vector<const Grid*>& grids, GridType type,
               const CancelFn& cancelled) {
  if (grids.empty()) throw Error(ErrorCode::internal, "write_npy: no grid");
  const Grid& shape = *grids.front();
  for (const Grid* g : grids)
    if (g->rows != shape.rows || g->cols != shape.cols)
      throw Error(ErrorCode::internal, "write_npy: grids of different shapes");
  std::string header = std::string("{'descr': '") + (type == GridType::float16 ? "<f2" : "<f4") +
                       "', 'fortran_order': False, 'shape': (" + std::to_string(shape.rows) + ", " +
                       std::to_string(shape.cols) + "), }";
  // Magic (6) + version (2) + length (2) + header + '\n' padded to a multiple of 64 bytes.
  const std::size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header.push_back('\n');
  std::ofstream out = open_for_writing(path, std::ios::binary);
  const unsigned char preamble[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0,
                                      static_cast<unsigned char>(header.size() & 0xff),
                                      static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<const char*>(preamble), sizeof preamble);
  out.write(header.data(), static_cast<std::streamsize>(header.size()));
  std::vector<char> bytes;
  for (std::size_t r = 0; r < shape.rows; ++r) {
    if (r % kRowsBetweenPolls == 0) throw_if_cancelled(cancelled);
    if (type == GridType::float16) append_row<AsHalf>(bytes, grids, r);
    else append_row<AsFloat>(bytes, grids, r);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  close_checked(out, path);
}

// Per column: the open interest, the map's total and their ratio (null without OI flow).
nlohmann::json coverage_json(const Result& result) {
  const Axes& a = result.axes;
  if (a.column_oi_usd.empty()) return nullptr;
  nlohmann::json j = {{"oi_usd", a.column_oi_usd}, {"book_usd", a.column_book_usd}};
  std::vector<double> map_usd, share, outside;
  for (const auto& cov : oi_coverage_columns(result)) {
    map_usd.push_back(cov ? cov->map_usd : 0.0);
    share.push_back(cov ? cov->map_share : 0.0);
    outside.push_back(cov ? cov->out_of_range_share : 0.0);
  }
  j["map_usd"] = map_usd;
  j["covered_share"] = share;
  j["out_of_range_share"] = outside;
  j["meaning"] = "covered_share = map total (raw, both sides) / open interest; out_of_range_share = live positions "
                 "outside the price axis or never liquidatable / open interest";
  return j;
}

nlohmann::json axes_json(const Result& result, const Config& config) {
  const Axes& a = result.axes;
  return {{"shape", {a.price_centres.size(), a.column_ts.size()}},
          {"layout", "row = price bin (row 0 = lowest price), column = time"},
          {"price_scale", to_string(a.scale)},
          {"price_min", a.price_min},
          {"price_max", a.price_max},
          {"price_edges", a.price_edges},
          {"price_centres", a.price_centres},
          {"column_ts", a.column_ts},
          {"column_step", a.column_step},
          {"steps", a.steps},
          // One unit per kind of figure (README "Units"): a price profile is USD per price bin of
          // this axis (heatmap.npy, long/short.npy, liquidation_map.csv, the pictures' bars and
          // colours), a series USD per step (liquidations.csv).
          {"units", {{"price", "quote currency (USD/USDT) per coin"},
                     {"bin_width", a.price_centres.empty() ? 0.0 : a.price_edges[1] - a.price_edges[0]},
                     {"heatmap", "USD notional that would be liquidated in the bin (smoothed), per price bin of bin_width"},
                     {"liquidation_map.csv", "long_usd, short_usd: USD per price bin of bin_width, per leverage tier"},
                     {"liquidations.csv", "long_usd, short_usd: USD liquidated in the step"},
                     {"ts", "ms since the Unix epoch, UTC"}}},
          {"config", nlohmann::json::parse(config_to_json(config))},
          {"coverage", coverage_json(result)},
          {"stats", stats_json(result.stats)}};
}

std::vector<OutputFile> model_outputs(const Result& result, const Market& market, const Config& config,
                                      bool with_grids, GridType type) {
  std::vector<OutputFile> files = {
      {"axes.json", [&](const std::string& p, const CancelFn&) { write_json(p, axes_json(result, config)); }},
      {"liquidations.csv", [&](const std::string& p, const CancelFn&) { write_liquidations_csv(p, result, market); }},
  };
  if (!with_grids) return files;
  // The largest first, so that parallel writers finish together.
  files.insert(files.begin(),
               {{"heatmap.npy",
                 [&result, type](const std::string& p, const CancelFn& c) {
                   write_npy(p, {&result.smooth_long, &result.smooth_short}, type, c);
                 }},
                {"long.npy", [&result, type](const std::string& p, const CancelFn& c) {
                   write_npy(p, {&result.smooth_long}, type, c);
                 }},
                {"short.npy", [&result, type](const std::string& p, const CancelFn& c) {
                   write_npy(p, {&result.smooth_short}, type, c);
                 }}});
  return files;
}

}  // namespace liqmap::detail
