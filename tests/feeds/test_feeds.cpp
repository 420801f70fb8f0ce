// Feed specs, the adapters' parsing of documented messages (and refusals of bad ones), and the
// sequencer's rules (duplicates, out-of-order frames, gaps back-filled) without any network.
#include <gtest/gtest.h>

#include "feeds/exchange.hpp"
#include "feeds/feed.hpp"
#include "feeds/sequencer.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(FeedSpec, ParsesTheFiveKinds) {
  FeedSpec b = parse_feed_spec("binance:BTCUSDT:1m");
  EXPECT_EQ(b.kind, FeedKind::binance);
  EXPECT_EQ(b.symbol, "BTCUSDT");
  EXPECT_EQ(b.interval, "1m");
  EXPECT_EQ(b.ws_url, "wss://fstream.binance.com");
  EXPECT_EQ(b.rest_url, "https://fapi.binance.com");
  FeedSpec y = parse_feed_spec("bybit:ETHUSDT:5m");
  EXPECT_EQ(y.kind, FeedKind::bybit);
  EXPECT_EQ(y.ws_url, "wss://stream.bybit.com");
  FeedSpec o = parse_feed_spec("okx:BTC-USDT-SWAP");
  EXPECT_EQ(o.kind, FeedKind::okx);
  EXPECT_EQ(o.interval, "1m");
  EXPECT_EQ(o.ws_url, "wss://ws.okx.com:8443");
  FeedSpec f = parse_feed_spec("file:/tmp/a:b.csv");
  EXPECT_EQ(f.kind, FeedKind::file);
  EXPECT_EQ(f.path, "/tmp/a:b.csv");
  EXPECT_EQ(parse_feed_spec("stdin").kind, FeedKind::stdin_input);
}

TEST(FeedSpec, RefusesWithTheReason) {
  EXPECT_NE(error_of([] { parse_feed_spec("binanse:BTCUSDT"); }).find("unknown source 'binanse'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_feed_spec("okx:BTCUSDT"); }).find("BTC-USDT-SWAP"), std::string::npos);
  EXPECT_NE(error_of([] { parse_feed_spec("bybit:BTCUSDT:7m"); }).find("no kline interval 7m"), std::string::npos);
  EXPECT_NE(error_of([] { parse_feed_spec("binance:BTC/USDT"); }).find("not a valid symbol"), std::string::npos);
  EXPECT_NE(error_of([] { parse_feed_spec("binance:BTCUSDT:1x"); }).find("interval '1x'"), std::string::npos);
  EXPECT_NE(error_of([] { parse_feed_spec("file:"); }).find("no path"), std::string::npos);
  EXPECT_NE(error_of([] { parse_feed_spec("binance"); }).find("expected binance:SYMBOL"), std::string::npos);
}

TEST(Adapters, ParseTheDocumentedKlineFrames) {
  // The documentation's examples (values shortened).
  const WsFrame b = exchange(FeedKind::binance).parse_ws(
      R"({"e":"kline","E":1638747660000,"s":"BTCUSDT","k":{"t":1638747660000,"T":1638747719999,"s":"BTCUSDT","i":"1m",)"
      R"("f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0015","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}})");
  ASSERT_EQ(b.candles.size(), 1u);
  EXPECT_EQ(market_row(b.candles[0]), "1638747660000,0.0010,0.0025,0.0015,0.0020,1000");
  EXPECT_FALSE(b.candles[0].closed);
  const WsFrame y = exchange(FeedKind::bybit).parse_ws(
      R"({"topic":"kline.5.BTCUSDT","data":[{"start":1672324800000,"end":1672325099999,"interval":"5","open":"16649.5",)"
      R"("close":"16677","high":"16677","low":"16608","volume":"2.081","turnover":"34666.4005","confirm":true,"timestamp":1672324988882}],)"
      R"("ts":1672324988882,"type":"snapshot"})");
  ASSERT_EQ(y.candles.size(), 1u);
  EXPECT_EQ(market_row(y.candles[0]), "1672324800000,16649.5,16677,16608,16677,2.081");
  EXPECT_TRUE(y.candles[0].closed);
  const WsFrame o = exchange(FeedKind::okx).parse_ws(
      R"({"arg":{"channel":"candle1D","instId":"BTC-USDT-SWAP"},"data":[["1597026383085","8533.02","8553.74","8527.17","8548.26","45247","529.5858061","5.27","1"]]})");
  ASSERT_EQ(o.candles.size(), 1u);
  EXPECT_EQ(market_row(o.candles[0]), "1597026383085,8533.02,8553.74,8527.17,8548.26,529.5858061");  // volCcy, not contracts
  EXPECT_TRUE(o.candles[0].closed);
  EXPECT_TRUE(exchange(FeedKind::okx).parse_ws("pong").ack);
  EXPECT_TRUE(exchange(FeedKind::bybit).parse_ws(R"({"success":true,"ret_msg":"pong","conn_id":"x","op":"ping"})").ack);
  EXPECT_EQ(exchange(FeedKind::bybit).parse_ws(R"({"success":false,"ret_msg":"error:handler not found","op":"subscribe"})").error,
            "bybit: error:handler not found");
}

