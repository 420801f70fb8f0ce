// Bybit's and OKX's layouts beside Binance's: small hand-made files in the layouts their v5 API
// documentation gives (no downloaded file was available here), told apart by header and width,
// rows newest first as the APIs return them, and every bad cell named by file, line and column.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "io_files.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

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

std::string ts(int hour) { return std::to_string(kOct6 + hour * kHourMs); }

// Bybit GET /v5/market/kline: [startTime, openPrice, highPrice, lowPrice, closePrice, volume,
// turnover], newest first.
std::string bybit_rows() {
  return ts(2) + ",2520,2530,2500,2510,120.5,302455\n" + ts(1) + ",2505,2525,2495,2520,80.25,201430\n" + ts(0) +
         ",2500,2510,2490,2505,100,250300\n";
}

TEST(VenueBybit, KlinesWithTheDocsNamesReadInTimeOrderWithVolumeInCoins) {
  const auto data = io::read_market(
      {write_file("ETHUSDT-60-bybit.csv", "startTime,openPrice,highPrice,lowPrice,closePrice,volume,turnover\n" + bybit_rows())});
  const auto& m = data.market;
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.ts.front(), kOct6);
  EXPECT_DOUBLE_EQ(m.open[0], 2500);
  EXPECT_DOUBLE_EQ(m.high[2], 2530);
  EXPECT_DOUBLE_EQ(m.volume[1], 80.25);
  EXPECT_TRUE(has_notice(data, "read as bybit-klines (linear)")) << data.notices.front();
  EXPECT_TRUE(has_notice(data, "earlier than the row above them"));
}

TEST(VenueBybit, HeaderlessRowsAsTheApiGivesThemAndInverseVolumeFromTurnover) {
  const auto linear = io::read_market({write_file("bybit-ETHUSDT-60.csv", bybit_rows())});
  EXPECT_DOUBLE_EQ(linear.market.volume[0], 100);
  // BTCUSD (inverse): volume counts USD contracts, turnover the coins the model wants.
  const auto inverse = io::read_market({write_file("BTCUSD-60-bybit.csv", ts(0) + ",60000,60100,59900,60050,6000000,100\n")});
  EXPECT_DOUBLE_EQ(inverse.market.volume[0], 100);
  EXPECT_TRUE(has_notice(inverse, "inverse: volume from turnover"));
}

TEST(VenueBybit, OpenInterestJoinsInCoinsForALinearSymbol) {
  const std::string klines = write_file("ETHUSDT-60-bybit-k.csv", bybit_rows());
  const std::string oi = write_file("ETHUSDT-oi.csv", "openInterest,timestamp\n1500,"+ ts(1) + "\n1400," + ts(0) + "\n");
  const auto data = io::read_market({klines}, {oi});
  ASSERT_EQ(data.market.size(), 3u);
  // As-of join: each candle takes the value known at its close (ts(1) for the first).
  EXPECT_DOUBLE_EQ(data.market.oi[0], 1500);
  EXPECT_DOUBLE_EQ(data.market.oi[2], 1500);
  ASSERT_TRUE(data.oi_unit.has_value());
  EXPECT_EQ(*data.oi_unit, OiUnit::base);
  EXPECT_TRUE(has_notice(data, "Bybit's openInterest of a linear symbol"));
}

TEST(VenueBybit, ABadCellIsNamedByFileLineAndTheDocsColumn) {
  const std::string message = input_error({write_file(
      "ETHUSDT-bad.csv", "startTime,openPrice,highPrice,lowPrice,closePrice,volume,turnover\n" + ts(0) +
                             ",2500,abc,2490,2505,100,250300\n")});
  EXPECT_NE(message.find("ETHUSDT-bad.csv:2: column 'highPrice' value 'abc': must be a number"), std::string::npos)
      << message;
  const std::string headerless = input_error({write_file("ETHUSDT-bybit-bad2.csv", ts(0) + ",2500,2510,2490,2505,-1,0\n")});
  EXPECT_NE(headerless.find("ETHUSDT-bybit-bad2.csv:1: column 'field 6 (volume)' value '-1': must be >= 0"),
            std::string::npos)
      << headerless;
}

