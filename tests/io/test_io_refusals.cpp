// What the readers refuse or name rather than read silently wrong (issue 30, items 4, 5, 13 and
// 15): headers read by their names, one open-interest unit across files, ambiguous or invalid
// cells, and the near-misses (spreadsheet dates, other separators, UTF-16) said as such.
#include <gtest/gtest.h>

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
using liqmap::testing::input_error;
using liqmap::testing::write_file;
namespace io = liqmap::io;

constexpr std::int64_t kOct6 = 1759708800000;  // 2025-10-06T00:00:00Z
constexpr std::int64_t kHourMs = 3600000;

void expect_has(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << "no '" << part << "' in: " << message;
}

// Hourly BTC-like candles: price ~60,000, 10,000 coins an hour.
std::string candles(int bars, std::int64_t from = kOct6) {
  std::string text = "ts,open,high,low,close,volume\n";
  for (int h = 0; h < bars; ++h) text += std::to_string(from + h * kHourMs) + ",60000,60500,59500,60100,10000\n";
  return text;
}

std::string oi_file(const std::string& column, double value, int first_hour, int hours) {
  std::string text = "ts," + column + "\n";
  for (int h = first_hour; h < first_hour + hours; ++h)
    text += std::to_string(kOct6 + h * kHourMs) + "," + std::to_string(value * (1 + 0.001 * (h % 5))) + "\n";
  return text;
}

// Item 4: before, a header with close_time was read by Binance's positions whatever it named.
TEST(HeaderNames, AKlineHeaderIsReadByItsNamesNotBinancesPositions) {
  const auto path = write_file("klines-reordered.csv",
                               "open_time,open,high,low,close,close_time,volume,quote_volume\n"
                               "1759708800000,10,12,9,11,1759712399999,5,55\n");
  const io::MarketData data = io::read_market({path});
  ASSERT_EQ(data.market.size(), 1u);
  EXPECT_EQ(data.market.volume[0], 5);  // was 1759712399999 (close_time)
  EXPECT_EQ(data.market.ts[0], kOct6);

  const auto coin_m = write_file("coinm-reordered.csv",
                                 "open_time,open,high,low,close,base_volume,close_time,volume\n"
                                 "1759708800000,10,12,9,11,45.5,1759712399999,500\n");
  EXPECT_EQ(io::read_market({coin_m}).market.volume[0], 45.5);  // was 500 (column 8)
}

// Item 5: before, every file was read in the first file's unit, with "the data agrees".
TEST(OiUnits, OpenInterestFilesInDifferentUnitsAreRefused) {
  const auto market = write_file("units-candles.csv", candles(48));
  const auto usd = write_file("units-usd.csv", oi_file("oi_usd", 6e10, 0, 24));     // USD, named so
  const auto coins = write_file("units-coins.csv", oi_file("oi", 1e6, 24, 24));     // coins, by the data
  const std::string message = input_error({market}, {usd, coins});
  expect_has(message, "units-coins.csv: the open interest is in coins (base) by its data");
  expect_has(message, "units-usd.csv holds USD (quote) by its data");
  expect_has(message, "need one unit");

  // The same unit under two names is read.
  const auto usd_plain = write_file("units-usd-plain.csv", oi_file("oi", 6e10, 24, 24));
  const io::MarketData data = io::read_market({market}, {usd, usd_plain});
  EXPECT_EQ(data.oi_unit, OiUnit::quote);
  EXPECT_EQ(data.market.size(), 48u);
}

// Item 13: `timestamp` beside `ts` was ignored, the second `volume` too.
TEST(Ambiguity, TwoTimeColumnsMustAgreeRowByRow) {
  const auto agree = write_file("two-times.csv",
                                "ts,timestamp,open,high,low,close\n"
                                "1759708800000,2025-10-06T00:00:00Z,10,12,9,11\n");
  EXPECT_EQ(io::read_market({agree}).market.ts[0], kOct6);
  const auto differ = write_file("two-times-differ.csv",
                                 "ts,timestamp,open,high,low,close\n"
                                 "1759708800000,2025-10-06T00:00:00Z,10,12,9,11\n"
                                 "1759712400000,2025-10-07T01:00:00Z,10,12,9,11\n");
  const std::string message = input_error({differ});
  expect_has(message, "two-times-differ.csv:3: column 'timestamp' value '2025-10-07T01:00:00Z'");
  expect_has(message, "must be the same time as column 'ts' (2025-10-06T01:00:00Z)");
}