TEST(Adapters, ParseRestAnswersAndRefuseBadOnes) {
  const Exchange& b = exchange(FeedKind::binance);
  const auto ks = b.parse_klines(R"([[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"]])",
                                 60000, 1499040060000);
  ASSERT_EQ(ks.size(), 1u);
  EXPECT_TRUE(ks[0].closed);
  EXPECT_EQ(ks[0].volume, "148976.11427815");
  EXPECT_EQ(oi_row(b.parse_oi_now(R"({"openInterest":"10659.509","symbol":"BTCUSDT","time":1589437530011})")), "1589437530011,10659.509");
  const auto hist = b.parse_oi_history(R"([{"symbol":"BTCUSDT","sumOpenInterest":"20403.63700000","sumOpenInterestValue":"150570784.07809979","timestamp":"1583127900000"}])");
  ASSERT_EQ(hist.size(), 1u);
  EXPECT_EQ(oi_row(hist[0]), "1583127900000,20403.63700000");
  EXPECT_EQ(b.klines_path("BTCUSDT", "1h", 0, 3600000), "/fapi/v1/klines?symbol=BTCUSDT&interval=1h&startTime=0&endTime=3600000&limit=1500");

  const Exchange& y = exchange(FeedKind::bybit);
  const auto yk = y.parse_klines(R"({"retCode":0,"retMsg":"OK","result":{"symbol":"BTCUSDT","category":"linear","list":[)"
                                 R"(["1670608800000","17071","17073","17027","17055.5","268611","15.74462667"],)"
                                 R"(["1670605200000","17071.5","17071.5","17061","17071","4177","0.24469757"]]},"time":1672025956592})",
                                 3600000, 1670608800000);
  ASSERT_EQ(yk.size(), 2u);  // sorted oldest first; the newest still forming at `now`
  EXPECT_EQ(yk[0].open_ms, 1670605200000);
  EXPECT_TRUE(yk[0].closed);
  EXPECT_FALSE(yk[1].closed);
  EXPECT_NE(error_of([&] { y.parse_klines(R"({"retCode":10001,"retMsg":"params error: symbol invalid","result":{}})", 60000, 0); })
                .find("retCode 10001"), std::string::npos);
  EXPECT_EQ(y.oi_period("1h"), "1h");
  EXPECT_EQ(y.oi_period("1m"), "5min");
  EXPECT_EQ(y.oi_period_ms("15min"), 900000);

  const Exchange& o = exchange(FeedKind::okx);
  EXPECT_EQ(o.klines_path("BTC-USDT-SWAP", "1h", 3600000, 7200000),
            "/api/v5/market/history-candles?instId=BTC-USDT-SWAP&bar=1H&after=7200001&before=3599999&limit=100");
  EXPECT_EQ(oi_row(o.parse_oi_now(R"({"code":"0","data":[{"instType":"SWAP","instId":"BTC-USDT-SWAP","oi":"5000","oiCcy":"555.55","oiUsd":"50000","ts":"1597026383085"}],"msg":""})")),
            "1597026383085,555.55");
  EXPECT_NE(error_of([&] { o.parse_klines(R"({"code":"51001","msg":"Instrument ID does not exist","data":[]})", 60000, 0); })
                .find("code \"51001\""), std::string::npos);
  EXPECT_EQ(o.oi_period("4h"), "4H");
  EXPECT_EQ(o.oi_period("1d"), "1Dutc");

  // Bad values are refused with the field's name, never read as 0.
  EXPECT_NE(error_of([&] { b.parse_klines(R"([[1499040000000,"abc","1","1","1","1",0,"1",1,"1","1","0"]])", 60000, 0); })
                .find("binance kline open is not a finite number: 'abc'"), std::string::npos);
  EXPECT_NE(error_of([&] { b.parse_ws(R"({"e":"kline","k":{"t":1,"o":"1","h":"1","l":"1","c":"1","v":"1","x":"yes"}})"); })
                .find("k.x"), std::string::npos);
  EXPECT_NE(error_of([&] { b.parse_ws(R"({"e":"kline","k":{"t":1,"o":"1","h":"nan","l":"1","c":"1","v":"1","x":true}})"); })
                .find("k.h is not a finite number"), std::string::npos);
  EXPECT_NE(error_of([&] { o.parse_ws(R"({"arg":{},"data":[["1","1","1","1","1","1"]]})"); }).find("at least 7 fields"),
            std::string::npos);
  EXPECT_NE(error_of([&] { b.parse_klines("<html>502 Bad Gateway</html>", 60000, 0); }).find("not JSON"), std::string::npos);
}

