// The readers alone: timestamps, each format, merging, the as-of join, zip archives, and every
// rule of MODEL.md section 1 named with file, line, column, value and rule.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

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

constexpr std::int64_t kHourMs = 3600000;
constexpr std::int64_t kOct6 = 1759708800000;  // 2025-10-06T00:00:00Z

TEST(Timestamp, EpochMillisecondsMicrosecondsAndIso) {
  EXPECT_EQ(io::parse_timestamp_ms("1759708800000"), kOct6);
  EXPECT_EQ(io::parse_timestamp_ms("1759708800000000"), kOct6);
  EXPECT_EQ(io::parse_timestamp_ms("2025-10-06T00:00:00"), kOct6);
  EXPECT_EQ(io::parse_timestamp_ms("2025-10-06T00:00:00Z"), kOct6);
  EXPECT_EQ(io::parse_timestamp_ms("2025-10-06 00:00:00"), kOct6);
  EXPECT_EQ(io::parse_timestamp_ms("2025-10-06"), kOct6);
  EXPECT_EQ(io::parse_timestamp_ms("2025-10-06T12:30"), kOct6 + 12 * kHourMs + 30 * 60000);
  EXPECT_EQ(io::parse_timestamp_ms("2025-10-06T00:00:01.25Z"), kOct6 + 1250);
  EXPECT_EQ(io::parse_timestamp_ms("2025-10-06T02:00:00+02:00"), kOct6);
  EXPECT_EQ(io::parse_timestamp_ms("2024-02-29T00:00:00"), 1709164800000);
  EXPECT_EQ(io::parse_timestamp_ms("1759708800"), kOct6);           // seconds
  EXPECT_EQ(io::parse_timestamp_ms("1759708800000000000"), kOct6);  // nanoseconds
  for (const char* bad : {"", "abc", "0", "-1000", "1000", "1970-01-01T00:00:00Z", "9223372036854775807", "2200-01-02", "2025-13-01", "2025-10-06T25:00", "2025-10-06X", "12.5", "2025-10-06T00:00:00Q"})
    EXPECT_FALSE(io::parse_timestamp_ms(bad)) << bad;
}

TEST(Timestamp, FormatsIsoUtcAndRoundTrips) {
  EXPECT_EQ(io::format_timestamp(kOct6 + 12 * kHourMs), "2025-10-06T12:00:00Z");
  EXPECT_EQ(io::format_timestamp(kOct6 + 5), "2025-10-06T00:00:00.005Z");
  for (std::int64_t ms : {kOct6, std::int64_t{951782400123}, std::int64_t{4102444799000}})
    EXPECT_EQ(io::parse_timestamp_ms(io::format_timestamp(ms)), ms);
}

TEST(GenericCsv, HeaderNamesAreCaseInsensitiveWithTimeAliases) {
  for (const char* ts_name : {"ts", "Timestamp", "OPEN_TIME", "time"}) {
    const auto path = write_file(std::string("alias-") + ts_name + ".csv",
                                 std::string(ts_name) + ",Open,HIGH,low,Close,Volume,extra\n"
                                 "2025-10-06T00:00:00,10,12,9,11,5,x\n"
                                 "2025-10-06T01:00:00Z,11,13,10,12,0,y\n");
    const io::MarketData data = io::read_market({path});
    ASSERT_EQ(data.market.size(), 2u) << ts_name;
    EXPECT_EQ(data.market.ts[1], kOct6 + kHourMs);
    EXPECT_EQ(data.market.high[0], 12);
    EXPECT_EQ(data.market.volume[1], 0);
    EXPECT_FALSE(data.market.has_oi());
    EXPECT_EQ(data.origin.line, (std::vector<std::size_t>{2, 3}));
  }
}

TEST(GenericCsv, OptionalColumnsAndEpochTimestamps) {
  const auto path = write_file("optional.csv",
                               "ts,open,high,low,close,oi,long_share\r\n"
                               "1759708800000,10,12,9,11,100,0.6\r\n"
                               "\r\n"
                               "1759712400000000,11,13,10,12,90,0.4\r\n");
  const io::MarketData data = io::read_market({path});
  ASSERT_EQ(data.market.size(), 2u);
  EXPECT_EQ(data.market.ts, (std::vector<std::int64_t>{kOct6, kOct6 + kHourMs}));
  EXPECT_EQ(data.market.oi, (std::vector<double>{100, 90}));
  EXPECT_EQ(data.market.long_share, (std::vector<double>{0.6, 0.4}));
  EXPECT_FALSE(data.market.has_volume());
  EXPECT_EQ(data.origin.line, (std::vector<std::size_t>{2, 4}));
}

