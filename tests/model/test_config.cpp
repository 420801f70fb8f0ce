// The configuration of MODEL.md section 8 and the market rules of section 1: what is accepted,
// and the message for what is not.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "liqmap/config.hpp"
#include "liqmap/error.hpp"
#include "liqmap/market.hpp"

namespace {

using namespace liqmap;

std::string config_error(const std::string& json) {
  try {
    parse_config(json, "cfg.json");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::config);
    return e.what();
  }
  return "no error";
}

std::string config_text_of(const Config& c) { return config_to_json(c); }

void expect_mentions(const std::string& message, const std::string& part) {
  EXPECT_NE(message.find(part), std::string::npos) << "message: " << message << "\nexpected to mention: " << part;
}

TEST(Config, EmptyObjectGivesTheDocumentedDefaults) {
  const Config c = parse_config("{}");
  EXPECT_EQ(c.grid.price_bins, 2048);
  EXPECT_EQ(c.grid.price_scale, PriceScale::linear);
  EXPECT_DOUBLE_EQ(c.grid.range_margin, 0.3);
  EXPECT_EQ(c.positions.samples_per_step, 64);
  EXPECT_EQ(c.positions.entry, EntryMode::uniform);
  EXPECT_EQ(c.positions.seed, 1u);
  EXPECT_DOUBLE_EQ(c.positions.size_median_usd, 10000);
  EXPECT_DOUBLE_EQ(c.positions.size_sigma, 1.0);
  EXPECT_DOUBLE_EQ(c.long_share, 0.5);
  ASSERT_EQ(c.leverage.size(), 5u);
  EXPECT_DOUBLE_EQ(c.leverage[2].x, 25);
  EXPECT_DOUBLE_EQ(c.leverage[2].w, 0.25);
  ASSERT_EQ(c.exchanges.size(), 1u);
  EXPECT_EQ(c.exchanges[0].schedule.name, "binance-usdm-btcusdt");
  EXPECT_EQ(c.flow.source, FlowSource::automatic);
  EXPECT_EQ(c.flow.oi_unit, OiUnit::base);
  EXPECT_DOUBLE_EQ(c.flow.volume_open_fraction, 0.1);
  EXPECT_FALSE(c.flow.half_life_hours.has_value());
  EXPECT_DOUBLE_EQ(c.smoothing.sigma_price_bins, 1.0);
  EXPECT_EQ(c.clusters.column, -1);
  EXPECT_DOUBLE_EQ(c.clusters.min_prominence, 0.05);
  EXPECT_DOUBLE_EQ(c.clusters.zone_level, 0.25);
  EXPECT_EQ(c.clusters.top, 10);
}

TEST(Config, FullDocumentRoundTrips) {
  const Config c = parse_config(R"({
    "grid": {"price_bins": 512, "price_min": 50000, "price_max": 90000, "price_scale": "log", "range_margin": 0.1},
    "positions": {"samples_per_step": 16, "entry": "triangular", "seed": 7, "size": {"median_usd": 5000, "sigma": 0.5}},
    "sides": {"long_share": 0.6},
    "leverage": [{"x": 20, "w": 2}, {"x": 50, "w": 1}],
    "exchanges": [{"name": "a", "share": 3, "schedule": "okx-swap-btc-usdt"},
                  {"name": "b", "share": 1, "schedule": {"name": "mine", "source": "me", "as_of": "2026-01-01",
                   "brackets": [{"cap": 1e9, "max_leverage": 20, "mmr": 0.01}]}}],
    "flow": {"source": "volume", "oi_unit": "quote", "volume_open_fraction": 0.2, "half_life_hours": 12},
    "smoothing": {"sigma_price_bins": 2, "sigma_time_steps": 1},
    "clusters": {"column": 5, "min_prominence": 0.1, "zone_level": 0.3, "top": 3}})");
  EXPECT_EQ(c.grid.price_bins, 512);
  EXPECT_EQ(c.grid.price_scale, PriceScale::log);
  EXPECT_EQ(*c.grid.price_min, 50000);
  EXPECT_EQ(c.positions.entry, EntryMode::triangular);
  EXPECT_EQ(c.exchanges[1].schedule.name, "mine");
  EXPECT_EQ(c.exchanges[1].schedule.brackets[0].max_leverage, 20);
  EXPECT_EQ(*c.flow.half_life_hours, 12);
  EXPECT_EQ(c.clusters.top, 3);
  const Config rerun = parse_config(config_to_json(c));  // the inline schedule survives
  EXPECT_EQ(rerun.exchanges[1].schedule.name, "mine");
  EXPECT_EQ(rerun.exchanges[1].schedule.brackets[0].mmr, 0.01);
  EXPECT_EQ(rerun.exchanges[0].schedule.name, "okx-swap-btc-usdt");
  const Config again = parse_config(config_to_json(parse_config(R"({"grid": {"price_bins": 77}, "sides": {"long_share": 0.25}})")));
  EXPECT_EQ(again.grid.price_bins, 77);
  EXPECT_DOUBLE_EQ(again.long_share, 0.25);
}