// OKX GET /api/v5/market/history-candles: [ts, o, h, l, c, vol, volCcy, volCcyQuote, confirm],
// newest first; the newest candle is still open (confirm 0).
std::string okx_rows() {
  return ts(3) + ",2515,2518,2512,2516,40,4,10064,0\n" + ts(2) + ",2520,2530,2500,2510,1205,120.5,302455,1\n" + ts(1) +
         ",2505,2525,2495,2520,802.5,80.25,201430,1\n" + ts(0) + ",2500,2510,2490,2505,1000,100,250300,1\n";
}

TEST(VenueOkx, CandlesReadVolumeInCoinsAndLeaveOutTheOpenCandle) {
  const auto data = io::read_market({write_file("ETH-USDT-SWAP-candles.csv", "ts,o,h,l,c,vol,volCcy,volCcyQuote,confirm\n" + okx_rows())});
  const auto& m = data.market;
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m.ts.back(), kOct6 + 2 * kHourMs);
  EXPECT_DOUBLE_EQ(m.volume[0], 100);   // volCcy, not the 1000 contracts of vol
  EXPECT_DOUBLE_EQ(m.close[1], 2520);
  EXPECT_TRUE(has_notice(data, "left out 1 candle(s) still open (confirm = 0)"));
  EXPECT_TRUE(has_notice(data, "read as okx-candles"));
  // The same rows without a header, and with OKX's download-style "name/中文" header.
  EXPECT_EQ(io::read_market({write_file("ETH-USDT-SWAP-raw.csv", okx_rows())}).market.size(), 3u);
  const auto bilingual = io::read_market({write_file(
      "ETH-USDT-SWAP-zh.csv", "ts/时间,o/开盘价,h/最高价,l/最低价,c/收盘价,vol/成交量,volCcy/成交量币,volCcyQuote/成交额,confirm/确认\n" +
                                  okx_rows())});
  EXPECT_DOUBLE_EQ(bilingual.market.volume[2], 120.5);
}

TEST(VenueOkx, OpenInterestInCoinsByDefaultAndInUsdWhenAsked) {
  const std::string candles = write_file("SOL-USDT-SWAP-c.csv", okx_rows());
  const std::string oi = write_file("SOL-USDT-SWAP-oi.csv", "ts,oi,oiCcy,oiUsd\n" + ts(1) + ",5000,500,1260000\n" + ts(0) +
                                                                ",4000,400,1002000\n");
  const auto coins = io::read_market({candles}, {oi});
  EXPECT_DOUBLE_EQ(coins.market.oi[0], 500);  // oiCcy known at the first close, not 5000 contracts
  EXPECT_EQ(*coins.oi_unit, OiUnit::base);
  io::ReadOptions usd;
  usd.oi_unit = OiUnit::quote;
  const auto quote = io::read_market({candles}, {oi}, usd);
  EXPECT_DOUBLE_EQ(quote.market.oi[1], 1260000);
  // Headerless rows as the API returns them.
  const std::string raw = write_file("SOL-USDT-SWAP-oi-raw.csv", ts(1) + ",5000,500,1260000\n" + ts(0) + ",4000,400,1002000\n");
  EXPECT_DOUBLE_EQ(io::read_market({candles}, {raw}).market.oi[2], 500);
}

