// Gzip-compressed market files (.csv.gz, or gzip on stdin): told from their first bytes, read as
// the plain text would be, and refused with the reason when damaged or inflating too far.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "io_files.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

#ifdef LIQMAP_HAVE_ZLIB
#include <zlib.h>
#endif

namespace {

using liqmap::Error;
using liqmap::ErrorCode;
using liqmap::testing::write_file;
namespace io = liqmap::io;

std::string error_of(const std::string& path, ErrorCode expected = ErrorCode::input) {
  try {
    io::read_market({path});
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

#ifdef LIQMAP_HAVE_ZLIB
constexpr std::int64_t kOct6 = 1759708800000;  // 2025-10-06T00:00:00Z
constexpr std::int64_t kHourMs = 3600000;

// Binance's kline rows, hourly from 2025-10-06, `first` to `first + count`.
std::string klines(int first, int count) {
  std::string csv;
  for (int i = first; i < first + count; ++i) {
    const std::int64_t open = kOct6 + i * kHourMs;
    csv += std::to_string(open) + "," + std::to_string(100 + i) + "," + std::to_string(102 + i) + "," +
           std::to_string(99 + i) + "," + std::to_string(101 + i) + ",5," + std::to_string(open + kHourMs - 1) +
           ",505,7,2,202,0\n";
  }
  return csv;
}

// One gzip member holding `text`, as gzip(1) writes it.
std::string gzip(const std::string& text) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::string out(deflateBound(&z, uLong(text.size())), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = uInt(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = uInt(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(Gzip, AGzippedCsvReadsAsThePlainOne) {
  const std::string csv = klines(0, 48);
  const io::MarketData plain = io::read_market({write_file("BTCUSDT-1h-2025-10.csv", csv)});
  const io::MarketData packed = io::read_market({write_file("BTCUSDT-1h-2025-10.csv.gz", gzip(csv))});
  ASSERT_EQ(packed.market.size(), 48u);
  EXPECT_EQ(packed.market.ts, plain.market.ts);
  EXPECT_EQ(packed.market.close, plain.market.close);
  EXPECT_EQ(packed.market.volume, plain.market.volume);
  EXPECT_EQ(packed.market.ts[47], kOct6 + 47 * kHourMs);
}

TEST(Gzip, TheNameDoesNotMatterOnlyTheBytes) {
  const io::MarketData data = io::read_market({write_file("renamed.csv", gzip(klines(0, 3)))});
  EXPECT_EQ(data.market.size(), 3u);
}

TEST(Gzip, ConcatenatedMembersAreReadWhole) {  // `cat a.gz b.gz > ab.gz` is a valid gzip file
  const std::string path = write_file("two-members.csv.gz", gzip(klines(0, 10)) + gzip(klines(10, 14)));
  const io::MarketData data = io::read_market({path});
  ASSERT_EQ(data.market.size(), 24u);
  EXPECT_EQ(data.market.ts.back(), kOct6 + 23 * kHourMs);
}

TEST(Gzip, ABombIsRefusedWhileInflating) {
  const std::string bomb = write_file("bomb.csv.gz", gzip(std::string(64 << 20, '0')));  // 64 MiB: ~65 kB
  const std::string message = error_of(bomb);
  EXPECT_NE(message.find("refused as a gzip bomb"), std::string::npos) << message;
  EXPECT_NE(message.find(bomb), std::string::npos) << message;
}

// A bomb member before a large one was inflated whole (up to 2 GiB) before the refusal: the
// limit held against the whole stream's compressed size, not against what was read so far.
TEST(Gzip, ABombMemberIsRefusedAsItInflatesWhateverFollowsIt) {
  std::string noise(600 << 10, '\0');  // incompressible: it raises the whole stream's limit past 64 MiB
  std::uint64_t state = 88172645463325252ull;
  for (char& c : noise) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    c = static_cast<char>(state);
  }
  const std::string packed_noise = gzip(noise);
  const std::string bomb_member = gzip(std::string(64 << 20, '0'));  // 64 MiB in ~65 kB
  ASSERT_GT(200 * (packed_noise.size() + bomb_member.size()), std::size_t(64) << 20);
  const std::string path = write_file("bomb-then-noise.csv.gz", bomb_member + packed_noise);
  const std::string message = error_of(path);
  EXPECT_NE(message.find("refused as a gzip bomb"), std::string::npos) << message;
  EXPECT_NE(message.find("bytes from its first"), std::string::npos) << message;
}

TEST(Gzip, AFileCutShortSaysSo) {
  const std::string whole = gzip(klines(0, 200));
  const std::string path = write_file("cut.csv.gz", whole.substr(0, whole.size() / 2));
  const std::string message = error_of(path);
  EXPECT_NE(message.find(path + ": not a readable gzip stream: the stream ends early"), std::string::npos) << message;
}

TEST(Gzip, DamagedBytesAndTrailingDataAreRefused) {
  std::string damaged = gzip(klines(0, 200));
  for (std::size_t i = 20; i < 40; ++i) damaged[i] = char(damaged[i] ^ 0x5a);
  const std::string bad = error_of(write_file("damaged.csv.gz", damaged));
  EXPECT_NE(bad.find("not a readable gzip stream"), std::string::npos) << bad;

  const std::string trailing = error_of(write_file("trailing.csv.gz", gzip(klines(0, 3)) + "junk"));
  EXPECT_NE(trailing.find("data after the end of the gzip stream"), std::string::npos) << trailing;
}
#else
TEST(Gzip, WithoutZlibSaysHowToReadIt) {
  const std::string message = error_of(write_file("x.csv.gz", std::string("\x1f\x8b\x08\x00", 4)), ErrorCode::io);
  EXPECT_NE(message.find("zlib"), std::string::npos) << message;
}
#endif

}  // namespace
