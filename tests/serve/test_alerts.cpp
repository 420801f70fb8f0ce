// The alert rules: the syntax (and its refusals, naming the word), what a rule matches in a
// generation's clusters.json against the latest close, and the edge trigger.
#include <gtest/gtest.h>

#include "liqmap/error.hpp"
#include "serve/alerts.hpp"

namespace liqmap::serve {
namespace {

TEST(AlertSyntax, TheDocumentedFormsAreRead) {
  const AlertRule a = parse_alert("within 1.5% of a cluster >= $200M");
  EXPECT_DOUBLE_EQ(a.within_pct, 1.5);
  EXPECT_FALSE(a.side);
  EXPECT_FALSE(a.zones);
  EXPECT_DOUBLE_EQ(a.min_usd, 200e6);
  const AlertRule b = parse_alert("within 3% of a short cluster >= 1.5B");
  EXPECT_EQ(*b.side, "above");
  EXPECT_DOUBLE_EQ(b.min_usd, 1.5e9);
  EXPECT_EQ(*parse_alert("within 2% of a long zone >= $750k").side, "below");
  EXPECT_TRUE(parse_alert("within 2% of a long zone >= $750k").zones);
  EXPECT_DOUBLE_EQ(parse_alert("within 0.5% of an above cluster").min_usd, 0);
  EXPECT_EQ(parse_alert("  within   1%  of  a cluster ").text, "  within   1%  of  a cluster ");
}

void expect_refused(const std::string& text, const std::string& words) {
  try {
    parse_alert(text);
    ADD_FAILURE() << "'" << text << "' was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_argument);
    const std::string what = e.what();
    EXPECT_NE(what.find(words), std::string::npos) << what;
    EXPECT_NE(what.find("expected: within P% of a"), std::string::npos) << what;
  }
}

TEST(AlertSyntax, WhatDoesNotFitIsRefusedNamingIt) {
  expect_refused("", "it ends where 'within' should come");
  expect_refused("near 1% of a cluster", "must start with 'within'");
  expect_refused("within 1 of a cluster", "'1' is not a distance in percent");
  expect_refused("within -1% of a cluster", "must be above 0%");
  expect_refused("within 101% of a cluster", "at most 100%");
  expect_refused("within 1% from a cluster", "'of' must follow");
  expect_refused("within 1% of a wall", "'wall' is not a side");
  expect_refused("within 1% of a cluster > $5M", "'>' where '>=' or the end should come");
  expect_refused("within 1% of a cluster >= $5X", "'$5X' is not an amount");
  expect_refused("within 1% of a cluster >= ", "it ends where an amount");
  expect_refused("within 1% of a cluster >= $5M now", "'now' after the amount");
  expect_refused("within 1% of a", "it ends where 'cluster' or 'zone'");
}

Snapshot snapshot_with(double close, std::uint64_t generation) {
  Snapshot s;
  s.generation = generation;
  s.run.market.ts = {1767225600000};
  s.run.market.close = {close};
  s.run.result.axes.column_ts = {1767225600000};
  s.clusters = {{"peaks",
                 {{{"price", 101000.0}, {"usd", 250e6}, {"side", "above"}},
                  {{"price", 99000.0}, {"usd", 150e6}, {"side", "below"}},
                  {{"price", 90000.0}, {"usd", 900e6}, {"side", "below"}}}},
                {"zones", {{{"price_low", 99500.0}, {"price_high", 100500.0}, {"usd", 2e9}}}}};
  return s;
}

TEST(AlertMatches, ClustersNearTheLatestCloseAboveTheThreshold) {
  const Snapshot s = snapshot_with(100000, 1);
  auto found = matches(parse_alert("within 1.5% of a cluster >= $200M"), s);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_DOUBLE_EQ(found[0].price, 101000);
  EXPECT_NEAR(found[0].distance_pct, 1.0, 1e-12);
  EXPECT_EQ(matches(parse_alert("within 1.5% of a cluster >= $100M"), s).size(), 2u);
  EXPECT_EQ(matches(parse_alert("within 1.5% of a long cluster"), s).size(), 1u);
  EXPECT_EQ(matches(parse_alert("within 1.5% of a long cluster"), s)[0].side, "below");
  EXPECT_TRUE(matches(parse_alert("within 0.5% of a cluster"), s).empty());
  EXPECT_EQ(matches(parse_alert("within 10% of a cluster >= $500M"), s).size(), 1u);
  const auto zone = matches(parse_alert("within 0.1% of a zone >= $1B"), s);
  ASSERT_EQ(zone.size(), 1u);
  EXPECT_EQ(zone[0].side, "around");  // the close is inside it
  EXPECT_DOUBLE_EQ(zone[0].distance_pct, 0);
}

TEST(AlertFiring, ARuleFiresWhenItsMatchesChangeAndNotWhileTheyStay) {
  Alerts alerts({parse_alert("within 1.5% of a cluster >= $200M")});
  const auto first = alerts.check(snapshot_with(100000, 1));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].generation, 1u);
  EXPECT_NE(first[0].line().find("alert: within 1.5% of a cluster >= $200M: $250M above at 101,000 (+1.00%)"),
            std::string::npos) << first[0].line();
  EXPECT_EQ(first[0].json()["matches"][0]["usd"], 250e6);
  EXPECT_TRUE(alerts.check(snapshot_with(100100, 2)).empty()) << "the same cluster still near: no new alert";
  EXPECT_TRUE(alerts.check(snapshot_with(95000, 3)).empty()) << "the price moved away";
  EXPECT_EQ(alerts.check(snapshot_with(100000, 4)).size(), 1u) << "and came back: it fires again";
}

}  // namespace
}  // namespace liqmap::serve
