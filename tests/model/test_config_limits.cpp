// Configurations that used to fail badly (issue 18, point 4): raw JSON-library errors, doubled
// prefixes, sums that overflow, absurd counts, price ranges narrower than the bins can resolve.
#include <gtest/gtest.h>

#include <string>

#include "liqmap/config.hpp"
#include "liqmap/engine.hpp"
#include "liqmap/error.hpp"
#include "liqmap/market.hpp"

namespace {

using namespace liqmap;

std::string config_error(const std::string& json, const std::string& where = "cfg.json") {
  try {
    parse_config(json, where);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for " << json.substr(0, 200);
  return "";
}

std::string many(const std::string& item, int count) {
  std::string list = "[";
  for (int i = 0; i < count; ++i) list += (i ? "," : "") + item;
  return list + "]";
}

TEST(ConfigLimits, ANumberNoDoubleHoldsIsAConfigErrorNotTheLibrarysText) {
  const std::string message = config_error(R"({"grid": {"range_margin": 1e400}})");
  EXPECT_EQ(message.rfind("cfg.json: not valid JSON: number overflow parsing '1e400'", 0), 0u) << message;
  EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;
  EXPECT_NE(config_error("{\"grid\": ").find("cfg.json: not valid JSON: parse error at line 1"), std::string::npos);
}

TEST(ConfigLimits, TheFileNameIsTheOnlyPrefix) {
  const std::string message = config_error(R"({"leverage": [{"x": 0.5, "w": 1}]})", "c.json");
  EXPECT_EQ(message, "c.json: 'leverage[0].x' must be a leverage in [1, 1000]");
}

TEST(ConfigLimits, WeightsOrSharesThatSumToInfinityAreRefused) {
  // Each is finite; their sum is not, and every tier's weight / sum was 0: nothing opened.
  EXPECT_NE(config_error(R"({"leverage": [{"x": 5, "w": 1e308}, {"x": 10, "w": 1e308}]})")
                .find("'leverage' weights 'w' must sum to a finite number"),
            std::string::npos);
  EXPECT_NE(config_error(R"({"exchanges": [{"share": 1e308, "schedule": "hyperliquid-btc"},
                                           {"share": 1e308, "schedule": "hyperliquid-btc"}]})")
                .find("'exchanges' shares must sum to a finite number"),
            std::string::npos);
}

TEST(ConfigLimits, ThousandsOfTiersOrExchangesAreRefusedUpFront) {
  EXPECT_NE(config_error("{\"leverage\": " + many(R"({"x": 5, "w": 1})", 100000) + "}")
                .find("'leverage' holds 100000 tiers; at most 64"),
            std::string::npos);
  EXPECT_NE(config_error("{\"exchanges\": " + many(R"({"schedule": "hyperliquid-btc"})", 20000) + "}")
                .find("'exchanges' holds 20000 exchanges; at most 64"),
            std::string::npos);
  EXPECT_NO_THROW(parse_config("{\"leverage\": " + many(R"({"x": 5, "w": 1})", 64) + "}"));
}

TEST(ConfigLimits, APriceRangeAFewUlpsWideIsRefused) {
  // Was a hang: the picture's tick loop never moved past 100.
  const std::string message = config_error(R"({"grid": {"price_min": 100, "price_max": 100.00000000000001}})");
  EXPECT_NE(message.find("'grid.price_max' leaves 2048 bin(s)"), std::string::npos) << message;
  EXPECT_NE(message.find("at least 1e-12 of the price"), std::string::npos) << message;
  EXPECT_NO_THROW(parse_config(R"({"grid": {"price_min": 100, "price_max": 100.001, "price_bins": 1000}})"));
}

TEST(ConfigLimits, EchoedValuesAreCut) {
  const std::string message = config_error("{\"grid\": {\"price_scale\": \"" + std::string(100000, 'x') + "\"}}");
  EXPECT_LT(message.size(), 300u);
  EXPECT_NE(message.find("(100002 characters)"), std::string::npos) << message;
  EXPECT_NE(config_error(R"({"grid": {"price_bins": 18446744073709551615}})").find("is too large"), std::string::npos);
}

// Through the C or C++ API a market skips the readers' 1990..2200 rule; a span wider than 2^63
// ms must still be refused before any step loop or difference sees it.
TEST(MarketLimits, TimesBeyondTwoToThe53MillisecondsAreRefused) {
  Market m;
  m.ts = {-(std::int64_t(1) << 62), std::int64_t(1) << 62};
  m.open = m.high = m.low = m.close = {10, 10};
  try {
    validate_market(m, RowOrigin{"api", {}});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    EXPECT_NE(std::string(e.what()).find("api:1: column 'ts'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("within +-2^53"), std::string::npos) << e.what();
  }
  m.ts = {0, 60000};
  EXPECT_NO_THROW(validate_market(m));
}

}  // namespace

// One table of limits (model/config_rules.hpp): a Config built in C++ (or through the C API)
// is held to the same bounds as the JSON reader, with the same message.
TEST(ConfigLimits, CppAndJsonRefuseTheSameCounts) {
  Config config = default_config();
  config.positions.samples_per_step = 1 << 21;
  Market market;
  market.ts = {1767225600000, 1767225660000};
  market.open = market.high = market.low = market.close = {100, 100};
  market.volume = {1, 1};
  std::string cpp;
  try {
    compute(market, config);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    cpp = e.what();
  }
  EXPECT_NE(cpp.find("'positions.samples_per_step' must be an integer in [1, 1048576], got 2097152"), std::string::npos) << cpp;
  EXPECT_NE(config_error(R"({"positions": {"samples_per_step": 2097152}})")
                .find("'positions.samples_per_step' must be an integer in [1, 1048576], got 2097152"),
            std::string::npos);
}
