// `liqmap serve --state DIR`: the live state's map over HTTP (README "Serve").
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace liqmap::cli {

struct ServeCommandOptions {
  std::string state_dir;
  std::string host = "127.0.0.1";
  int port = 8080;
  bool allow_remote = false;
  std::vector<std::string> alerts;
  std::string webhook;
  bool allow_remote_webhook = false;
  bool read_only = false;
  bool recompute = false;
  std::string market, oi;  // --recompute's first inputs
  int bins = 0;
  std::size_t max_body_mib = 8;
  int poll_ms = 200;
  std::string range;
  std::string feed;  // --feed SPEC: keeps a live state current (host/feeds/)
};

CLI::App* add_serve_command(CLI::App& app, ServeCommandOptions& options);

// Serves until SIGINT or SIGTERM; returns the exit code.
int run_serve(const ServeCommandOptions& options);

}  // namespace liqmap::cli
