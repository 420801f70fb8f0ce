// The exchange feeds against a local replay server (tests/feeds/replay_server.hpp): recorded-
// format kline frames with duplicates, out-of-order frames, a gap back-filled over REST (behind
// a rate-limit answer), a malformed frame, a disconnect and a reconnect that catches up; the
// exact AppendRequests are asserted. Everything runs on 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "feeds/feed.hpp"
#include "liqmap/error.hpp"
#include "replay_server.hpp"
#include "venue_fakes.hpp"

namespace liqmap::test {
namespace {

constexpr std::int64_t kMin = 60000;

class FeedReplay : public ::testing::TestWithParam<FeedKind> {};

TEST_P(FeedReplay, DuplicatesGapsOutOfOrderAndReconnect) {
  const FeedKind kind = GetParam();
  const std::int64_t base = (feeds::now_ms() / kMin - 10) * kMin;  // 10 minutes ago: all closed
  auto at = [&](int i) { return base + i * kMin; };
  auto frame = [&](int i, bool closed) { return ws_frame(kind, make_candle(at(i), closed)); };

  WsSession one, two;
  one.read_first = two.read_first = kind == FeedKind::binance ? 0 : 1;
  one.frames = {ws_ack(kind),
                frame(1, false),  // forming: provisional
                frame(1, false),  // the same again: dropped
                frame(1, true),   // closed: committed (with the open interest read at connect)
                frame(1, true),   // duplicate: dropped
                frame(2, false),  // forming 2: provisional
                frame(3, true),   // 2's close never came: gap, 2 back-filled over REST, then 3
                frame(2, true),   // 2's close late (out of order): dropped
                "{\"k\": not json",  // malformed: dropped, the feed goes on
                frame(3, false)};    // older than committed: dropped
  two.frames = {ws_ack(kind), frame(6, false), frame(6, true)};
  ReplayServer server({one, two});
  FakeVenue venue;
  venue.kind = kind;
  for (int i = 2; i <= 5; ++i) venue.candles[at(i)] = make_candle(at(i), true);  // what REST knows
  venue.oi_now = make_oi(at(1) + 30000);
  venue.limited_path = kind == FeedKind::binance ? "/fapi/v1/klines"
                       : kind == FeedKind::bybit ? "/v5/market/kline" : "/api/v5/market/history-candles";
  venue.limit_first = 1;
  venue.install(server.rest);

  const std::string symbol = kind == FeedKind::okx ? "BTC-USDT-SWAP" : "BTCUSDT";
  feeds::FeedSpec spec = feeds::parse_feed_spec(std::string(feeds::feed_kind_name(kind)) + ":" + symbol + ":1m");
  spec.ws_url = server.ws_url();
  spec.rest_url = server.rest_url();
  spec.oi_poll_seconds = 3600;
  spec.reconnect_min_seconds = 0.05;
  spec.rest_min_interval_seconds = 0;
  spec.max_connections = 2;
  std::vector<live::AppendRequest> got;
  std::vector<std::string> log;
  std::atomic<bool> stop{false};
  feeds::run_feed(spec, [&](const live::AppendRequest& r) { got.push_back(r); return live::AppendResult{}; }, stop,
                  [&](const std::string& line) { log.push_back(line); });

  const std::string h = std::string(feeds::kMarketHeader) + "\n";
  auto closed = [&](std::vector<int> is) {
    std::vector<Candle> cs;
    for (int i : is) cs.push_back(make_candle(at(i), true));
    return h + rows(cs);
  };
  auto forming = [&](int i) { return h + rows({make_candle(at(i), false)}); };
  ASSERT_EQ(got.size(), 8u);
  const std::vector<std::tuple<std::string, std::string, bool>> want = {
      {forming(1), "", true},
      {closed({1}), "ts,oi\n" + feeds::oi_row(venue.oi_now) + "\n", false},
      {forming(2), "", true},
      {closed({2}), "", false},     // back-filled
      {closed({3}), "", false},
      {closed({4, 5}), "", false},  // caught up over REST after the reconnect
      {forming(6), "", true},
      {closed({6}), "", false}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].market_csv, std::get<0>(want[i])) << "request " << i;
    EXPECT_EQ(got[i].oi_csv, std::get<1>(want[i])) << "request " << i;
    EXPECT_EQ(got[i].provisional, std::get<2>(want[i])) << "request " << i;
  }
  EXPECT_EQ(venue.limited.load(), 1);  // the rate-limit answer was honoured and retried
  EXPECT_EQ(venue.oi_requests.load(), 1);
  // The second session's end is counted after its last frame reached the feed: wait for it.
  for (int i = 0; i < 200 && server.sessions_played() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server.sessions_played(), 2);
  const auto targets = server.targets();
  ASSERT_EQ(targets.size(), 2u);
  if (kind == FeedKind::binance) {
    EXPECT_EQ(targets[0], "/ws/btcusdt@kline_1m");
  } else {
    EXPECT_EQ(targets[0], kind == FeedKind::bybit ? "/v5/public/linear" : "/ws/v5/business");
    const auto subs = server.received();
    ASSERT_EQ(subs.size(), 2u);  // subscribed again after the reconnect
    EXPECT_EQ(subs[0], kind == FeedKind::bybit ? R"({"args":["kline.1.BTCUSDT"],"op":"subscribe"})"
                                               : R"({"args":[{"channel":"candle1m","instId":"BTC-USDT-SWAP"}],"op":"subscribe"})");
    EXPECT_EQ(subs[1], subs[0]);
  }
  auto logged = [&](const std::string& part) {
    return std::any_of(log.begin(), log.end(), [&](const std::string& l) { return l.find(part) != std::string::npos; });
  };
  EXPECT_TRUE(logged("frame dropped")) << "the malformed frame";
  EXPECT_TRUE(logged("dropped duplicate"));
  EXPECT_TRUE(logged("dropped out-of-order"));
  EXPECT_TRUE(logged("rate limited"));
  EXPECT_TRUE(logged("reconnecting in"));
}

