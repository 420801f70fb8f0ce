#include "feed_command.hpp"

#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "feeds/feed.hpp"
#include "feeds/fetch.hpp"
#include "interrupt.hpp"
#include "liqmap/error.hpp"
#include "liqmap/io.hpp"

namespace liqmap::cli {
namespace {

std::int64_t feed_time_option(const std::string& text, const char* option) {
  if (text == "now") return -1;
  const auto ms = io::parse_timestamp_ms(text);
  if (!ms)
    throw Error(ErrorCode::invalid_argument, std::string(option) + " '" + text +
                                                 "': expected an ISO-8601 UTC time (2025-01-31, 2025-01-31T12:00) or epoch s/ms");
  return *ms;
}

// Ctrl-C (or SIGTERM) sets `stop`; the watcher ends with the command.
class FeedStopOnInterrupt {
 public:
  FeedStopOnInterrupt() {
    cancel_runs_on_interrupt();
    watcher_ = std::thread([this] {
      while (!done_.load()) {
        if (interrupted()) stop.store(true);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  ~FeedStopOnInterrupt() {
    done_.store(true);
    watcher_.join();
  }
  std::atomic<bool> stop{false};

 private:
  std::atomic<bool> done_{false};
  std::thread watcher_;
};

void feed_log_line(const std::string& line) { std::cerr << line << "\n"; }

}  // namespace

void add_feed_options(CLI::App& cmd, FeedOptions& o) {
  cmd.add_option("spec", o.spec, "binance:BTCUSDT:1m | bybit:BTCUSDT:1m | okx:BTC-USDT-SWAP:1m | file:PATH | stdin")->required();
  cmd.add_flag("--print", o.print, "print each append request as a JSON line (the only sink until `serve --feed`)");
  cmd.add_option("--ws-url", o.ws_url, "websocket base URL (default: the exchange's public host)");
  cmd.add_option("--rest-url", o.rest_url, "REST base URL (default: the exchange's public host)");
  cmd.add_option("--after", o.after, "the last candle the state has (open time): candles after it are back-filled");
  cmd.add_option("--oi-every", o.oi_every, "seconds between open-interest requests")->check(CLI::Range(1.0, 86400.0));
  cmd.add_option("--reconnect-min", o.reconnect_min, "first reconnect delay in seconds (doubles up to 30)")->check(CLI::Range(0.01, 60.0));
  cmd.add_option("--max-requests", o.max_requests, "stop after this many append requests");
  cmd.add_option("--max-connections", o.max_connections, "stop after this many websocket sessions");
}

void add_fetch_options(CLI::App& cmd, FetchOptions& o) {
  cmd.add_option("exchange", o.exchange, "binance (USD-M futures), bybit (v5 linear) or okx (v5 swap)")
      ->required()->check(CLI::IsMember({"binance", "bybit", "okx"}));
  cmd.add_option("symbol", o.symbol, "BTCUSDT (Binance, Bybit) or BTC-USDT-SWAP (OKX)")->required();
  cmd.add_option("--interval", o.interval, "candle interval: 1m 3m 5m 15m 30m 1h 2h 4h 6h 12h 1d");
  cmd.add_option("--from", o.from, "first candle (ISO-8601 UTC or epoch)")->required();
  cmd.add_option("--to", o.to, "end, exclusive (default now; only closed candles are written)");
  cmd.add_option("--out", o.out, "folder for SYMBOL-INTERVAL-EXCHANGE.csv and ...-oi.csv (continued if there)")->required();
  cmd.add_option("--rest-url", o.rest_url, "REST base URL (default: the exchange's public host)");
  cmd.add_option("--oi-period", o.oi_period, "open-interest period in the exchange's names (default: the longest not above --interval)");
  cmd.add_flag("--archive", o.archive, "binance: the public archive's zip files (data.binance.vision) instead of REST");
  cmd.add_option("--archive-url", o.archive_url, "archive base URL (default https://data.binance.vision)");
  cmd.add_flag("--no-oi", o.no_oi, "candles only");
  cmd.add_flag("--no-candles", o.no_candles, "open interest only");
  cmd.add_option("--min-interval", o.min_interval, "seconds between requests (default: the exchange's documented limits)");
  cmd.add_option("--max-retries", o.max_retries, "retries of a rate-limited or failed request")->check(CLI::Range(0, 100));
}

int run_feed_command(const FeedOptions& o) {
  feeds::FeedSpec spec = feeds::parse_feed_spec(o.spec);
  if (!o.ws_url.empty()) spec.ws_url = o.ws_url;
  if (!o.rest_url.empty()) spec.rest_url = o.rest_url;
  if (!o.after.empty()) spec.resume_after_ms = feed_time_option(o.after, "--after");
  spec.oi_poll_seconds = o.oi_every;
  spec.reconnect_min_seconds = o.reconnect_min;
  spec.max_connections = o.max_connections;
  FeedStopOnInterrupt guard;
  long long sent = 0;
  const live::Appender print = [&](const live::AppendRequest& r) {
    nlohmann::json line = {{"provisional", r.provisional}, {"market_csv", r.market_csv}, {"oi_csv", r.oi_csv}};
    std::cout << line.dump() << std::endl;
    if (o.max_requests >= 0 && ++sent >= o.max_requests) guard.stop.store(true);
    return live::AppendResult{};
  };
  feeds::run_feed(spec, print, guard.stop, feed_log_line);
  return interrupted() ? 130 : 0;
}

int run_fetch_command(const FetchOptions& o) {
  feeds::FetchSpec spec;
  spec.exchange = feeds::parse_feed_spec(o.exchange + ":" + o.symbol + ":" + o.interval).kind;
  spec.symbol = o.symbol;
  spec.interval = o.interval;
  spec.from_ms = feed_time_option(o.from, "--from");
  if (spec.from_ms < 0) throw Error(ErrorCode::invalid_argument, "--from now: nothing to fetch");
  spec.to_ms = o.to.empty() ? -1 : feed_time_option(o.to, "--to");
  spec.out_dir = o.out;
  spec.rest_url = o.rest_url;
  spec.oi_period = o.oi_period;
  spec.candles = !o.no_candles;
  spec.open_interest = !o.no_oi;
  spec.rest_min_interval_seconds = o.min_interval;
  spec.max_retries = o.max_retries;
  spec.archive = o.archive;
  if (!o.archive_url.empty()) spec.archive_url = o.archive_url;
  FeedStopOnInterrupt guard;
  const feeds::FetchResult r = feeds::fetch_history(spec, &guard.stop, feed_log_line);
  const char* unit = o.archive ? " files" : " candles";
  if (!r.market_path.empty()) std::cout << r.market_path << "  +" << r.candles_added << unit << "\n";
  if (!r.oi_path.empty()) std::cout << r.oi_path << "  +" << r.oi_added << (o.archive ? " files" : " open-interest rows") << "\n";
  return interrupted() ? 130 : 0;
}

}  // namespace liqmap::cli