TEST(Ambiguity, ANameTheMapReadsTwiceIsRefused) {
  const auto path = write_file("two-volumes.csv", "ts,open,high,low,close,volume,volume\n1759708800000,10,12,9,11,5,7\n");
  expect_has(input_error({path}), "two-volumes.csv:1: the header names 'volume' more than once (columns 6 and 7)");
}

TEST(Dates, ADayPastTheMonthOrALeapSecondIsRefusedNotRolledOver) {
  EXPECT_FALSE(io::parse_timestamp("2025-02-31"));  // was 2025-03-03
  EXPECT_FALSE(io::parse_timestamp("2025-04-31T00:00:00"));
  EXPECT_FALSE(io::parse_timestamp("2025-10-06T00:00:60"));  // was 00:01:00
  EXPECT_EQ(io::parse_timestamp("2024-02-29")->ms, 1709164800000);
  EXPECT_FALSE(io::parse_timestamp("2025-02-29"));
  EXPECT_FALSE(io::parse_timestamp("2100-02-29"));
  EXPECT_TRUE(io::parse_timestamp("2000-02-29"));

  const auto feb = write_file("feb-31.csv", "ts,open,high,low,close\n2025-02-28,10,12,9,11\n2025-02-31,10,12,9,11\n");
  const std::string message = input_error({feb});
  expect_has(message, "feb-31.csv:3: column 'ts' value '2025-02-31'");
  expect_has(message, "day 31 is not in the month (2025-02 has 28 days)");
  const auto leap = write_file("leap-second.csv", "ts,open,high,low,close\n2025-10-06T00:00:60Z,10,12,9,11\n");
  expect_has(input_error({leap}), "second 60 (a leap second) is not a bar time");
}

TEST(Lines, ACarriageReturnOnlyFileIsReadLineByLine) {
  const auto lf = write_file("lf.csv", candles(3));
  std::string cr_text = candles(3);
  for (char& c : cr_text)
    if (c == '\n') c = '\r';
  const auto cr = write_file("cr-only.csv", cr_text);
  const io::MarketData a = io::read_market({lf}), b = io::read_market({cr});
  EXPECT_EQ(b.market.ts, a.market.ts);  // was one header line of 3 fields too many
  EXPECT_EQ(b.market.close, a.market.close);
  EXPECT_EQ(b.origin.line, a.origin.line);
}

TEST(OiAge, OpenInterestThatEndsBeforeTheCandlesBeginIsRefused) {
  const std::int64_t later = kOct6 + 1157LL * 24 * kHourMs;
  const auto market = write_file("late-candles.csv", candles(48, later));
  const auto oi = write_file("early-oi.csv", oi_file("oi", 1e6, 0, 24));
  const std::string message = input_error({market}, {oi});  // was a notice, then a map of one stale value
  expect_has(message, "early-oi.csv: the open interest ends at 2025-10-06T23:00:00Z, 1156 d before the first candle");
  expect_has(message, "the files do not overlap");
}

// Item 15: lower-case t and z are RFC 3339; the near-misses get their own reason.
TEST(TimeMessages, LowerCaseTAndZAreReadAndNearMissesAreNamed) {
  EXPECT_EQ(io::parse_timestamp("2025-10-06t00:00:00z")->ms, kOct6);
  const auto fraction = write_file("fraction.csv", "ts,open,high,low,close\n1759708800.5,10,12,9,11\n");
  expect_has(input_error({fraction}), "this epoch time has a fraction or an exponent: write it as a whole number");
  const auto excel = write_file("excel.csv", "ts,open,high,low,close\n45936.5,10,12,9,11\n");
  expect_has(input_error({excel}), "spreadsheet serial date (days since 1899-12-30: 2025-10-06T12:00:00Z)");
}

