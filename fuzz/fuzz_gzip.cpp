// The gzip reader, two ways:
// - an oracle: a candle file read as it is and read gzip-compressed (by zlib, here) must give
//   the same market, or be refused with the same kind of error;
// - raw bytes behind a gzip magic: a damaged stream is refused with liqmap::Error, never more.
// The first byte picks the way and the options; the rest is the file.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "fuzz_input_file.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace {

// One gzip member of `text` (deflate with a gzip header: windowBits 15 + 16).
std::string gzip(const std::uint8_t* data, std::size_t size, int level) {
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) __builtin_trap();
  std::string out(deflateBound(&z, uLong(size)) + 32, '\0');
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = uInt(size);
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) __builtin_trap();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

struct Outcome {
  std::optional<liqmap::io::MarketData> read;
  liqmap::ErrorCode code = liqmap::ErrorCode::input;
};

Outcome read(const std::string& path, const liqmap::io::ReadOptions& options) {
  Outcome outcome;
  try {
    outcome.read = liqmap::io::read_market({path}, {}, options);
  } catch (const liqmap::Error& error) {
    outcome.code = error.code();
  }
  return outcome;
}

// Bit for bit: a NaN read both ways is the same read.
template <class T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0);
}

bool same_market(const liqmap::Market& a, const liqmap::Market& b) {
  return same_bits(a.ts, b.ts) && same_bits(a.open, b.open) && same_bits(a.high, b.high) &&
         same_bits(a.low, b.low) && same_bits(a.close, b.close) && same_bits(a.volume, b.volume) &&
         same_bits(a.oi, b.oi) && same_bits(a.long_share, b.long_share) && a.warmup_rows == b.warmup_rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 || size > (1u << 20)) return 0;
  const std::uint8_t pick = data[0];
  liqmap::io::ReadOptions options;
  options.drop_bad_rows = (pick & 2) != 0;
  if (pick & 4) options.oi_unit = (pick & 8) ? liqmap::OiUnit::quote : liqmap::OiUnit::base;
  ++data;
  --size;

  if (pick & 1) {  // a damaged stream: the gzip magic, then anything
    std::string bytes = "\x1f\x8b";
    bytes.append(reinterpret_cast<const char*>(data), size);
    const std::string path = liqmap::fuzz::write_scratch(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                                         bytes.size(), ".csv.gz");
    read(path, options);  // may be refused; a crash or a leak is the finding
    return 0;
  }

  const Outcome plain = read(liqmap::fuzz::write_scratch(data, size, ".csv"), options);
  const std::string packed = gzip(data, size, (pick >> 4) % 10);
  const Outcome unpacked = read(
      liqmap::fuzz::write_scratch(reinterpret_cast<const std::uint8_t*>(packed.data()), packed.size(), ".csv.gz"),
      options);
  if (plain.read.has_value() != unpacked.read.has_value()) __builtin_trap();  // one read, one refused
  if (plain.read) {
    if (!same_market(plain.read->market, unpacked.read->market)) __builtin_trap();
    if (plain.read->origin.line != unpacked.read->origin.line) __builtin_trap();
  } else if (plain.code != unpacked.code) {
    __builtin_trap();
  }
  return 0;
}
