// liqmap serve's HTTP side: every endpoint and its errors, appends through the Appender (and
// refused when read-only), a new run generation seen over Server-Sent Events, the alerts'
// webhook against a loopback receiver. Each server runs on a free loopback port and is stopped.
#include <gtest/gtest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "liqmap/error.hpp"
#include "serve/server.hpp"
#include "serve_fixture.hpp"
#include "live/live_state.hpp"

namespace liqmap::serve {
namespace {

using nlohmann::json;
using test::kAddedSteps;
using test::kBaseSteps;
using test::LiveState;
using test::market_rows;

struct Running {
  std::vector<std::string> printed, warned;
  std::mutex mutex;
  std::unique_ptr<Server> server;
  int port = 0;

  Running(ServeOptions options, live::Appender appender) {
    server = std::make_unique<Server>(
        std::move(options), std::move(appender),
        [this](const std::string& line) { std::lock_guard<std::mutex> l(mutex); printed.push_back(line); },
        [this](const std::string& line) { std::lock_guard<std::mutex> l(mutex); warned.push_back(line); });
    port = server->start();
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60);
    return c;
  }
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> l(mutex);
    return printed;
  }
};

ServeOptions options_for(const LiveState& state) {
  ServeOptions o;
  o.state_dir = state.dir.string();
  o.poll_ms = 50;
  return o;
}

json body_of(const httplib::Result& res) {
  EXPECT_TRUE(res) << "no answer";
  if (!res) return json();
  EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << res->body;
  return json::parse(res->body);
}

void expect_error(const httplib::Result& res, int status, const std::string& words) {
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, status) << res->body;
  const json body = body_of(res);
  ASSERT_TRUE(body.contains("error")) << res->body;
  EXPECT_NE(body["error"].get<std::string>().find(words), std::string::npos) << body["error"];
}

class ServeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { state_ = new LiveState("api"); }
  static void TearDownTestSuite() { delete state_; }
  static LiveState* state_;
};
LiveState* ServeTest::state_ = nullptr;

TEST_F(ServeTest, PrintsItsAddressOnAFreeLoopbackPort) {
  Running r(options_for(*state_), {});
  EXPECT_GT(r.port, 0);
  ASSERT_FALSE(r.lines().empty());
  EXPECT_EQ(r.lines().front(), "serving http://127.0.0.1:" + std::to_string(r.port) + "/");
}

TEST_F(ServeTest, EveryReadEndpointAnswersFromTheSavedRun) {
  Running r(options_for(*state_), {});
  auto c = r.client();
  const json health = body_of(c.Get("/api/health"));
  EXPECT_EQ(health["ok"], true);
  EXPECT_EQ(health["generation"], 1);
  EXPECT_EQ(health["columns"], kBaseSteps);
  EXPECT_EQ(health["writable"], false);

  const json summary = body_of(c.Get("/api/summary"));
  EXPECT_EQ(summary["columns"], kBaseSteps);
  EXPECT_EQ(summary["price_bins"], 100);
  EXPECT_GT(summary["last_close"].get<double>(), 0);
  EXPECT_FALSE(summary["top_clusters"].empty());

  const json clusters = body_of(c.Get("/api/clusters"));
  EXPECT_EQ(clusters, json::parse(state_->read("run/clusters.json")));

  const json map = body_of(c.Get("/api/map"));
  EXPECT_EQ(map["by_tier"], true);
  EXPECT_EQ(map["column"], kBaseSteps - 1);
  EXPECT_TRUE(map["tiers"].contains("10x")) << map["tiers"].dump().substr(0, 200);
  const json earlier = body_of(c.Get("/api/map?at=2026-01-01T03:00"));
  EXPECT_EQ(earlier["by_tier"], false);
  EXPECT_EQ(earlier["time"], "2026-01-01T03:00:00Z");
  EXPECT_FALSE(earlier["price"].empty());

  const json heat = body_of(c.Get("/api/heatmap?from=2026-01-01T01:00&to=2026-01-01T01:59&bins=10"));
  EXPECT_EQ(heat["columns"], 60);
  EXPECT_EQ(heat["bins"], 10);
  EXPECT_EQ(heat["bin_group"], 10);
  EXPECT_EQ(heat["long"].size(), 60u);
  EXPECT_EQ(heat["long"][0].size(), 10u);
  EXPECT_EQ(heat["price_edges"].size(), 11u);
  const json hours = body_of(c.Get("/api/heatmap?range=12h"));
  EXPECT_EQ(hours["columns"], kBaseSteps);  // the run is 10 h long: the preset holds all of it
  EXPECT_EQ(hours["bins"], 100);

  const auto page = c.Get("/api/heatmap?range=12h&format=page");
  ASSERT_TRUE(page);
  const json page_data = json::parse(page->body);
  EXPECT_EQ(page_data["generation"], 1);
  EXPECT_EQ(page_data["window"]["range"], "12h");
  EXPECT_EQ(page_data["ts"].size(), kBaseSteps);
  EXPECT_TRUE(page_data.contains("quantisation"));

  const json review = body_of(c.Get("/api/review"));
  EXPECT_EQ(review["markdown"], state_->read("run/review.md"));
  const auto html = c.Get("/");
  ASSERT_TRUE(html);
  EXPECT_EQ(html->status, 200);
  EXPECT_NE(html->body.find("liqmapPage"), std::string::npos);
  EXPECT_NE(html->body.find("new EventSource('/api/events')"), std::string::npos);
}