TEST(VenueOkx, BadCellsAndMisplacedFilesAreNamed) {
  const std::string flag = input_error({write_file("ETH-USDT-SWAP-flag.csv", ts(0) + ",2500,2510,2490,2505,1000,100,250300,1\n" +
                                                                               ts(1) + ",2505,2525,2495,2520,802,80,201430,x\n")});
  EXPECT_NE(flag.find("ETH-USDT-SWAP-flag.csv:2: column 'confirm' value 'x': must be 0"), std::string::npos) << flag;
  const std::string confirm = input_error({write_file(
      "ETH-USDT-SWAP-conf.csv", "ts,o,h,l,c,vol,volCcy,volCcyQuote,confirm\n" + ts(0) + ",2500,2510,2490,2505,1000,100,250300,2\n")});
  EXPECT_NE(confirm.find("ETH-USDT-SWAP-conf.csv:2: column 'confirm' value '2': must be 0 (candle still open) or 1"),
            std::string::npos)
      << confirm;
  const std::string low = input_error({write_file("ETH-USDT-SWAP-low.csv", ts(0) + ",2500,2510,2508,2505,1000,100,250300,1\n")});
  EXPECT_NE(low.find("ETH-USDT-SWAP-low.csv:1: column 'low' value '2508': must be <= min(open, close)"), std::string::npos)
      << low;
  const std::string oi_as_candles = input_error({write_file("ETH-USDT-SWAP-oi2.csv", "ts,oi,oiCcy,oiUsd\n" + ts(0) + ",1,2,3\n")});
  EXPECT_NE(oi_as_candles.find("a okx-open-interest file holds open interest, not candles: pass it with --oi"),
            std::string::npos)
      << oi_as_candles;
  const std::string eight = input_error({write_file("eight-okx.csv", ts(0) + ",1,2,3,4,5,6,7\n")});
  EXPECT_NE(eight.find("eight-okx.csv:1: the file has no header row"), std::string::npos) << eight;
  // Seven headerless fields in a file not named for Bybit are not taken for Bybit's klines.
  const std::string seven = input_error({write_file("ETHUSDT-7.csv", bybit_rows())});
  EXPECT_NE(seven.find("Bybit's 7-column klines in a file named *bybit*"), std::string::npos) << seven;
}

TEST(VenueSymbols, FileNamesOfEveryVenueNameTheirCoin) {
  EXPECT_EQ(io::asset_of_file("data/ETH-USDT-SWAP-candles-2025-10-01.csv"), "ETH");
  EXPECT_EQ(io::asset_of_file("ETHUSDT-1h-2025-10.zip"), "ETH");
  EXPECT_EQ(io::asset_of_file("ETHUSDT2025-10-01.csv.gz"), "ETH");  // public.bybit.com
  EXPECT_EQ(io::asset_of_file("solusdt_4h.csv"), "SOL");
  EXPECT_EQ(io::asset_of_file("SOL-1h.csv"), "SOL");                 // Hyperliquid's bare coin
  EXPECT_EQ(io::asset_of_file("DOGEUSDT-1h.csv"), "DOGE");           // a coin without a schedule is still named
  EXPECT_EQ(io::asset_of_file("prices-1h.csv"), "");                 // a bare word is not a coin
  EXPECT_EQ(io::asset_of_file("my.csv"), "");
  EXPECT_TRUE(io::symbol_of_file("BTCUSD_PERP-1h-2025-10.zip").coin_margined);
  EXPECT_TRUE(io::symbol_of_file("BTC-USD-SWAP-oi.csv").coin_margined);
  EXPECT_FALSE(io::symbol_of_file("BTC-USDT-SWAP-oi.csv").coin_margined);
  // Words of data files that are never coins (issue 27 item 3).
  for (const char* name : {"oi_usd_4h.csv", "OI-USDT.csv", "usd_1h.csv", "USDT-1h.csv", "1h-USD.csv", "4H_USDT.csv",
                           "funding-usd.csv", "binance_usdt.csv", "oiusd.csv"})
    EXPECT_EQ(io::asset_of_file(name), "") << name;
  EXPECT_EQ(io::asset_of_file("1INCH-USDT-SWAP.csv"), "1INCH");  // a coin may start with a digit
}

}  // namespace