INSTANTIATE_TEST_SUITE_P(Exchanges, FeedReplay, ::testing::Values(FeedKind::binance, FeedKind::bybit, FeedKind::okx),
                         [](const auto& p) { return std::string(feeds::feed_kind_name(p.param)); });

TEST(FeedReplay, SubscriptionRefusedStopsWithTheExchangesMessage) {
  WsSession s;
  s.read_first = 1;
  s.frames = {R"({"event":"error","code":"60018","msg":"Wrong URL or channel:candle1m,instId:NOPE-SWAP doesn't exist."})"};
  ReplayServer server({s, s});
  FakeVenue venue;
  venue.kind = FeedKind::okx;
  venue.install(server.rest);
  feeds::FeedSpec spec = feeds::parse_feed_spec("okx:NOPE-SWAP:1m");
  spec.ws_url = server.ws_url();
  spec.rest_url = server.rest_url();
  spec.max_connections = 2;
  std::atomic<bool> stop{false};
  try {
    feeds::run_feed(spec, [](const live::AppendRequest&) { return live::AppendResult{}; }, stop, {});
    FAIL() << "expected a refusal";
  } catch (const liqmap::Error& e) {
    EXPECT_NE(std::string(e.what()).find("60018"), std::string::npos) << e.what();
  }
}

TEST(FeedReplay, RefusedCommitStopsTheFeedAndNamesTheCandles) {
  const std::int64_t base = (feeds::now_ms() / kMin - 5) * kMin;
  WsSession s;
  s.frames = {ws_frame(FeedKind::binance, make_candle(base, true))};
  ReplayServer server({s});
  FakeVenue venue;
  venue.kind = FeedKind::binance;
  venue.install(server.rest);
  feeds::FeedSpec spec = feeds::parse_feed_spec("binance:BTCUSDT");
  spec.ws_url = server.ws_url();
  spec.rest_url = server.rest_url();
  spec.max_connections = 1;
  std::atomic<bool> stop{false};
  try {
    feeds::run_feed(spec, [](const live::AppendRequest&) -> live::AppendResult {
      throw liqmap::Error(liqmap::ErrorCode::input, "state is for ETHUSDT");
    }, stop, {});
    FAIL() << "expected the refusal to stop the feed";
  } catch (const liqmap::Error& e) {
    EXPECT_NE(std::string(e.what()).find("state is for ETHUSDT"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(feeds::iso_time(base)), std::string::npos) << e.what();
  }
}

TEST(FeedReplay, NoServerReconnectsWithBackoffUntilStopped) {
  // A port nobody listens on (bound then released): every connect fails, the feed backs off.
  int port;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
    probe.close();
  }
  feeds::FeedSpec spec = feeds::parse_feed_spec("bybit:BTCUSDT:1m");
  spec.ws_url = "ws://127.0.0.1:" + std::to_string(port);
  spec.rest_url = "http://127.0.0.1:" + std::to_string(port);
  spec.reconnect_min_seconds = 0.05;
  spec.reconnect_max_seconds = 0.2;
  spec.max_connections = 4;
  std::vector<std::string> log;
  std::atomic<bool> stop{false};
  const auto t0 = std::chrono::steady_clock::now();
  feeds::run_feed(spec, [](const live::AppendRequest&) { return live::AppendResult{}; }, stop,
                  [&](const std::string& l) { log.push_back(l); });
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_GE(secs, 0.05 + 0.1 + 0.2);  // 0.05, 0.1, 0.2 (capped), 0.2
  int reconnects = 0;
  for (const auto& l : log) reconnects += l.find("reconnecting in") != std::string::npos;
  EXPECT_EQ(reconnects, 4);
}

}  // namespace
}  // namespace liqmap::test