TEST(BinanceKlines, HeaderlessUsdMarginedInMilliseconds) {
  const auto path = write_file("BTCUSDT-1h-2025-10-06.csv",
                               "1759708800000,10,12,9,11,5,1759712399999,55,7,2,22,0\n"
                               "1759712400000,11,13,10,12,6,1759715999999,66,8,3,33,0\n");
  const io::MarketData data = io::read_market({path});
  ASSERT_EQ(data.market.size(), 2u);
  EXPECT_EQ(data.market.ts[0], kOct6);
  EXPECT_EQ(data.market.close[1], 12);
  EXPECT_EQ(data.market.volume, (std::vector<double>{5, 6}));
}

TEST(BinanceKlines, WithHeaderAndMicroseconds) {
  const auto path = write_file("klines-us.csv",
                               "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
                               "taker_buy_volume,taker_buy_quote_volume,ignore\n"
                               "1759708800000000,10,12,9,11,5,1759712399999999,55,7,2,22,0\n");
  const io::MarketData data = io::read_market({path});
  ASSERT_EQ(data.market.size(), 1u);
  EXPECT_EQ(data.market.ts[0], kOct6);
  EXPECT_EQ(data.market.volume[0], 5);
}

TEST(BinanceKlines, CoinMarginedVolumeIsInCoins) {
  // COIN-M volume counts USD 100 contracts; base_volume (column 8) is in coins.
  const std::string row = "1759708800000,10,12,9,11,500,1759712399999,45.5,7,2,22,0\n";
  const auto with_header = write_file("coinm-header.csv",
                                      "open_time,open,high,low,close,volume,close_time,base_volume,count,"
                                      "taker_buy_volume,taker_buy_base_volume,ignore\n" + row);
  EXPECT_EQ(io::read_market({with_header}).market.volume[0], 45.5);
  const auto by_name = write_file("BTCUSD_PERP-1h-2025-10-06.csv", row);
  EXPECT_EQ(io::read_market({by_name}).market.volume[0], 45.5);
}

TEST(BinanceMetrics, OpenInterestAndLongShareFromTheAccountRatio) {
  const auto candles = write_file("metrics-candles.csv",
                                  "ts,open,high,low,close\n"
                                  "2025-10-06T00:00:00,10,12,9,11\n"
                                  "2025-10-06T00:05:00,11,13,10,12\n");
  const auto metrics = write_file("BTCUSDT-metrics-2025-10-06.csv",
                                  "create_time,symbol,sum_open_interest,sum_open_interest_value,"
                                  "count_toptrader_long_short_ratio,sum_toptrader_long_short_ratio,"
                                  "count_long_short_ratio,sum_taker_long_short_vol_ratio\n"
                                  "2025-10-06 00:05:00,BTCUSDT,80000,8800000,1.1,1.2,1.5,0.9\n"
                                  "2025-10-06 00:10:00,BTCUSDT,81000,8900000,1.1,1.2,3,0.9\n");
  const io::MarketData data = io::read_market({candles}, {metrics});
  ASSERT_EQ(data.market.size(), 2u);
  EXPECT_EQ(data.market.oi, (std::vector<double>{80000, 81000}));
  EXPECT_DOUBLE_EQ(data.market.long_share[0], 0.6);
  EXPECT_DOUBLE_EQ(data.market.long_share[1], 0.75);
  EXPECT_EQ(data.oi_unit, OiUnit::base);

  io::ReadOptions quote;
  quote.oi_unit = OiUnit::quote;
  const io::MarketData in_usd = io::read_market({candles}, {metrics}, quote);
  EXPECT_EQ(in_usd.market.oi, (std::vector<double>{8800000, 8900000}));
  EXPECT_EQ(in_usd.oi_unit, OiUnit::quote);
}

