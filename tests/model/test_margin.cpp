// Liquidation prices against the worked examples of shared/reference/margin.md, to the cent.
#include <gtest/gtest.h>

#include "liqmap/error.hpp"
#include "liqmap/schedule.hpp"
#include "model/schedule_flat.hpp"

namespace {

using liqmap::model::kLong;
using liqmap::model::kShort;
using liqmap::testing::Flat;
using liqmap::testing::flatten;
using liqmap::testing::position_price;

using Vector = liqmap::testing::WorkedExample;

class WorkedExamples : public ::testing::TestWithParam<Vector> {};

TEST_P(WorkedExamples, MatchToTheCent) { liqmap::testing::expect_worked_example(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    MarginReference, WorkedExamples,
    ::testing::Values(Vector{"binance-usdm-btcusdt", 60000, 10, 60000, 54221.11, 65721.39},
                      Vector{"binance-usdm-btcusdt", 60000, 20, 300000, 57276.38, 62696.52},
                      Vector{"binance-usdm-btcusdt", 60000, 10, 6000000, 54429.80, 65459.90},
                      Vector{"binance-usdm-btcusdt", 60000, 10, 10000, 54216.87, 65737.05},
                      Vector{"binance-usdm-btcusdt", 60000, 125, 700000, 59505.36, 60488.25},
                      Vector{"binance-usdm-btcusdt", 95000, 3, 20000000, 63988.72, 124795.15},
                      Vector{"hyperliquid-btc", 60000, 10, 60000, 54683.54, 65185.19},
                      Vector{"hyperliquid-btc", 60000, 40, 60000, 59240.51, 60740.74},
                      Vector{"okx-swap-btc-usdt", 60000, 10, 60000, 54244.10, 65704.33}));

TEST(Margin, BybitEntryBasisMatchesBybitsOwnExample) {
  const Flat f = flatten(liqmap::load_schedule("bybit-linear-btcusdt"));
  EXPECT_NEAR(position_price(f, kLong, 20000, 50, 20000), 19700.00, 0.005);
  EXPECT_NEAR(position_price(f, kShort, 20000, 50, 20000), 20300.00, 0.005);
}

TEST(Margin, InverseMarkBasisMatchesBybitUtaFormula) {
  // margin.md: inverse, mark basis, E 50,000, 10x, V 60,000, 0.5% / 0.
  EXPECT_NEAR(liqmap::model::inverse_mark_price(kLong, 50000, 10, 60000, 0.005, 0), 45681.82, 0.005);
  EXPECT_NEAR(liqmap::model::inverse_mark_price(kShort, 50000, 10, 60000, 0.005, 0), 55277.78, 0.005);
}

TEST(Margin, BinanceCoinMMatchesBinancesCalculator) {
  // WB 101 BTC, long $10,000,000 at 45,000, MMR 12.5%, cum 11.605 BTC -> 33,599.42 (Binance's
  // calculator says 33,599.40). Wallet balance WB = V / (L E), so L = V / (WB E).
  const double leverage = 10000000.0 / (101.0 * 45000.0);
  EXPECT_NEAR(liqmap::model::inverse_mark_price(kLong, 45000, leverage, 10000000, 0.125, 11.605), 33599.42, 0.005);
}

TEST(Margin, BinanceCoinMTierOne) {
  // margin.md V5: 100 contracts ($10,000) at 50,000, 10x, tier 1 0.4%.
  const Flat f = flatten(liqmap::load_schedule("binance-coinm-btcusd"));
  EXPECT_NEAR(position_price(f, kLong, 50000, 10, 10000), 45636.36, 0.005);
  EXPECT_NEAR(position_price(f, kShort, 50000, 10, 10000), 55333.33, 0.005);
}

TEST(Margin, LeverageAboveTheBracketMaximumIsCapped) {
  const Flat binance = flatten(liqmap::load_schedule("binance-usdm-btcusdt"));
  // $700k sits in the 75x bracket; $10k in the 125x one.
  EXPECT_DOUBLE_EQ(liqmap::model::capped_leverage(binance.rows.data(), binance.ex, 60000, 700000, 125), 75);
  EXPECT_DOUBLE_EQ(liqmap::model::capped_leverage(binance.rows.data(), binance.ex, 60000, 10000, 125), 125);
  EXPECT_DOUBLE_EQ(liqmap::model::capped_leverage(binance.rows.data(), binance.ex, 60000, 10000, 20), 20);
  const Flat hyperliquid = flatten(liqmap::load_schedule("hyperliquid-btc"));
  EXPECT_DOUBLE_EQ(liqmap::model::capped_leverage(hyperliquid.rows.data(), hyperliquid.ex, 60000, 1e6, 100), 40);
}

TEST(Margin, ShortOfAnInverseContractAtOneTimesCannotBeLiquidated) {
  EXPECT_LE(liqmap::model::inverse_mark_price(kShort, 50000, 1, 10000, 0.004, 0), 0.0);
}

TEST(Schedules, EveryBuiltinScheduleNamesItsSourceAndDate) {
  const auto names = liqmap::builtin_schedule_names();
  EXPECT_GE(names.size(), 5u);
  for (const auto& name : names) {
    const liqmap::Schedule s = liqmap::load_schedule(name);
    EXPECT_EQ(s.name, name);
    EXPECT_FALSE(s.source.empty()) << name;
    EXPECT_EQ(s.as_of.size(), 10u) << name;
    // Maintenance amounts make maintenance margin continuous: c_i = c_{i-1} + floor_i (m_i - m_{i-1}).
    for (std::size_t i = 1; i < s.brackets.size(); ++i) {
      const auto& b = s.brackets[i];
      const auto& prev = s.brackets[i - 1];
      EXPECT_NEAR(b.cum, prev.cum + b.floor * (b.mmr - prev.mmr), 1e-6 * b.cum) << name << " bracket " << i;
    }
  }
}

TEST(Schedules, UnknownNameListsTheKnownOnes) {
  try {
    liqmap::load_schedule("kraken-btc");
    FAIL() << "expected an error";
  } catch (const liqmap::Error& e) {
    EXPECT_EQ(e.code(), liqmap::ErrorCode::config);
    EXPECT_NE(std::string(e.what()).find("binance-usdm-btcusdt"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("kraken-btc"), std::string::npos) << e.what();
  }
}

TEST(Schedules, BadScheduleDocumentsAreRejectedWithTheKey) {
  const auto message = [](const std::string& json) {
    try {
      liqmap::parse_schedule(json, "mine.json");
    } catch (const liqmap::Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string ok_head = R"({"name":"x","source":"s","as_of":"2024-01-01",)";
  EXPECT_NE(message(ok_head + R"("brackets":[]})").find("'brackets'"), std::string::npos);
  EXPECT_NE(message(ok_head + R"("brackets":[{"cap":1,"max_leverage":10}]})").find("'brackets[0].mmr'"), std::string::npos);
  EXPECT_NE(message(ok_head + R"("brackets":[{"cap":1,"max_leverage":10,"mmr":0.01,"typo":1}]})").find("unknown key 'brackets[0].typo'"), std::string::npos);
  EXPECT_NE(message(ok_head + R"("contract":"perp","brackets":[{"cap":1,"max_leverage":10,"mmr":0.01}]})").find("allowed"), std::string::npos);
  EXPECT_EQ(message(ok_head + R"("brackets":[{"cap":1,"max_leverage":10,"mmr":0.01}]})"), "no error");
}

}  // namespace
