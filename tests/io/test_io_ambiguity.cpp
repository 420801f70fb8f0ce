// The readers refuse or resolve what a file leaves ambiguous (time units, open-interest units,
// header-less layouts, row order) and survive hostile input (huge cells, zip bombs, globs
// matching nothing, forced layouts wider than the file): issue 18, points 1 and 4.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "io_files.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

#ifdef LIQMAP_HAVE_LIBZIP
#include <zip.h>
#endif

namespace {

using liqmap::Error;
using liqmap::ErrorCode;
using liqmap::OiUnit;
using liqmap::testing::has_notice;
using liqmap::testing::write_file;
namespace io = liqmap::io;

constexpr std::int64_t kOct6 = 1759708800000;  // 2025-10-06T00:00:00Z
constexpr std::int64_t kHourMs = 3600000;

std::string error_of(const std::vector<std::string>& market, const std::vector<std::string>& oi = {},
                     const io::ReadOptions& options = {}, ErrorCode expected = ErrorCode::input) {
  try {
    io::read_market(market, oi, options);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

// Hourly BTC-like candles (price ~60,000, ~10,000 coins traded an hour) with an `oi` column.
std::string btc_like(const std::string& oi_column, double oi_value, int bars = 48) {
  std::string text = "ts,open,high,low,close,volume," + oi_column + "\n";
  for (int h = 0; h < bars; ++h)
    text += std::to_string(kOct6 + h * kHourMs) + ",60000,60500,59500,60100,10000," +
            std::to_string(oi_value * (1 + 0.001 * (h % 5))) + "\n";
  return text;
}

TEST(TimeScale, EachUnitIsToldApartByMagnitudeAndSaid) {
  const auto parsed = [](const char* text) { return io::parse_timestamp(text); };
  EXPECT_EQ(parsed("1759708800")->scale, io::TimeScale::seconds);
  EXPECT_EQ(parsed("1759708800000")->scale, io::TimeScale::milliseconds);
  EXPECT_EQ(parsed("1759708800000000")->scale, io::TimeScale::microseconds);
  EXPECT_EQ(parsed("1759708800000000000")->scale, io::TimeScale::nanoseconds);
  for (const char* text : {"1759708800", "1759708800000", "1759708800000000", "1759708800000000000", "2025-10-06"})
    EXPECT_EQ(parsed(text)->ms, kOct6) << text;
  // Dates outside 1990..2200 are a unit or format mistake (and keep differences far from overflow).
  for (const char* text : {"0", "-1", "1000", "99999999", "-9223372036854775808", "9223372036854775807", "1989-12-31"})
    EXPECT_FALSE(parsed(text)) << text;
}

TEST(TimeScale, EpochSecondsAreReadAsSecondsWithANotice) {
  const auto path = write_file("seconds.csv", "ts,open,high,low,close,volume\n1759708800,10,12,9,11,5\n1759712400,11,13,10,12,5\n");
  const io::MarketData data = io::read_market({path});
  EXPECT_EQ(data.market.ts, (std::vector<std::int64_t>{kOct6, kOct6 + kHourMs}));
  EXPECT_TRUE(has_notice(data, "candle times read as epoch seconds (" + path + ")"));
}

TEST(TimeScale, AnOpenInterestFileInSecondsJoinsMillisecondCandles) {
  // Before: the OI seconds were read as ms (1970), one value carried over everything.
  std::string candles = "ts,open,high,low,close,volume\n", oi = "ts,oi\n";
  for (int h = 0; h < 4; ++h) {
    candles += std::to_string(kOct6 + h * kHourMs) + ",10,12,9,11,5\n";
    oi += std::to_string((kOct6 + h * kHourMs) / 1000) + "," + std::to_string(100 + 10 * h) + "\n";
  }
  const io::MarketData data = io::read_market({write_file("ms-candles.csv", candles)}, {write_file("s-oi.csv", oi)});
  // Snapshots known by each candle's close (its open + 1 h): not one value carried over all.
  EXPECT_EQ(data.market.oi, (std::vector<double>{110, 120, 130, 130}));
  EXPECT_TRUE(has_notice(data, "open-interest times read as epoch seconds"));
  EXPECT_TRUE(has_notice(data, "candle times read as epoch milliseconds"));
}

TEST(Layout, AForcedKlineLayoutWiderThanTheFileIsRefusedNotReadPastTheRow) {
  // Was a segfault: `printf 'm\n1' > x.csv; liqmap compute --market x.csv --format binance-klines`.
  const auto path = write_file("narrow.csv", "m\n1");
  io::ReadOptions forced;
  forced.format = io::MarketFormat::binance_klines;
  const std::string message = error_of({path}, {}, forced);
  EXPECT_NE(message.find("narrow.csv:1"), std::string::npos) << message;
  // A header is read by its names, a forced layout too (issue 30, item 4): this one has no time.
  EXPECT_NE(message.find("the header has no time column"), std::string::npos) << message;
}

TEST(Order, ANewestFirstFileIsSortedWithANoticeEvenWhenDroppingBadRows) {
  std::string text = "ts,open,high,low,close,volume\n";
  for (int h = 5; h >= 0; --h) text += std::to_string(kOct6 + h * kHourMs) + ",10,12,9,11,5\n";
  const auto path = write_file("newest-first.csv", text);
  io::ReadOptions drop;
  drop.drop_bad_rows = true;
  for (const io::ReadOptions& options : {io::ReadOptions{}, drop}) {
    const io::MarketData data = io::read_market({path}, {}, options);
    ASSERT_EQ(data.market.size(), 6u);  // was 1 with --drop-bad-rows: a "map" of one bar
    EXPECT_EQ(data.market.ts.front(), kOct6);
    EXPECT_EQ(data.origin.line.front(), 7u);
    EXPECT_TRUE(has_notice(data, "5 row(s) earlier than the row above them (first at line 3): the rows are sorted"));
  }
}

TEST(OiUnit, UsdOpenInterestInAPlainOiColumnIsReadAsUsd) {
  // 6e10: CoinGlass's aggregate in USD. As coins it would be 3.6e15 USD.
  const io::MarketData data = io::read_market({write_file("plain-oi-usd.csv", btc_like("oi", 6e10))});
  EXPECT_EQ(data.oi_unit, OiUnit::quote);
  EXPECT_TRUE(has_notice(data, "open interest read as USD (quote) from the data"));
  EXPECT_TRUE(has_notice(data, "more than all crypto markets hold"));
}

TEST(OiUnit, CoinOpenInterestEvenInAFileNamedCoinglassIsReadAsCoins) {
  // 80,000 coins; as USD it would be 1.3 coins, seconds of the traded volume.
  const io::MarketData data = io::read_market({write_file("coinglass_oi.csv", btc_like("oi", 80000))});
  EXPECT_EQ(data.oi_unit, OiUnit::base);
  EXPECT_TRUE(has_notice(data, "open interest read as coins (base) from the data"));
}

TEST(OiUnit, AStatedUnitTheDataContradictsIsAnErrorSayingWhy) {
  io::ReadOptions base;
  base.oi_unit = OiUnit::base;
  std::string message = error_of({write_file("usd-as-base.csv", btc_like("oi", 6e10))}, {}, base);
  EXPECT_NE(message.find("--oi-unit base says the open interest is in coins (base)"), std::string::npos) << message;
  EXPECT_NE(message.find("more than all crypto markets hold"), std::string::npos) << message;
  // A column name states a unit too.
  message = error_of({write_file("coins-named-usd.csv", btc_like("oi_usd", 80000))});
  EXPECT_NE(message.find("column name 'oi_usd' says the open interest is in USD (quote)"), std::string::npos) << message;
  EXPECT_NE(message.find("day(s) of the traded volume"), std::string::npos) << message;
}

TEST(OiUnit, AStatedUnitTheDataAgreesWithIsKept) {
  io::ReadOptions quote;
  quote.oi_unit = OiUnit::quote;
  EXPECT_EQ(io::read_market({write_file("usd-ok.csv", btc_like("oi", 6e10))}, {}, quote).oi_unit, OiUnit::quote);
  const io::MarketData named = io::read_market({write_file("usd-named.csv", btc_like("oi_usd", 6e10))});
  EXPECT_EQ(named.oi_unit, OiUnit::quote);
  EXPECT_TRUE(has_notice(named, "as the column name 'oi_usd' says (the data agrees)"));
}

TEST(Messages, AHugeOrBinaryCellIsEchoedCutAndEscaped) {
  const std::string cell = "\x01\xff" + std::string(1 << 20, 'x');
  const auto path = write_file("huge-cell.csv", "ts,open,high,low,close\n1759708800000,10,12," + cell + ",11\n");
  const std::string message = error_of({path});
  EXPECT_LT(message.size(), 400u) << message.substr(0, 400);
  EXPECT_NE(message.find("\\x01\\xff"), std::string::npos) << message;
  EXPECT_NE(message.find("(1048578 bytes)"), std::string::npos) << message;
}

TEST(Sources, AGlobMatchingNothingSaysSo) {
  const std::string pattern = (liqmap::testing::scratch_dir() / "BTCUSDT-1m-*.zip").string();
  try {
    io::expand_paths({pattern});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(std::string(e.what()), "no file matches '" + pattern + "'");
  }
}

#ifdef LIQMAP_HAVE_LIBZIP
std::string zip_of(const std::string& name, const std::string& csv) {
  const std::string path = (liqmap::testing::scratch_dir() / name).string();
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  zip_source_t* source = zip_source_buffer(archive, csv.data(), csv.size(), 0);
  zip_file_add(archive, "inside.csv", source, ZIP_FL_OVERWRITE);
  zip_close(archive);
  return path;
}

TEST(Sources, AZipBombIsRefusedBeforeItIsInflated) {
  const std::string bomb = zip_of("bomb.zip", std::string(64 << 20, '0'));  // 64 MiB of zeros: ~65 kB zipped
  const std::string message = error_of({bomb});
  EXPECT_NE(message.find("refused as a zip bomb"), std::string::npos) << message;
}

TEST(Sources, AMissingZipIsNotCalledADamagedArchive) {
  const std::string message = error_of({"/nonexistent/BTCUSDT-1m-2024-01.zip"}, {}, {}, ErrorCode::io);
  EXPECT_EQ(message.find("cannot open zip archive"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot read '/nonexistent/BTCUSDT-1m-2024-01.zip'"), std::string::npos) << message;
}
#endif

}  // namespace