TEST(BinanceMetrics, ForcedFormatAppliesToTheOpenInterestFiles) {
  const auto candles = write_file("forced-candles.csv", "ts,open,high,low,close\n2025-10-06T00:10:00,10,12,9,11\n");
  const auto metrics = write_file("forced-metrics.csv",
                                  "create_time,symbol,sum_open_interest,sum_open_interest_value,count_long_short_ratio\n"
                                  "2025-10-06 00:05:00,BTCUSDT,80000,8800000,1\n");
  io::ReadOptions forced;
  forced.format = io::MarketFormat::binance_metrics;
  const io::MarketData data = io::read_market({candles}, {metrics}, forced);
  ASSERT_EQ(data.market.size(), 1u);
  EXPECT_EQ(data.market.oi[0], 80000);
  EXPECT_DOUBLE_EQ(data.market.long_share[0], 0.5);
  EXPECT_EQ(io::parse_market_format("binance-metrics"), io::MarketFormat::binance_metrics);
  EXPECT_THROW(io::parse_market_format("csv"), Error);
}

TEST(BinanceMetrics, AsTheCandleFileItIsRefusedWithAHint) {
  const auto metrics = write_file("metrics-alone.csv",
                                  "create_time,symbol,sum_open_interest,sum_open_interest_value\n"
                                  "2025-10-06 00:05:00,BTCUSDT,80000,8800000\n");
  EXPECT_NE(input_error({metrics}).find("pass it with --oi"), std::string::npos);
}

TEST(AsOfJoin, OpenInterestBarsAreUsedOnlyOnceTheyHaveEnded) {
  // Hourly candles from 00:00, four-hour OI bars from 04:00: the bar opened at 04:00 is known at
  // 08:00, so the candle of 07:00 (closing 08:00) is the first with open interest.
  std::string candles = "ts,open,high,low,close,volume\n";
  for (int h = 0; h < 24; ++h)
    candles += std::to_string(kOct6 + h * kHourMs) + ",10,12,9,11,1\n";
  const auto candle_file = write_file("hourly.csv", candles);
  const auto oi_file = write_file("coinglass_oi_4h_test.csv",
                                  "timestamp,open,high,low,close\n"
                                  "2025-10-06T04:00:00,1,1,1,100\n"
                                  "2025-10-06T08:00:00,1,1,1,200\n"
                                  "2025-10-06T16:00:00,1,1,1,400\n");  // 12:00 is missing: a gap
  const io::MarketData data = io::read_market({candle_file}, {oi_file});
  ASSERT_EQ(data.market.size(), 17u);
  EXPECT_EQ(data.market.ts.front(), kOct6 + 7 * kHourMs);
  EXPECT_EQ(data.market.oi[0], 100);                  // candle 07:00, bar 04:00 ended at 08:00
  EXPECT_EQ(data.market.oi[1], 100);                  // candle 08:00 closes 09:00: bar 08:00 not over
  EXPECT_EQ(data.market.oi[4], 200);                  // candle 11:00 closes 12:00
  EXPECT_EQ(data.market.oi[11], 200);                 // candle 18:00: the 12:00 bar is missing
  EXPECT_EQ(data.market.oi[12], 400);                 // candle 19:00 closes 20:00, when bar 16:00 ends
  EXPECT_FALSE(data.oi_unit);  // a file name says nothing; toy prices near 10 leave both units plausible
  EXPECT_TRUE(has_notice(data, "does not tell whether open interest is in coins or USD"));
  EXPECT_TRUE(has_notice(data, "left out 7 candle(s) before the first open-interest value"));
  EXPECT_TRUE(has_notice(data, "carried forward over gaps"));
}

TEST(AsOfJoin, BadOpenInterestRowsAreNamedInTheirOwnFile) {
  const auto candles = write_file("oi-bad-candles.csv", "ts,open,high,low,close\n1759708801000,10,12,9,11\n1759708802000,10,12,9,11\n");
  const auto negative = write_file("oi-negative.csv", "ts,oi\n1759708801000,5\n1759708802000,-5\n");
  std::string message = input_error({candles}, {negative});
  EXPECT_NE(message.find("oi-negative.csv:3: column 'oi' value '-5': must be >= 0"), std::string::npos) << message;
  const auto ohlc = write_file("oi-ohlc.csv", "timestamp,open,high,low,close\n1759708801000,1,1,1,abc\n");
  message = input_error({candles}, {ohlc});
  EXPECT_NE(message.find("oi-ohlc.csv:2: column 'close' value 'abc': must be a number"), std::string::npos) << message;
  const auto no_oi = write_file("oi-none.csv", "ts,price\n1759708801000,5\n");
  EXPECT_NE(input_error({candles}, {no_oi}).find("no open-interest column"), std::string::npos);
}