TEST_F(ServeTest, BadParametersGetClearJsonErrors) {
  Running r(options_for(*state_), {});
  auto c = r.client();
  expect_error(c.Get("/api/heatmap?bins=0"), 400, "bins=0: expected a whole number from 1 to 4096");
  expect_error(c.Get("/api/heatmap?bins=12x"), 400, "bins=12x");
  expect_error(c.Get("/api/heatmap?range=5h"), 400, "expected one of 12h 24h 3d 1w 1m 3m 6m 1y");
  expect_error(c.Get("/api/heatmap?from=yesterday"), 400, "from=yesterday: expected a time");
  expect_error(c.Get("/api/heatmap?from=2026-01-01T05:00&to=2026-01-01T04:00"), 400, "from is after to");
  expect_error(c.Get("/api/heatmap?from=2026-01-01T01:00&from=2026-01-01T02:00"), 400, "more than once");
  expect_error(c.Get("/api/heatmap?from=2027-01-01&to=2027-02-01"), 404, "no column from");
  expect_error(c.Get("/api/heatmap?format=csv"), 400, "format=csv");
  expect_error(c.Get("/api/map?at=2025-01-01"), 404, "before the run's first column");
  expect_error(c.Get("/?range=2d"), 400, "range=2d");
  expect_error(c.Get("/api/nothing"), 404, "no such endpoint");
  expect_error(c.Get("/api/append"), 405, "POST");
  expect_error(c.Get("/../../etc/passwd"), 404, "no such endpoint");  // no file is ever served by path
}

TEST_F(ServeTest, AppendIsRefusedWhenTheStateIsReadOnly) {
  Running r(options_for(*state_), {});
  auto c = r.client();
  expect_error(c.Post("/api/append", market_rows(kBaseSteps, kBaseSteps + 1), "text/csv"), 403, "read-only");
  EXPECT_EQ(body_of(c.Get("/api/health"))["generation"], 1);
}

TEST_F(ServeTest, ABodyOverTheLimitIsRefusedWith413) {
  ServeOptions o = options_for(*state_);
  o.max_body_bytes = 1024;
  Running r(o, recompute_appender(state_->recompute));
  auto c = r.client();
  expect_error(c.Post("/api/append", std::string(4096, '1'), "text/csv"), 413, "larger than the server's limit");
  EXPECT_EQ(body_of(c.Get("/api/health"))["generation"], 1);
}

TEST(ServeBind, NonLoopbackHostsAreRefusedUnlessAllowed) {
  ServeOptions o;
  o.host = "0.0.0.0";
  EXPECT_THROW(check_bind_host(o), Error);
  try {
    check_bind_host(o);
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--allow-remote"), std::string::npos) << e.what();
  }
  o.allow_remote = true;
  EXPECT_NO_THROW(check_bind_host(o));
  for (const char* host : {"127.0.0.1", "127.4.5.6", "::1", "localhost"}) {
    o = {};
    o.host = host;
    EXPECT_NO_THROW(check_bind_host(o)) << host;
  }
}

