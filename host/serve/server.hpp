// `liqmap serve`: a live state's saved run over HTTP on cpp-httplib (README "Serve"). Handlers
// only translate: a request into a snapshot view (api.hpp) or an append (live::Appender), the
// answer into JSON. A poll thread reads each new run generation and publishes it (SSE), checks
// the alerts and posts them to the webhook.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "live/append_request.hpp"
#include "serve/alerts.hpp"
#include "serve/webhook.hpp"

namespace liqmap::serve {

struct ServeOptions {
  std::string state_dir;
  std::string host = "127.0.0.1";
  int port = 0;                 // 0: a free port, printed
  bool allow_remote = false;    // bind a non-loopback host (the API has no authentication)
  std::vector<AlertRule> alerts;
  std::optional<Webhook> webhook;
  std::size_t max_body_bytes = 8u << 20;  // POST /api/append's body
  int poll_ms = 200;                      // how often DIR/run is looked at
  std::size_t max_event_clients = 32;     // /api/events streams at once
  std::string range;                      // the page's first preset ("" = the whole run)
  std::string title = "Liquidation heatmap · live";
};

// Refuses (Error(invalid_argument)) a non-loopback host unless allow_remote.
void check_bind_host(const ServeOptions& options);

class Server {
 public:
  // Reads DIR/run (Error(io) when it is not a saved run). `appender` empty: read-only.
  // `print` gets each line for stdout (the address, alerts); `warn` each for stderr.
  Server(ServeOptions options, live::Appender appender, std::function<void(const std::string&)> print,
         std::function<void(const std::string&)> warn);
  ~Server();  // stops
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on threads of its own; returns the port. Error(io) when it cannot bind.
  int start();
  void stop();
  // Reads DIR/run again if it changed (the poll thread does it every poll_ms); true on a new generation.
  bool refresh();
  std::uint64_t generation() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace liqmap::serve