TEST(FileMessages, OtherSeparatorsAndUtf16AreSaidAsSuch) {
  // ';' with a header row is read (SpreadsheetsAndExports below); without one it is refused.
  const auto semicolons = write_file("semicolons.csv", "1759708800000;10;12;9;11\n1759712400000;10;12;9;11\n");
  expect_has(input_error({semicolons}), "semicolons.csv:1: the fields are separated by ';' (semicolon), not commas");
  const auto tabs = write_file("tabs.tsv", "ts\topen\thigh\tlow\tclose\n1759708800000\t10\t12\t9\t11\n");
  expect_has(input_error({tabs}), "tabs.tsv:1: the fields are separated by tab, not commas");
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("ts,open,high,low,close\n")) utf16 += std::string(1, c) + '\0';
  const auto wide = write_file("utf16.csv", utf16);
  expect_has(input_error({wide}), "utf16.csv:1: the file is UTF-16 text");
  std::string no_bom;
  for (char c : std::string("ts,open,high,low,close\n")) no_bom += std::string(1, c) + '\0';
  expect_has(input_error({write_file("utf16-no-bom.csv", no_bom)}), "it holds NUL bytes: UTF-16?");
}

TEST(FileMessages, ACandleFileGivenAsOpenInterestIsRefused) {
  const auto market = write_file("as-oi-candles.csv", candles(24));
  expect_has(input_error({market}, {market}), "the same file is given as candles (--market) and as open interest");
  const auto copy = write_file("as-oi-copy.csv", candles(24));
  expect_has(input_error({market}, {copy}), "as-oi-copy.csv:1: open,high,low,close with a 'volume' column is a candle file");
}

#ifdef LIQMAP_HAVE_LIBZIP
TEST(FileMessages, AZipIsToldByItsBytesNotItsName) {
  const std::string path = (liqmap::testing::scratch_dir() / "archive.dat").string();
  const std::string csv = candles(3);
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  zip_file_add(archive, "inside.csv", zip_source_buffer(archive, csv.data(), csv.size(), 0), ZIP_FL_OVERWRITE);
  zip_close(archive);
  EXPECT_EQ(io::read_market({path}).market.size(), 3u);  // was 'the file has no header row' quoting PK bytes

  const auto not_zip = write_file("plain-text.zip", candles(3));
  try {
    io::read_market({not_zip});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    expect_has(e.what(), "cannot open zip archive '" + not_zip + "': Not a zip archive");
  }
}
#endif

}  // namespace

// Column names and separators as spreadsheets and exports write them (issue 27 item 11): Binance's
// website export, pandas' short names, European Excel's ';'; two aliases of one field refused.
TEST(FileMessages, SpreadsheetsAndExportsAreReadByTheirAliases) {
  const std::string rows = "1759708800000,10,12,9,11,5\n1759712400000,11,13,10,12,6\n";
  for (const std::string header : {"Open Time,Open,High,Low,Close,Volume", "date,o,h,l,c,v", "Datetime,O,H,L,C,Vol"}) {
    const auto path = write_file("alias-" + std::to_string(header.size()) + ".csv", header + "\n" + rows);
    const liqmap::io::MarketData data = liqmap::io::read_market({path});
    ASSERT_EQ(data.market.size(), 2u) << header;
    EXPECT_EQ(data.market.high[1], 13) << header;
    EXPECT_EQ(data.market.volume[1], 6) << header;
  }
  const auto semicolons = write_file("semicolon-header.csv", "date;open;high;low;close;volume\n"
                                                             "2025-10-06T00:00:00Z;10;12;9;11;5\n"
                                                             "2025-10-06T01:00:00Z;11;13;10;12;6\n");
  const liqmap::io::MarketData data = liqmap::io::read_market({semicolons});
  ASSERT_EQ(data.market.size(), 2u);
  EXPECT_EQ(data.market.close[1], 12);
  // A decimal comma under ';' is a cell that is not a number, named by line and column.
  const auto decimal = write_file("decimal-comma.csv", "date;open;high;low;close\n2025-10-06T00:00:00Z;10,5;12;9;11\n");
  expect_has(input_error({decimal}), "decimal-comma.csv:2: column 'open' value '10,5': must be a number");
  const auto two = write_file("two-volumes.csv", "date,o,h,l,c,v,vol\n1759708800000,10,12,9,11,5,5\n");
  expect_has(input_error({two}), "two-volumes.csv:1: columns 6 ('v') and 7 ('vol') could both be the volume: which one is "
                                 "meant is ambiguous");
  const auto times = write_file("two-times.csv", "date,datetime,open,high,low,close\n1759708800000,1759708800000,10,12,9,11\n");
  expect_has(input_error({times}), "two-times.csv:1: columns 1 ('date') and 2 ('datetime') could both be the time");
}