TEST(AsOfJoin, FilesThatDoNotOverlapAreAnError) {
  const auto candles = write_file("early.csv", "ts,open,high,low,close\n1759708801000,10,12,9,11\n1759708802000,10,12,9,11\n");
  const auto oi = write_file("late-oi.csv", "ts,oi\n1759795200000,5\n");
  EXPECT_NE(input_error({candles}, {oi}).find("do not overlap"), std::string::npos);
}

TEST(ManyFiles, SortedWithExactDuplicatesDropped) {
  const std::string header = "ts,open,high,low,close\n";
  const auto day2 = write_file("many/day2.csv", header + "1759708803000,10,12,9,11\n1759708804000,10,12,9,11\n");
  const auto day1 = write_file("many/day1.csv", header + "1759708801000,10,12,9,11\n1759708802000,10,12,9,11\n1759708803000,10,12,9,11\n");
  const io::MarketData data = io::read_market({day2, day1});
  EXPECT_EQ(data.market.ts, (std::vector<std::int64_t>{1759708801000, 1759708802000, 1759708803000, 1759708804000}));
  EXPECT_TRUE(has_notice(data, "dropped 1 exact duplicate row(s)"));
  EXPECT_EQ(io::expand_paths({(liqmap::testing::scratch_dir() / "many" / "day*.csv").string()}),
            (std::vector<std::string>{day1, day2}));
}

TEST(ManyFiles, ConflictingDuplicatesAreAnErrorNamingBoth) {
  const std::string header = "ts,open,high,low,close\n";
  const auto a = write_file("conflict-a.csv", header + "1759708801000,10,12,9,11\n");
  const auto b = write_file("conflict-b.csv", header + "1759708801000,10,12,9,11.5\n");
  const std::string message = input_error({a, b});
  EXPECT_NE(message.find("conflict-b.csv:2"), std::string::npos) << message;
  EXPECT_NE(message.find("conflict-a.csv:2"), std::string::npos) << message;
  EXPECT_NE(message.find("conflicting duplicate"), std::string::npos) << message;

  io::ReadOptions drop;
  drop.drop_bad_rows = true;
  const io::MarketData kept = io::read_market({a, b}, {}, drop);
  ASSERT_EQ(kept.market.size(), 1u);
  EXPECT_EQ(kept.market.close[0], 11);
  EXPECT_TRUE(has_notice(kept, "dropped 1 row(s)"));
}

TEST(ManyFiles, DifferentColumnsCannotBeMerged) {
  const auto a = write_file("cols-a.csv", "ts,open,high,low,close,volume\n1759708801000,10,12,9,11,1\n");
  const auto b = write_file("cols-b.csv", "ts,open,high,low,close\n1759708802000,10,12,9,11\n");
  EXPECT_NE(input_error({a, b}).find("lacks the 'volume' column"), std::string::npos);
}

// Each malformed input: the message names file:line, column, value and rule.
struct Malformed {
  const char* name;
  const char* text;
  std::vector<const char*> expected;  // parts of the message
};

class MalformedInput : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedInput, IsAnInputErrorNamingWhereAndWhy) {
  const Malformed& c = GetParam();
  const auto path = write_file(std::string(c.name) + ".csv", c.text);
  const std::string message = input_error({path});
  for (const char* part : c.expected) EXPECT_NE(message.find(part), std::string::npos) << part << " not in: " << message;
}

const std::string kHeader = "ts,open,high,low,close,volume,oi\n";
const std::string kGood = "1759708801000,10,12,9,11,5,100\n";

