// `liqmap feed SPEC --print` (the AppendRequests a feed would send, one JSON line each) and
// `liqmap fetch EXCHANGE SYMBOL ...` (candles and open interest into compute's files).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace liqmap::cli {

struct FeedOptions {
  std::string spec;
  bool print = true;
  std::string ws_url, rest_url, after;
  double oi_every = 60;
  double reconnect_min = 0.5;
  long long max_requests = -1;
  int max_connections = -1;
};

struct FetchOptions {
  std::string exchange, symbol, interval = "1h", from, to, out, rest_url, oi_period;
  bool no_oi = false, no_candles = false, archive = false;
  std::string archive_url;
  double min_interval = -1;
  int max_retries = 6;
};

void add_feed_options(CLI::App& cmd, FeedOptions& opts);
void add_fetch_options(CLI::App& cmd, FetchOptions& opts);
int run_feed_command(const FeedOptions& opts);
int run_fetch_command(const FetchOptions& opts);

}  // namespace liqmap::cli
