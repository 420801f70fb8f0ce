// The ETH and SOL schedules against their worked examples (docs/schedules.md, computed by hand
// from shared/reference/margin.md), and the symbol that picks a schedule.
#include <gtest/gtest.h>

#include "liqmap/config.hpp"
#include "liqmap/error.hpp"
#include "liqmap/schedule.hpp"
#include "model/schedule_flat.hpp"

namespace {

using Vector = liqmap::testing::WorkedExample;

class AssetWorkedExamples : public ::testing::TestWithParam<Vector> {};

TEST_P(AssetWorkedExamples, MatchToTheCent) { liqmap::testing::expect_worked_example(GetParam()); }

// One row per line of docs/schedules.md's table "Worked examples".
INSTANTIATE_TEST_SUITE_P(
    Schedules, AssetWorkedExamples,
    ::testing::Values(Vector{"binance-usdm-ethusdt", 2500, 10, 25000, 2259.04, 2739.04},
                      Vector{"binance-usdm-ethusdt", 2500, 20, 300000, 2386.52, 2612.35},
                      Vector{"binance-usdm-ethusdt", 2500, 100, 1000000, 2480.41, 2519.33},
                      Vector{"binance-usdm-ethusdt", 2500, 5, 590000, 2009.84, 2984.63},
                      Vector{"binance-usdm-ethusdt", 3000, 5, 20000000, 2428.86, 3548.74},
                      Vector{"binance-usdm-solusdt", 150, 10, 15000, 135.68, 164.18},
                      Vector{"binance-usdm-solusdt", 150, 50, 500000, 148.37, 151.60},
                      Vector{"binance-usdm-solusdt", 150, 100, 50000, 148.88, 151.11},
                      Vector{"binance-usdm-solusdt", 200, 3, 10000000, 136.17, 258.32},
                      Vector{"bybit-linear-ethusdt", 2500, 50, 25000, 2462.50, 2537.50},
                      Vector{"bybit-linear-ethusdt", 2500, 10, 25000, 2262.50, 2737.50},
                      Vector{"bybit-linear-solusdt", 150, 25, 15000, 144.75, 155.25},
                      Vector{"bybit-linear-solusdt", 150, 200, 15000, 149.25, 150.75},
                      Vector{"okx-swap-eth-usdt", 2500, 10, 25000, 2260.17, 2737.68},
                      Vector{"okx-swap-eth-usdt", 2500, 125, 25000, 2486.19, 2513.69},
                      Vector{"okx-swap-sol-usdt", 150, 10, 15000, 135.61, 164.26},
                      Vector{"okx-swap-sol-usdt", 150, 75, 15000, 147.66, 152.31},
                      Vector{"hyperliquid-eth", 2500, 10, 25000, 2295.92, 2696.08},
                      Vector{"hyperliquid-eth", 2500, 50, 25000, 2448.98, 2549.02},
                      Vector{"hyperliquid-eth", 2500, 3, 150000000, 1701.15, 3247.31},
                      Vector{"hyperliquid-sol", 150, 10, 15000, 138.46, 160.98},
                      Vector{"hyperliquid-sol", 150, 3, 100000000, 102.56, 192.98},
                      Vector{"hyperliquid-btc", 60000, 3, 240000000, 40544.87, 78506.10}));

TEST(SchedulesForAssets, EveryExchangeHasEthAndSol) {
  for (const char* exchange : {"binance", "bybit", "okx", "hyperliquid"})
    for (const char* asset : {"BTC", "ETH", "SOL"}) {
      const liqmap::Schedule s = liqmap::builtin_schedule_for(exchange, asset, false);
      EXPECT_EQ(liqmap::asset_of_schedule(s), asset) << s.name;
      EXPECT_EQ(s.contract, liqmap::ContractType::linear) << s.name;
    }
  EXPECT_EQ(liqmap::builtin_schedule_for("binance", "BTC", true).name, "binance-coinm-btcusd");
}

TEST(SchedulesForAssets, ACoinWithNoScheduleIsAnErrorListingTheKnownOnes) {
  try {
    liqmap::builtin_schedule_for("binance", "DOGE", false);
    FAIL() << "expected an error";
  } catch (const liqmap::Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), liqmap::ErrorCode::config);
    EXPECT_NE(what.find("DOGE on binance"), std::string::npos) << what;
    EXPECT_NE(what.find("binance-usdm-ethusdt (ETH)"), std::string::npos) << what;
    EXPECT_NE(what.find("hyperliquid-sol (SOL)"), std::string::npos) << what;
  }
}

