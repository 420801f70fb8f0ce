#include "serve_command.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>


#include "interrupt.hpp"
#include "liqmap/error.hpp"
#include "serve/alerts.hpp"
#ifdef LIQMAP_HAVE_HTTPLIB
#include "feeds/feed.hpp"
#include "live/live_state.hpp"
#include "serve/recompute_appender.hpp"
#include "serve/server.hpp"
#endif

namespace liqmap::cli {

CLI::App* add_serve_command(CLI::App& app, ServeCommandOptions& o) {
  auto* cmd = app.add_subcommand("serve", "serve a live state's map: the page (live by Server-Sent Events) and a JSON API");
  cmd->footer(
      "Endpoints: GET / (the page), /api/health, /api/summary, /api/clusters, /api/map?at=T,\n"
      "  /api/heatmap?from=&to=&range=&bins=&format=json|page, /api/review, /api/events (SSE);\n"
      "  POST /api/append (CSV body; ?provisional=1)\n"
      "Alerts: --alert 'within P% of a [long|short] cluster|zone [>= $X]', repeatable\n"
      "Examples:\n"
      "  liqmap serve --state live --port 0\n"
      "  liqmap serve --state live --recompute --market btc_1m.csv --alert 'within 1.5% of a cluster >= $200M'");
  cmd->add_option("--state", o.state_dir, "live state folder; DIR/run is the saved run served")->required();
  cmd->add_option("--host", o.host, "address to bind (loopback only unless --allow-remote)")->capture_default_str();
  cmd->add_option("--port", o.port, "port; 0 picks a free one (printed: serving http://HOST:PORT/)")
      ->check(CLI::Range(0, 65535))->capture_default_str();
  cmd->add_flag("--allow-remote", o.allow_remote, "allow a non-loopback --host (the API has no authentication)");
  cmd->add_option("--alert", o.alerts, "an alert rule (README \"Serve\"), repeatable");
  cmd->add_option("--webhook", o.webhook, "POST each alert as JSON to http://127.0.0.1:PORT/PATH");
  cmd->add_flag("--allow-remote-webhook", o.allow_remote_webhook, "allow a webhook host off the loopback");
  cmd->add_flag("--read-only", o.read_only, "refuse POST /api/append (403)");
  cmd->add_flag("--recompute", o.recompute,
                "appends recompute the whole map from DIR/recompute/market.csv (exact, slow; until the engine state's append)");
  cmd->add_option("--market", o.market, "with --recompute: the candles the state starts from (copied into DIR/recompute/)");
  cmd->add_option("--oi", o.oi, "with --recompute: the open interest the state starts from");
  cmd->add_option("--bins", o.bins, "with --recompute: price bins");
  cmd->add_option("--max-body", o.max_body_mib, "largest POST body, MiB")->check(CLI::Range(1, 256))->capture_default_str();
  cmd->add_option("--poll-ms", o.poll_ms, "how often DIR/run is checked for a new run")->check(CLI::Range(10, 60000))
      ->capture_default_str();
  cmd->add_option("--feed", o.feed,
                  "keep the live state current from a feed: binance:BTCUSDT:1m, bybit:BTCUSDT:1m,\n"
                  "okx:BTC-USDT-SWAP:1m, file:PATH (a growing CSV) or stdin");
  cmd->add_option("--range", o.range, "the page's first time preset: 12h 24h 3d 1w 1m 3m 6m 1y (default: all)");
  return cmd;
}

int run_serve(const ServeCommandOptions& o) {
  std::vector<serve::AlertRule> rules;
  for (const std::string& text : o.alerts) rules.push_back(serve::parse_alert(text));  // refused before anything else
#ifndef LIQMAP_HAVE_HTTPLIB
  (void)rules;
  throw Error(ErrorCode::invalid_argument,
              "this liqmap was built without the server (cpp-httplib): install libcpp-httplib-dev and rebuild");
#else
  serve::ServeOptions options;
  options.state_dir = o.state_dir;
  options.host = o.host;
  options.port = o.port;
  options.allow_remote = o.allow_remote;
  options.alerts = std::move(rules);
  if (!o.webhook.empty()) options.webhook = serve::parse_webhook(o.webhook, o.allow_remote_webhook);
  options.max_body_bytes = o.max_body_mib << 20;
  options.poll_ms = o.poll_ms;
  options.range = o.range;
  serve::check_bind_host(options);
  // Where appends go: a live state's own append (host/live/: O(new), equal to one compute),
  // --recompute's full recompute, else none (read-only: POST /api/append answers 403).
  live::Appender appender;
  const bool live_state = std::filesystem::exists(std::filesystem::path(o.state_dir) / "state.json");
  if (live_state && o.recompute) throw Error(ErrorCode::invalid_argument, o.state_dir + " is a live state: it appends by itself, leave out --recompute");
  if (live_state && !o.read_only) {
    if (!o.market.empty() || !o.oi.empty() || o.bins > 0)
      throw Error(ErrorCode::invalid_argument, "--market, --oi and --bins go with --recompute");
    appender = live::state_appender(o.state_dir);
  } else if (o.recompute && !o.read_only) {
    serve::RecomputeOptions recompute{o.state_dir, o.market, o.oi, o.bins, "all"};
    appender = serve::recompute_appender(recompute);
    if (!std::filesystem::exists(std::filesystem::path(o.state_dir) / "run" / "axes.json")) {
      std::cerr << "liqmap: computing the state's first run from " << o.state_dir << "/recompute/\n";
      serve::recompute_run(recompute);
    }
  } else if (!o.market.empty() || !o.oi.empty() || o.bins > 0) {
    throw Error(ErrorCode::invalid_argument, "--market, --oi and --bins go with --recompute");
  }
  std::optional<feeds::FeedSpec> feed;
  if (!o.feed.empty()) {
    if (!live_state || o.read_only)
      throw Error(ErrorCode::invalid_argument, "--feed keeps a live state current: give a writable state made by compute --state");
    feed = feeds::parse_feed_spec(o.feed);  // a bad spec is refused before anything binds
    feed->resume_after_ms = live::state_last_committed_ts(o.state_dir);
  }
  serve::Server server(options, appender, [](const std::string& line) { std::cout << line << std::endl; },
                       [](const std::string& line) { std::cerr << line << std::endl; });
  server.start();
  // The feed appends through the state's own appender; the server sees each new run as any writer's.
  std::atomic<bool> stop_feed{false};
  std::thread feeder;
  if (feed)
    feeder = std::thread([&] {
      try {
        feeds::run_feed(*feed, appender, stop_feed, [](const std::string& line) { std::cerr << "liqmap: feed: " << line << std::endl; });
      } catch (const std::exception& e) {
        std::cerr << "liqmap: feed stopped: " << e.what() << std::endl;
      }
    });
  while (!interrupted()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  stop_feed = true;
  if (feeder.joinable()) feeder.join();
  server.stop();
  std::cout << "stopped" << std::endl;
  return 0;
#endif
}

}  // namespace liqmap::cli