TEST(Config, ErrorsNameTheKeyAndWhatIsAllowed) {
  expect_mentions(config_error(R"({"grid": {"price_bin": 10}})"), "unknown key 'grid.price_bin'");
  expect_mentions(config_error(R"({"grid": {"price_bin": 10}})"), "price_bins");
  expect_mentions(config_error(R"({"gird": {}})"), "unknown key 'gird'");
  expect_mentions(config_error(R"({"grid": {"price_bins": "many"}})"), "'grid.price_bins' must be an integer");
  expect_mentions(config_error(R"({"grid": {"price_bins": -5}})"), "'grid.price_bins' must be an integer in [1,");
  expect_mentions(config_error(R"({"grid": {"price_scale": "sqrt"}})"), "\"linear\", \"log\"");
  expect_mentions(config_error(R"({"leverage": [{"x": 10, "w": 0}, {"x": 20, "w": 0}]})"), "sum to a positive number");
  expect_mentions(config_error(R"({"leverage": [{"x": 10}]})"), "'leverage[0].w' is required");
  expect_mentions(config_error(R"({"exchanges": [{"name": "k", "schedule": "kraken"}]})"), "known schedules: ");
  expect_mentions(config_error(R"({"exchanges": [{"name": "k", "share": 0, "schedule": "hyperliquid-btc"}]})"), "shares must sum");
  expect_mentions(config_error(R"({"sides": {"long_share": 1.5}})"), "'sides.long_share' must be in [0, 1]");
  expect_mentions(config_error(R"({"flow": {"half_life_hours": -1}})"), "flow.half_life_hours");
  expect_mentions(config_error(R"({"grid": {"price_min": 10, "price_max": 5}})"), "grid.price_max");
  expect_mentions(config_error(R"({"grid": )"), "not valid JSON");
  expect_mentions(config_error(R"([1, 2])"), "must be a JSON object");
  expect_mentions(config_error(R"({"grid": {"price_bins": 10}})"), "no error");
}

TEST(Config, VenuesAreParsedStrictly) {
  const Config c = parse_config(R"({"venues": [{"name": "bybit", "market": "b.csv", "oi": ["o1.csv", "o2.csv"],
                                                "schedule": "bybit-linear-btcusdt", "long_share": 0.6, "contract": "linear"}]})");
  ASSERT_EQ(c.venues.size(), 1u);
  EXPECT_EQ(c.venues[0].market, std::vector<std::string>{"b.csv"});
  EXPECT_EQ(c.venues[0].oi.size(), 2u);
  EXPECT_EQ(c.venues[0].schedule->name, "bybit-linear-btcusdt");
  EXPECT_EQ(*c.venues[0].long_share, 0.6);
  expect_mentions(config_text_of(c), "\"venues\"");
  expect_mentions(config_error(R"({"venues": [{"market": "a.csv"}]})"), "'venues[0].name' is required");
  expect_mentions(config_error(R"({"venues": [{"name": "a/b", "market": "a.csv"}]})"), "without /");
  expect_mentions(config_error(R"({"venues": [{"name": "a"}, {"name": "a"}]})"), "'venues[1].name' \"a\" is given twice");
  expect_mentions(config_error(R"({"venues": [{"name": "a", "market": 5}]})"), "'venues[0].market' must be a path");
  expect_mentions(config_error(R"({"venues": [{"name": "a", "long_share": 2}]})"), "'venues[0].long_share' must be in [0, 1]");
  expect_mentions(config_error(R"({"venues": [{"name": "a", "contract": "perp"}]})"), "\"linear\", \"inverse\"");
  expect_mentions(config_error(R"({"venues": [{"name": "a", "markets": "x"}]})"), "unknown key 'venues[0].markets'");
  expect_mentions(config_error(R"({"venues": {"name": "a"}})"), "'venues' must be an array");
}

TEST(Config, MessagesNameTheFile) {
  expect_mentions(config_error(R"({"gird": {}})"), "cfg.json");
  try {
    load_config_file("/nonexistent/cfg.json");
    FAIL();
  } catch (const Error& e) {
    expect_mentions(e.what(), "/nonexistent/cfg.json");
  }
}

Market good_market() {
  Market m;
  m.ts = {1000, 2000, 3000};
  m.open = {10, 11, 12};
  m.high = {12, 12, 13};
  m.low = {9, 10, 11};
  m.close = {11, 12, 12.5};
  m.oi = {5, 6, 7};
  return m;
}

std::string market_error(const Market& m) {
  RowOrigin origin{"btc.csv", {2, 3, 5}};
  try {
    validate_market(m, origin);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    return e.what();
  }
  return "no error";
}

TEST(MarketRules, EveryRuleOfSectionOneIsCheckedWithFileLineColumnAndRule) {
  EXPECT_EQ(market_error(good_market()), "no error");
  Market m = good_market();
  m.ts[2] = 2000;
  expect_mentions(market_error(m), "btc.csv:5: column 'ts' value 2000: timestamps must be strictly increasing");
  m = good_market();
  m.high[1] = 9;
  expect_mentions(market_error(m), "btc.csv:3: column 'high'");
  m = good_market();
  m.low[0] = 10.5;
  expect_mentions(market_error(m), "btc.csv:2: column 'low' value 10.5: must be <= min(open, close)");
  m = good_market();
  m.close[1] = std::numeric_limits<double>::quiet_NaN();
  expect_mentions(market_error(m), "column 'close' value nan: must be a finite number");
  m = good_market();
  m.open[0] = -1;
  expect_mentions(market_error(m), "column 'open' value -1: must be > 0");
  m = good_market();
  m.oi[2] = -3;
  expect_mentions(market_error(m), "btc.csv:5: column 'oi' value -3: must be >= 0");
  m = good_market();
  m.volume = {1, -1, 1};
  expect_mentions(market_error(m), "column 'volume' value -1: must be >= 0");
  m = good_market();
  m.long_share = {0.5, 1.2, 0.5};
  expect_mentions(market_error(m), "column 'long_share' value 1.2: must be <= 1");
  m = good_market();
  m.close.pop_back();
  expect_mentions(market_error(m), "'close' has 2 values but 'ts' has 3");
  expect_mentions(market_error(Market{}), "no rows");
}

}  // namespace