TEST(Symbols, EveryVenuesFormNamesItsCoin) {
  const auto asset = [](const char* s) { return liqmap::parse_symbol(s).asset; };
  EXPECT_EQ(asset("ETHUSDT"), "ETH");
  EXPECT_EQ(asset("ethusdc"), "ETH");
  EXPECT_EQ(asset("ETH-USDT-SWAP"), "ETH");
  EXPECT_EQ(asset("SOL/USDT:USDT"), "SOL");
  EXPECT_EQ(asset("SOL"), "SOL");
  EXPECT_EQ(asset("1000PEPEUSDT"), "1000PEPE");
  EXPECT_TRUE(liqmap::parse_symbol("BTCUSD_PERP").coin_margined);
  EXPECT_TRUE(liqmap::parse_symbol("BTC-USD-SWAP").coin_margined);
  EXPECT_FALSE(liqmap::parse_symbol("BTC-USDT-SWAP").coin_margined);
  EXPECT_EQ(asset("ETH USDT"), "");
}

TEST(Symbols, TheConfigSymbolPicksTheSchedulesOfExchangesThatNameNone) {
  const liqmap::Config c = liqmap::parse_config(R"({"symbol": "SOL-USDT-SWAP", "exchanges": [
      {"name": "okx", "share": 0.5}, {"name": "hyperliquid", "share": 0.3}, {"name": "bybit", "share": 0.2}]})");
  ASSERT_EQ(c.exchanges.size(), 3u);
  EXPECT_EQ(c.exchanges[0].schedule.name, "okx-swap-sol-usdt");
  EXPECT_EQ(c.exchanges[1].schedule.name, "hyperliquid-sol");
  EXPECT_EQ(c.exchanges[2].schedule.name, "bybit-linear-solusdt");
  EXPECT_EQ(liqmap::parse_config(R"({"symbol": "ETHUSDT"})").exchanges[0].schedule.name, "binance-usdm-ethusdt");
  // Written out and read back, the run keeps its symbol and schedules.
  const liqmap::Config again = liqmap::parse_config(liqmap::config_to_json(c));
  EXPECT_EQ(again.symbol.value_or(""), "SOL-USDT-SWAP");
  EXPECT_EQ(again.exchanges[1].schedule.name, "hyperliquid-sol");
}

TEST(Symbols, ANamedScheduleOfAnotherCoinOrAnUnknownCoinIsRefused) {
  const auto error = [](const std::string& json) {
    try {
      liqmap::parse_config(json, "cfg.json");
    } catch (const liqmap::Error& e) {
      EXPECT_EQ(e.code(), liqmap::ErrorCode::config);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error(R"({"symbol": "ETHUSDT", "exchanges": [{"name": "binance", "schedule": "binance-usdm-btcusdt"}]})")
                .find("symbol says ETH, but exchanges[0].schedule binance-usdm-btcusdt is for BTC"),
            std::string::npos);
  EXPECT_NE(error(R"({"symbol": "DOGEUSDT"})").find("no built-in USD-margined margin schedule for DOGE on binance"),
            std::string::npos);
  EXPECT_NE(error(R"({"exchanges": [{"name": "kraken"}]})").find("'exchanges[0].schedule' is required unless"),
            std::string::npos);
  EXPECT_NE(error(R"({"symbol": "--"})").find("'symbol' must name a coin"), std::string::npos);
}

}  // namespace
