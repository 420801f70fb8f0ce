// The network side of the feeds: a REST client (cpp-httplib) that spaces its requests and
// honours rate-limit answers, and a websocket client (Boost.Beast) whose reads time out, so
// the feed loop can send heartbeats and see its stop flag. ws:// and http:// always; wss:// and
// https:// when built with OpenSSL (tls_available()).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "exchange.hpp"
#include "feed.hpp"

namespace liqmap::feeds {

// Sleeps `seconds` in short slices; false when `stop` became true first.
bool sleep_unless_stopped(double seconds, const std::atomic<bool>* stop);

class RestClient {
 public:
  // min_interval_seconds < 0: the exchange's documented spacing.
  RestClient(const std::string& base_url, const Exchange& exchange, double min_interval_seconds,
             const std::atomic<bool>* stop, LogSink log);
  ~RestClient();
  // GET base_url + path: the body of a 2xx answer. Rate-limit answers (429, 418, the exchange's
  // own) wait Retry-After (or back off 1, 2, 4... s) and retry; so do 5xx and transport errors,
  // up to max_retries; a ban longer than max_wait_seconds, or another 4xx, throws Error(io)
  // naming the status and the answer. Throws Error(cancelled) when stopped.
  std::string get(const std::string& path);
  // The same, but a 404 answer gives false (the file is not there) instead of an error.
  bool get_if_found(const std::string& path, std::string& body);
  int max_retries = 6;
  double max_wait_seconds = 300;
  int requests_sent() const { return requests_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  const Exchange& exchange_;
  double min_interval_;
  const std::atomic<bool>* stop_;
  LogSink log_;
  std::chrono::steady_clock::time_point last_{};
  int requests_ = 0;
};

class WsClient {
 public:
  WsClient();
  ~WsClient();
  // Connects and completes the websocket handshake for base_url + target; throws Error(io).
  void connect(const std::string& base_url, const std::string& target, double timeout_seconds);
  // The next text frame into `text`: true; false when none came within timeout_seconds (the
  // read stays pending for the next call). Throws Error(io) when the connection closes or fails.
  bool read(std::string& text, double timeout_seconds);
  void write(const std::string& text);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct Url {
  std::string scheme, host, port, path;
};
// Splits scheme://host[:port][/path]; throws Error(invalid_argument).
Url split_url(const std::string& url);

}  // namespace liqmap::feeds