INSTANTIATE_TEST_SUITE_P(
    Rules, MalformedInput,
    ::testing::Values(
        Malformed{"empty", "", {"empty.csv:1", "empty"}},
        Malformed{"header_only", "ts,open,high,low,close\n", {"header_only.csv:1", "header but no rows"}},
        Malformed{"headerless", "1759708801000,10,12,9,11\n", {"headerless.csv:1", "no header row", "'1759708801000'", "5 fields"}},
        // 7 fields with open interest last: not the 12-field kline layout, so not read as one.
        Malformed{"headerless_seven", "1759708800000,10,12,9,11,5,80000\n1759708860000,10,12,9,11,5,80100\n",
                  {"headerless_seven.csv:1", "no header row", "7 fields", "12-column kline layout"}},
        // Binance's layout, but field 7 is no close time after the open time.
        Malformed{"headerless_twelve", "1759708800000,10,12,9,11,5,6,55,7,2,22,0\n",
                  {"headerless_twelve.csv:1", "12-column kline layout"}},
        Malformed{"kline_header_too_narrow", "m\n1\n", {"kline_header_too_narrow.csv:1", "no time column"}},
        Malformed{"ts_before_1990", "ts,open,high,low,close\n1000,10,12,9,11\n",
                  {"ts_before_1990.csv:2", "column 'ts'", "'1000'", "1990 to 2200"}},
        Malformed{"ts_negative", "ts,open,high,low,close\n-1759708800000,10,12,9,11\n",
                  {"ts_negative.csv:2", "column 'ts'", "1990 to 2200"}},
        Malformed{"ts_far_future", "ts,open,high,low,close\n9223372036854775807,10,12,9,11\n",
                  {"ts_far_future.csv:2", "column 'ts'", "1990 to 2200"}},
        Malformed{"missing_column", "ts,open,high,close\n1759708801000,10,12,11\n", {"missing_column.csv:1", "'low'", "required"}},
        Malformed{"no_time_column", "date_x,open,high,low,close\n1,10,12,9,11\n", {"no_time_column.csv:1", "no time column"}},
        Malformed{"non_numeric", "ts,open,high,low,close\n1759708801000,10,12,nine,11\n",
                  {"non_numeric.csv:2", "column 'low'", "value 'nine'", "must be a number"}},
        Malformed{"nan", "ts,open,high,low,close\n1759708801000,10,12,9,nan\n", {"nan.csv:2", "column 'close'", "'nan'", "finite"}},
        Malformed{"inf", "ts,open,high,low,close\n1759708801000,10,inf,9,11\n", {"inf.csv:2", "column 'high'", "'inf'", "finite"}},
        Malformed{"bad_ts", "ts,open,high,low,close\n2025-10-06T12:xx,10,12,9,11\n",
                  {"bad_ts.csv:2", "column 'ts'", "'2025-10-06T12:xx'", "ISO-8601"}},
        Malformed{"conflicting_after_sort",
                  "ts,open,high,low,close\n1759708802000,10,12,9,11\n1759708801000,10,12,9,11\n1759708802000,10,12,9,11.5\n",
                  {"conflicting_after_sort.csv:4", "column 'ts'", "conflicting duplicate", "conflicting_after_sort.csv:2"}},
        Malformed{"high_below_low", "ts,open,high,low,close\n1759708801000,10,8,9,10\n",
                  {"high_below_low.csv:2", "column 'high'", "'8'", "must be >= low (9)"}},
        Malformed{"low_above_open", "ts,open,high,low,close\n1759708801000,10,12,10.5,11\n",
                  {"low_above_open.csv:2", "column 'low'", "'10.5'", "min(open, close)"}},
        Malformed{"zero_price", "ts,open,high,low,close\n1759708801000,0,12,9,11\n", {"zero_price.csv:2", "column 'open'", "'0'", "> 0"}},
        Malformed{"negative_volume", "ts,open,high,low,close,volume\n1759708801000,10,12,9,11,-1\n",
                  {"negative_volume.csv:2", "column 'volume'", "'-1'", ">= 0"}},
        Malformed{"negative_oi", "ts,open,high,low,close,oi\n1759708801000,10,12,9,11,-5\n",
                  {"negative_oi.csv:2", "column 'oi'", "'-5'", ">= 0"}},
        Malformed{"long_share_above_one", "ts,open,high,low,close,long_share\n1759708801000,10,12,9,11,1.5\n",
                  {"long_share_above_one.csv:2", "column 'long_share'", "'1.5'", "<= 1"}},
        Malformed{"short_row", "ts,open,high,low,close\n1759708801000,10,12,9\n", {"short_row.csv:2", "has 4 fields, expected 5"}}),
    [](const ::testing::TestParamInfo<Malformed>& param) { return std::string(param.param.name); });