Candle candle(std::int64_t minute, bool closed, const std::string& close = "1") {
  return Candle{minute * 60000, "1", "2", "0.5", close, "3", closed};
}

TEST(Sequencer, CommitsInOrderAndBackFillsGapsAfterTheState) {
  std::vector<live::AppendRequest> got;
  std::vector<std::pair<std::int64_t, std::int64_t>> asked;
  Sequencer seq(60000, 100 * 60000, [&](const live::AppendRequest& r) { got.push_back(r); return live::AppendResult{}; }, {});
  const Sequencer::Backfill rest = [&](std::int64_t from, std::int64_t to) {
    asked.emplace_back(from / 60000, to / 60000);
    std::vector<Candle> out;
    for (std::int64_t m = from / 60000; m <= to / 60000; ++m) out.push_back(candle(m, true));
    out.push_back(candle(to / 60000 + 5, true));  // beyond the range: ignored
    return out;
  };
  seq.offer(candle(100, true), rest);                 // the state's own last candle: dropped
  seq.offer(candle(99, true), rest);                  // older: dropped
  seq.add_oi({100 * 60000 + 1, "7"});
  seq.add_oi({100 * 60000 + 1, "7"});                  // the same reading again: kept once
  seq.offer(candle(103, false), rest);                // forming 103 after 100: 101, 102 back-filled
  seq.offer(candle(103, false, "1.5"), rest);         // an update of the forming candle: sent
  seq.offer(candle(103, true), rest);
  seq.offer(Candle{103 * 60000 + 5, "1", "1", "1", "1", "1", true}, rest);  // misaligned: dropped
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0], (std::pair<std::int64_t, std::int64_t>(101, 102)));
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].market_csv, "ts,open,high,low,close,volume\n6060000,1,2,0.5,1,3\n6120000,1,2,0.5,1,3\n");
  EXPECT_EQ(got[0].oi_csv, "ts,oi\n6000001,7\n");
  EXPECT_FALSE(got[0].provisional);
  EXPECT_EQ(got[1].market_csv, "ts,open,high,low,close,volume\n6180000,1,2,0.5,1,3\n");
  EXPECT_TRUE(got[1].provisional);
  EXPECT_EQ(got[2].market_csv, "ts,open,high,low,close,volume\n6180000,1,2,0.5,1.5,3\n");
  EXPECT_TRUE(got[2].provisional);
  EXPECT_EQ(got[3].market_csv, "ts,open,high,low,close,volume\n6180000,1,2,0.5,1,3\n");
  EXPECT_FALSE(got[3].provisional);
  EXPECT_EQ(got[3].oi_csv, "");  // sent once, with the first commit after it
  EXPECT_EQ(seq.last_committed(), 103 * 60000);
  EXPECT_EQ(seq.dropped(), 3);

  // catch_up after a reconnect: from the last committed candle to the last closed one.
  seq.catch_up(106 * 60000 + 30000, rest);
  ASSERT_EQ(asked.size(), 2u);
  EXPECT_EQ(asked[1], (std::pair<std::int64_t, std::int64_t>(104, 105)));
  EXPECT_EQ(seq.last_committed(), 105 * 60000);
}

TEST(Sequencer, AProvisionalRefusalIsLoggedAndTheFeedGoesOn) {
  int calls = 0;
  std::vector<std::string> log;
  Sequencer seq(60000, -1, [&](const live::AppendRequest& r) -> live::AppendResult {
    ++calls;
    if (r.provisional) throw Error(ErrorCode::input, "busy");
    return {};
  }, [&](const std::string& l) { log.push_back(l); });
  seq.offer(candle(5, false), {});
  seq.offer(candle(5, true), {});
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(seq.last_committed(), 5 * 60000);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log[0].find("provisional candle refused: busy"), std::string::npos);
}

}  // namespace
}  // namespace liqmap::feeds
