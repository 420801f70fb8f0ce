// read_npy: the reader that matches write_npy (outputs.cpp), for `liqmap render DIR`.
#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstring>
#include <fstream>
#include <regex>

#include "liqmap/error.hpp"
#include "outputs/outputs.hpp"

namespace liqmap::detail {
namespace {

std::string header_field(const std::string& header, const std::string& key, const std::string& path) {
  const std::regex pattern("'" + key + "'\\s*:\\s*('[^']*'|True|False|\\([^)]*\\))");
  std::smatch m;
  if (!std::regex_search(header, m, pattern))
    throw Error(ErrorCode::io, "'" + path + "' is not a .npy this reader knows: no '" + key + "' in its header");
  return m[1];
}

std::uint64_t parse_dimension(const std::string& digits, const std::string& path) {
  std::uint64_t value = 0;
  const auto parsed = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (parsed.ec != std::errc() || parsed.ptr != digits.data() + digits.size())
    throw Error(ErrorCode::io, "'" + path + "' has a shape dimension that is too large: " + digits.substr(0, 32));
  return value;
}

}  // namespace

float half_bits_to_float(std::uint16_t half) {
  const std::uint32_t sign = std::uint32_t(half & 0x8000u) << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1fu, mantissa = half & 0x3ffu;
  std::uint32_t bits;
  if (exponent == 0x1f) {
    bits = sign | 0x7f800000u | (mantissa << 13);  // inf and NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
  } else {  // zero and subnormals: mantissa x 2^-24, exact in a float
    const float magnitude = std::ldexp(static_cast<float>(mantissa), -24);
    std::memcpy(&bits, &magnitude, 4);
    bits |= sign;
  }
  float value;
  std::memcpy(&value, &bits, 4);
  return value;
}

Grid read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::io, "cannot read '" + path + "'");
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    throw Error(ErrorCode::io, "'" + path + "' is not a .npy file (bad magic)");
  std::uint32_t header_length = 0;
  unsigned char length_bytes[4] = {0, 0, 0, 0};
  const int length_size = magic[6] == 1 ? 2 : 4;  // version 1.0: 2 bytes; 2.0 and 3.0: 4
  in.read(reinterpret_cast<char*>(length_bytes), length_size);
  for (int i = length_size - 1; i >= 0; --i) header_length = header_length * 256 + length_bytes[i];
  constexpr std::uint32_t kLongestHeader = 1 << 16;  // numpy writes under 100 bytes
  if (header_length > kLongestHeader)
    throw Error(ErrorCode::io, "'" + path + "' declares a " + std::to_string(header_length) + "-byte header; not a .npy this reader knows");
  std::string header(header_length, '\0');
  if (!in.read(header.data(), header_length))
    throw Error(ErrorCode::io, "'" + path + "' ends inside its header");

  const std::string descr = header_field(header, "descr", path);
  if (descr != "'<f2'" && descr != "'<f4'" && descr != "'<f8'")
    throw Error(ErrorCode::io, "'" + path + "' holds " + descr + "; expected little-endian float16, float32 or float64");
  if (header_field(header, "fortran_order", path) != "False")
    throw Error(ErrorCode::io, "'" + path + "' is in Fortran order; expected C order");
  const std::string shape = header_field(header, "shape", path);
  std::smatch dims;
  if (!std::regex_match(shape, dims, std::regex(R"(\(\s*(\d+)\s*,\s*(\d+)\s*\))")))
    throw Error(ErrorCode::io, "'" + path + "' has shape " + shape + "; expected 2 dimensions");

  // The shape is a claim: the file must hold that many values before anything is allocated.
  const std::uint64_t element = descr == "'<f2'" ? 2 : descr == "'<f4'" ? 4 : 8;
  const std::uint64_t rows = parse_dimension(dims[1], path), cols = parse_dimension(dims[2], path);
    const std::uint64_t data_start = static_cast<std::uint64_t>(in.tellg());
  in.seekg(0, std::ios::end);
  const std::uint64_t file_size = static_cast<std::uint64_t>(in.tellg());
  in.seekg(static_cast<std::streamoff>(data_start));
  if (cols == 0 || rows > (file_size - data_start) / element / cols)
    throw Error(ErrorCode::io, "'" + path + "' has shape " + shape + " but holds " + std::to_string(file_size - data_start) +
                                   " bytes of values");
  Grid grid(rows, cols);
  std::vector<char> row(grid.cols * element);
  for (std::size_t r = 0; r < grid.rows; ++r) {
    if (!in.read(row.data(), static_cast<std::streamsize>(row.size())))
      throw Error(ErrorCode::io, "'" + path + "' is shorter than its shape " + shape);
    for (std::size_t c = 0; c < grid.cols; ++c) {
      if (element == 2) {
        std::uint16_t bits;
        std::memcpy(&bits, &row[c * 2], 2);
        grid.at(r, c) = half_bits_to_float(bits);
      } else if (element == 4) {
        float v;
        std::memcpy(&v, &row[c * 4], 4);
        grid.at(r, c) = v;
      } else {
        std::memcpy(&grid.at(r, c), &row[c * 8], 8);
      }
    }
  }
  return grid;
}

}  // namespace liqmap::detail