TEST(DropBadRows, DropsEachBrokenRowAndSaysHowManyAndWhy) {
  const auto path = write_file("drop.csv", kHeader + kGood +
                                               "1759708802000,10,12,9,nan,5,100\n"
                                               "1759708803000,10,12,9,11,-1,100\n"
                                               "1759708804000,10,12,9,11,5,100\n"
                                               "1759708803500,10,12,9,11,5,100\n"
                                               "1759708805000,10,12,9,11,5,-2\n"
                                               "1759708806000,10,12,9,11,5,100\n");
  io::ReadOptions drop;
  drop.drop_bad_rows = true;
  const io::MarketData data = io::read_market({path}, {}, drop);
  // The row of 3.5 s is out of order: sorted in, not dropped.
  EXPECT_EQ(data.market.ts, (std::vector<std::int64_t>{1759708801000, 1759708803500, 1759708804000, 1759708806000}));
  EXPECT_EQ(data.origin.line, (std::vector<std::size_t>{2, 6, 5, 8}));
  EXPECT_TRUE(has_notice(data, "1 row(s) earlier than the row above them (first at line 6): the rows are sorted by time"));
  EXPECT_TRUE(has_notice(data, "dropped 1 row(s) that break the rule 'must be a finite number' (first: " + path + ":3"));
  EXPECT_TRUE(has_notice(data, "dropped 2 row(s) that break the rule 'must be >= 0'"));
}

TEST(Sources, MissingFileIsAnIoErrorNamingIt) {
  try {
    io::read_market({"/nonexistent/market.csv"});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_NE(std::string(e.what()).find("/nonexistent/market.csv"), std::string::npos);
  }
}

#ifdef LIQMAP_HAVE_LIBZIP
TEST(Sources, ReadsTheCsvInsideAZipArchive) {
  const std::string csv = "1759708800000,10,12,9,11,5,1759712399999,55,7,2,22,0\n";
  const std::string path = (liqmap::testing::scratch_dir() / "BTCUSDT-1h-2025-10.zip").string();
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(archive, nullptr);
  zip_source_t* source = zip_source_buffer(archive, csv.data(), csv.size(), 0);
  ASSERT_GE(zip_file_add(archive, "BTCUSDT-1h-2025-10.csv", source, ZIP_FL_OVERWRITE), 0);
  ASSERT_EQ(zip_close(archive), 0);
  const io::MarketData data = io::read_market({path});
  ASSERT_EQ(data.market.size(), 1u);
  EXPECT_EQ(data.market.ts[0], kOct6);
  EXPECT_EQ(data.market.volume[0], 5);
}
#else
TEST(Sources, ZipWithoutLibzipSaysHowToGetIt) {
  const auto path = write_file("x.zip", "PK");
  try {
    io::read_market({path});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("libzip"), std::string::npos) << e.what();
  }
}
#endif

TEST(RealData, CandlesAndCoinglassOpenInterestJoinOutOfTheBox) {
  const auto dir = liqmap::testing::shared_btc_dir();
  if (!std::filesystem::exists(dir / "btcusdt_4h_6year.csv")) GTEST_SKIP() << "no shared BTC data at " << dir;
  const io::MarketData data =
      io::read_market({(dir / "btcusdt_4h_6year.csv").string()}, {(dir / "coinglass_oi_4h.csv").string()});
  ASSERT_EQ(data.market.size(), 1084u);
  EXPECT_EQ(io::format_timestamp(data.market.ts.front()), "2025-10-06T12:00:00Z");
  EXPECT_EQ(io::format_timestamp(data.market.ts.back()), "2026-04-05T00:00:00Z");
  for (std::size_t t = 1; t < data.market.size(); ++t) ASSERT_EQ(data.market.ts[t] - data.market.ts[t - 1], 4 * kHourMs);
  EXPECT_EQ(data.market.oi.front(), 95255789756.0);  // the close of the first OI bar
  EXPECT_EQ(data.oi_unit, OiUnit::quote);
  EXPECT_TRUE(has_notice(data, "left out 12063 candle(s)"));
}

TEST(RealData, TheHourlyFileReadsWhole) {
  const auto path = liqmap::testing::shared_btc_dir() / "btcusdt_1h_5year.csv";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no shared BTC data at " << path;
  const io::MarketData data = io::read_market({path.string()});
  EXPECT_EQ(data.market.size(), 43837u);
  EXPECT_TRUE(data.market.has_volume());
  EXPECT_TRUE(has_notice(data, "skip bars at 5 place(s) (longest: 5 h before 2021-08-13T06:00:00Z)"));
  EXPECT_TRUE(has_notice(data, "1 candle(s) with zero volume"));
}

}  // namespace