TEST(ServeBind, WebhooksOffTheLoopbackAreRefusedUnlessAllowed) {
  EXPECT_THROW(parse_webhook("http://192.168.1.10:9000/hook", false), Error);
  EXPECT_THROW(parse_webhook("https://127.0.0.1/hook", false), Error);
  EXPECT_THROW(parse_webhook("http://127.0.0.1:99999/hook", false), Error);
  const Webhook w = parse_webhook("http://127.0.0.1:9000/hook/a", false);
  EXPECT_EQ(w.host, "127.0.0.1");
  EXPECT_EQ(w.port, 9000);
  EXPECT_EQ(w.path, "/hook/a");
  EXPECT_EQ(parse_webhook("http://example.org/x", true).host, "example.org");  // parsed, never contacted here
}

// Reads /api/events on a thread of its own until `until` is in the stream (or 60 s).
struct EventReader {
  std::string text;
  std::mutex mutex;
  std::atomic<bool> done{false};
  std::thread thread;
  EventReader(int port, std::string until, httplib::Headers headers = {}) {
    thread = std::thread([this, port, until, headers] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(60);
      c.Get("/api/events", headers, [&](const char* data, std::size_t n) {
        std::lock_guard<std::mutex> l(mutex);
        text.append(data, n);
        return text.find(until) == std::string::npos;
      });
      done = true;
    });
  }
  ~EventReader() { thread.join(); }
  std::string seen() {
    std::lock_guard<std::mutex> l(mutex);
    return text;
  }
  bool wait(const std::string& what, int seconds = 60) {
    for (int i = 0; i < seconds * 20; ++i) {
      if (seen().find(what) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
};

TEST(ServeLive, AnAppendMakesANewGenerationSeenOverServerSentEvents) {
  LiveState state("append");
  ServeOptions o = options_for(state);
  Running r(o, recompute_appender(state.recompute));
  EventReader events(r.port, "\"generation\":2");
  ASSERT_TRUE(events.wait("event: hello")) << events.seen();
  EXPECT_NE(events.seen().find("\"generation\":1"), std::string::npos);
  auto c = r.client();
  const std::string before = state.read("recompute/market.csv");

  expect_error(c.Post("/api/append", "ts,open,high,low,close,volume,oi\n1767261600000,1,2,x,1,1,1\n", "text/csv"), 422,
               "input");
  expect_error(c.Post("/api/append", "", "text/csv"), 400, "the body is empty");
  EXPECT_EQ(state.read("recompute/market.csv"), before) << "a refused append changes nothing";
  EXPECT_EQ(body_of(c.Get("/api/health"))["generation"], 1);

  const json provisional = body_of(c.Post("/api/append?provisional=1", market_rows(kBaseSteps, kBaseSteps + 1), "text/csv"));
  EXPECT_EQ(provisional["provisional"], true);
  EXPECT_EQ(provisional["steps_added"], 0);
  EXPECT_EQ(provisional["columns"], kBaseSteps + 1);
  EXPECT_EQ(state.read("recompute/market.csv"), before) << "a provisional candle is shown, not kept";
  ASSERT_TRUE(events.wait("\"generation\":2")) << events.seen();
  EXPECT_NE(events.seen().find("event: generation"), std::string::npos);

  const json added = body_of(c.Post("/api/append", market_rows(kBaseSteps, kBaseSteps + kAddedSteps), "text/csv"));
  EXPECT_EQ(added["steps_added"], kAddedSteps);
  EXPECT_EQ(added["columns"], kBaseSteps + kAddedSteps);
  EXPECT_EQ(added["generation"], 3);
  const json summary = body_of(c.Get("/api/summary"));
  EXPECT_EQ(summary["columns"], kBaseSteps + kAddedSteps);
  EXPECT_EQ(summary["writable"], true);
  // The same as one compute on all the rows.
  LiveState whole("whole");
  std::ofstream(whole.dir / "all.csv") << market_rows(0, kBaseSteps + kAddedSteps);
  RecomputeOptions all = whole.recompute;
  all.state_dir = (whole.dir / "second").string();
  all.market_csv = (whole.dir / "all.csv").string();
  recompute_run(all);
  EXPECT_EQ(state.read("run/clusters.json"), whole.read("second/run/clusters.json"));
  EXPECT_EQ(state.read("run/long.npy"), whole.read("second/run/long.npy"));
}

TEST(ServeLive, ALiveStateAppendsThroughItsOwnModel) {
  LiveState base("state-model");
  const std::filesystem::path dir = base.dir / "live";
  app::MapInputs inputs;
  inputs.market = {base.recompute.market_csv};
  Config config = default_config();
  config.grid.price_bins = 100;
  live::StateOptions made;
  made.run.backend = Backend::cpu;
  made.outputs = "clusters,review,npy";
  live::create_state(dir.string(), inputs, config, made);
  ServeOptions o = options_for(base);
  o.state_dir = dir.string();
  Running r(o, live::state_appender(dir.string()));
  auto c = r.client();
  const json added = body_of(c.Post("/api/append", market_rows(kBaseSteps, kBaseSteps + kAddedSteps), "text/csv"));
  EXPECT_EQ(added["steps_added"].get<int>() + nlohmann::json::parse(base.read("live/state.json"))["pending_steps"].get<int>(),
            int(kAddedSteps))
      << added;
  EXPECT_EQ(added["columns"], kBaseSteps + kAddedSteps);
  EXPECT_EQ(body_of(c.Get("/api/summary"))["columns"], kBaseSteps + kAddedSteps);
}

TEST(ServeLive, ARunReplacedByAnotherWriterIsReadAndAnnounced) {
  LiveState state("writer");
  Running r(options_for(state), {});
  EventReader events(r.port, "event: generation");
  ASSERT_TRUE(events.wait("event: hello"));
  // Another process's append: the rows added to the state's market and the run rewritten whole.
  std::ofstream(state.dir / "recompute" / "market.csv", std::ios::app) << market_rows(kBaseSteps, kBaseSteps + 5).substr(
      market_rows(0, 0).size());
  recompute_run(state.recompute);
  ASSERT_TRUE(events.wait("event: generation")) << events.seen();
  EXPECT_NE(events.seen().find("\"columns\":" + std::to_string(kBaseSteps + 5)), std::string::npos) << events.seen();
  EXPECT_EQ(body_of(r.client().Get("/api/health"))["columns"], kBaseSteps + 5);
}

TEST(ServeAlerts, AlertsGoToStdoutTheEventsAndTheWebhook) {
  LiveState state("alerts");
  httplib::Server receiver;
  std::mutex mutex;
  std::vector<std::string> posted;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> l(mutex);
    posted.push_back(req.body);
    res.set_content("{}", "application/json");
  });
  const int receiver_port = receiver.bind_to_any_port("127.0.0.1");
  std::thread receiving([&] { receiver.listen_after_bind(); });

  ServeOptions o = options_for(state);
  o.alerts = {parse_alert("within 50% of a cluster"), parse_alert("within 0.01% of a zone >= $1T")};
  o.webhook = parse_webhook("http://127.0.0.1:" + std::to_string(receiver_port) + "/hook", false);
  {
    Running r(o, {});
    const auto lines = r.lines();
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.front().rfind("alert: within 50% of a cluster: ", 0), 0u) << lines.front();
    EXPECT_NE(lines.front().find("(generation 1)"), std::string::npos);
    for (const auto& line : lines) EXPECT_EQ(line.find("$1T"), std::string::npos) << "the rule that cannot match fired";
    std::vector<std::string> got;
    for (int i = 0; i < 100 && got.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::lock_guard<std::mutex> l(mutex);
      got = posted;
    }
    ASSERT_EQ(got.size(), 1u);
    const json alert = json::parse(got[0]);
    EXPECT_EQ(alert["rule"], "within 50% of a cluster");
    EXPECT_EQ(alert["generation"], 1);
    EXPECT_FALSE(alert["matches"].empty());
    EXPECT_EQ(alert["line"], lines.front());
    // A client that says it saw nothing (Last-Event-ID: 0) is sent the kept events: the alert too.
    EventReader events(r.port, "event: alert", {{"Last-Event-ID", "0"}});
    ASSERT_TRUE(events.wait("event: alert")) << events.seen();
    EXPECT_NE(events.seen().find("\"rule\":\"within 50% of a cluster\""), std::string::npos) << events.seen();
  }
  receiver.stop();
  receiving.join();
}

}  // namespace
}  // namespace liqmap::serve
