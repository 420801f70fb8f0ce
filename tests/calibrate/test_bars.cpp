// The bar `score` and `calibrate` compare at: the realized file's spacing detected and checked,
// coarser bars summed from it, and the venues on each side stated.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "calibrate/bars.hpp"
#include "liqmap/config.hpp"
#include "liqmap/error.hpp"

namespace liqmap {
namespace {

constexpr std::int64_t kHour = 3600000;

calibrate::RealizedBars hourly(const std::vector<std::int64_t>& hours) {
  calibrate::RealizedBars b;
  for (std::int64_t h : hours) {
    b.ts.push_back(h * kHour);
    b.long_usd.push_back(double(h));
    b.short_usd.push_back(10.0 * double(h));
  }
  return b;
}

std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::input);
    return e.what();
  }
  ADD_FAILURE() << "expected an input error";
  return "";
}

TEST(Bars, BarLengthsAreParsedAndWrittenBack) {
  EXPECT_EQ(calibrate::parse_bar("1h", "--bar"), kHour);
  EXPECT_EQ(calibrate::parse_bar("4h", "--bar"), 4 * kHour);
  EXPECT_EQ(calibrate::parse_bar("5m", "--bar"), 300000);
  EXPECT_EQ(calibrate::parse_bar("1d", "--bar"), 24 * kHour);
  EXPECT_EQ(calibrate::format_bar(4 * kHour), "4h");
  EXPECT_EQ(calibrate::format_bar(900000), "15m");
  EXPECT_EQ(calibrate::format_bar(24 * kHour), "1d");
  for (const char* bad : {"", "h", "0h", "4", "4x", "-1h", "1.5h"})
    EXPECT_NE(input_error([&] { calibrate::parse_bar(bad, "--bar"); }).find("--bar '"), std::string::npos) << bad;
}

TEST(Bars, TheSpacingIsTheSmallestGapAndMissingBarsAreAllowed) {
  EXPECT_EQ(calibrate::realized_spacing(hourly({0, 1, 2, 3, 5, 6, 7}), "r.csv"), kHour);  // hour 4 missing
  EXPECT_EQ(calibrate::realized_spacing(hourly({0, 4, 8, 12, 20}), "r.csv"), 4 * kHour);
}

TEST(Bars, IrregularOrAmbiguousSpacingIsRefused) {
  calibrate::RealizedBars odd = hourly({0, 1, 2, 3});
  odd.ts[3] = odd.ts[2] + kHour + kHour / 2;  // 1.5 h after the last
  const std::string irregular = input_error([&] { calibrate::realized_spacing(odd, "r.csv"); });
  EXPECT_NE(irregular.find("r.csv: irregular bars: 1.5 h between"), std::string::npos) << irregular;
  // 4h bars with one hourly row among them: the smallest gap (1h) is not the file's bar.
  const std::string ambiguous = input_error([&] { calibrate::realized_spacing(hourly({0, 4, 5, 8, 12}), "r.csv"); });
  EXPECT_NE(ambiguous.find("ambiguous bar size"), std::string::npos) << ambiguous;
  EXPECT_NE(ambiguous.find("--bar"), std::string::npos) << ambiguous;
}

TEST(Bars, HourlyBarsAreSummedIntoFourHourBarsAndIncompleteOnesLeftOut) {
  // Hours 2..13 with hour 9 missing: 4h bars at 0 (hours 2, 3 only: incomplete), 4 (4..7), 8 (9 missing), 12 (12, 13).
  const calibrate::RealizedBars b = hourly({2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15});
  std::size_t dropped = 0;
  const calibrate::RealizedBars four = calibrate::to_bars(b, kHour, 4 * kHour, "r.csv", &dropped);
  EXPECT_EQ(four.bar_ms, 4 * kHour);
  EXPECT_EQ(four.ts, (std::vector<std::int64_t>{4 * kHour, 12 * kHour}));
  EXPECT_EQ(four.long_usd, (std::vector<double>{4 + 5 + 6 + 7, 12 + 13 + 14 + 15}));
  EXPECT_EQ(four.short_usd, (std::vector<double>{220, 540}));
  EXPECT_EQ(dropped, 2u);
  const calibrate::RealizedBars same = calibrate::to_bars(b, kHour, kHour, "r.csv", &dropped);
  EXPECT_EQ(same.ts, b.ts);
  EXPECT_EQ(dropped, 0u);
  EXPECT_NE(input_error([&] { calibrate::to_bars(b, kHour, kHour / 2, "r.csv"); }).find("cannot be split"), std::string::npos);
  EXPECT_NE(input_error([&] { calibrate::to_bars(b, 4 * kHour, 6 * kHour, "r.csv"); }).find("whole multiple"), std::string::npos);
}

TEST(Bars, StepsFallIntoBarsOfTheStatedLength) {
  // Two 4h bars given by their open times; hourly steps are summed by the bar length, not by the
  // gap between the bars (which is 8h here: one bar missing).
  calibrate::RealizedBars bars;
  bars.ts = {0, 8 * kHour};
  bars.bar_ms = 4 * kHour;
  std::vector<std::int64_t> steps;
  std::vector<double> values;
  for (int h = 0; h < 12; ++h) steps.push_back(h * kHour), values.push_back(1.0);
  std::vector<bool> covered;
  EXPECT_EQ(calibrate::sum_into_bars(steps, values, bars, &covered), (std::vector<double>{4, 4}));
  EXPECT_EQ(covered, (std::vector<bool>{true, true}));
}

TEST(Bars, VenuesAreNormalisedAndTheirRelationStated) {
  EXPECT_EQ(calibrate::parse_venues("OKX, binance,Bybit,okx", "--realized-venues"),
            (std::vector<std::string>{"binance", "bybit", "okx"}));
  EXPECT_NE(input_error([] { calibrate::parse_venues("binance,,okx", "--realized-venues"); }).find("empty venue"),
            std::string::npos);
  const std::string differ = calibrate::venue_note({"binance", "bybit", "okx"}, {"binance"});
  EXPECT_NE(differ.find("of binance,bybit,okx against open interest of binance"), std::string::npos) << differ;
  EXPECT_NE(differ.find("constant share"), std::string::npos) << differ;
  EXPECT_NE(calibrate::venue_note({"binance"}, {"binance"}).find("same venues"), std::string::npos);
  EXPECT_NE(calibrate::venue_note({}, {"binance"}).find("not stated"), std::string::npos);
}

// The measured option of docs/model.md section 7 is a valid config with the 125x tier.
TEST(Bars, TheExampleConfigWithA125xTierLoads) {
  const Config c = load_config_file(std::string(LIQMAP_SOURCE_DIR) + "/examples/config-125x.json");
  ASSERT_EQ(c.leverage.size(), 6u);
  EXPECT_EQ(c.leverage.back().x, 125.0);
  double sum = 0;
  for (const auto& tier : c.leverage) sum += tier.w;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

}  // namespace
}  // namespace liqmap
