#include "serve/server.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "liqmap/error.hpp"
#include "report/heatmap_html.hpp"
#include "report/page/page_sources.hpp"
#include "serve/api.hpp"
#include "serve/events.hpp"
#include "serve/live_run.hpp"

namespace liqmap::serve {
namespace {

using nlohmann::json;

constexpr std::chrono::milliseconds kHeartbeat{10000};  // an SSE comment line keeps proxies and clients awake

void send_json(httplib::Response& res, const json& body, int status = 200) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, {{"error", message}, {"status", status}}, status);
}

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
    case ErrorCode::input:
    case ErrorCode::config: return 422;  // the rows or their values are refused
    case ErrorCode::out_of_memory: return 507;
    default: return 500;
  }
}

bool truthy(const std::string& v) { return v == "1" || v == "true" || v == "yes"; }

}  // namespace

void check_bind_host(const ServeOptions& options) {
  if (!options.allow_remote && !is_loopback_host(options.host))
    throw Error(ErrorCode::invalid_argument,
                "--host " + options.host + " is not a loopback address: the API has no authentication and "
                "POST /api/append changes the state; --allow-remote binds it anyway");
}

struct Server::Impl {
  ServeOptions options;
  live::Appender appender;
  std::function<void(const std::string&)> print, warn;
  LiveRun live;
  Alerts alerts;
  EventHub events;
  httplib::Server http;
  std::thread listener, poller;
  std::mutex refresh_mutex, append_mutex, stop_mutex;
  std::condition_variable stop_cv;
  bool stopping = false;
  std::atomic<std::size_t> event_clients{0};
  std::mutex page_mutex;
  std::uint64_t page_generation = 0;
  std::string page_range, page_text;

  Impl(ServeOptions o, live::Appender a, std::function<void(const std::string&)> p, std::function<void(const std::string&)> w)
      : options(std::move(o)), appender(std::move(a)), print(std::move(p)), warn(std::move(w)),
        live(options.state_dir), alerts(options.alerts) {}

  bool writable() const { return static_cast<bool>(appender); }

  void on_generation(const Snapshot& s) {
    events.publish("generation", json{{"generation", s.generation}, {"columns", s.columns()}, {"last_ts", s.last_ts()},
                                      {"last_close", s.last_close()}}.dump());
    for (const AlertEvent& alert : alerts.check(s)) {
      print(alert.line());
      const std::string body = alert.json().dump();
      events.publish("alert", body);
      if (options.webhook) {
        const std::string failed = post_json(*options.webhook, body);
        if (!failed.empty()) warn("liqmap: webhook: " + failed);
      }
    }
  }

  bool refresh() {
    std::lock_guard<std::mutex> lock(refresh_mutex);
    if (!live.poll()) return false;
    on_generation(*live.current());
    return true;
  }

  std::string page(const Snapshot& s, const std::string& range) {
    std::lock_guard<std::mutex> lock(page_mutex);
    if (page_generation != s.generation || page_range != range) {
      Params params;
      if (!range.empty()) params.emplace("range", range);
      params.emplace("bins", std::to_string(std::min<std::size_t>(s.run.result.axes.price_centres.size(), 400)));
      std::ostringstream out;
      report::write_heatmap_page(out, heatmap_page_json(s, window_of(s, params), options.title, range),
                                 report::page_sources::kLiveJs);
      page_text = out.str();
      page_generation = s.generation;
      page_range = range;
    }
    return page_text;
  }

  void append(const httplib::Request& req, httplib::Response& res) {
    if (!writable())
      return send_error(res, 403, "this state is read-only: the server was started without an appender "
                                  "(no engine state or --recompute in " + options.state_dir + ")");
    live::AppendRequest request;
    const std::string type = req.get_header_value("Content-Type");
    if (type.rfind("application/json", 0) == 0) {
      json body;
      try {
        body = json::parse(req.body);
        request.market_csv = body.value("market_csv", "");
        request.oi_csv = body.value("oi_csv", "");
        request.provisional = body.value("provisional", false);
      } catch (const json::exception& e) {
        return send_error(res, 400, std::string("the JSON body is not {\"market_csv\": \"...\", \"oi_csv\": \"...\", "
                                                "\"provisional\": false}: ") + e.what());
      }
    } else {
      request.market_csv = req.body;
    }
    if (req.has_param("provisional")) request.provisional = truthy(req.get_param_value("provisional"));
    if (request.market_csv.empty() && request.oi_csv.empty())
      return send_error(res, 400, "the body is empty: POST the new candles as CSV (header + rows, as `compute --market` reads)");
    live::AppendResult result;
    try {
      std::lock_guard<std::mutex> lock(append_mutex);
      result = appender(request);
    } catch (const Error& e) {
      return send_error(res, status_of(e.code()), std::string(error_code_name(e.code())) + ": " + e.what());
    }
    refresh();
    send_json(res, {{"steps_added", result.steps_added}, {"columns", result.columns}, {"notices", result.notices},
                    {"provisional", request.provisional}, {"generation", live.current()->generation}});
  }

  void stream_events(const httplib::Request& req, httplib::Response& res) {
    if (event_clients.load() >= options.max_event_clients)
      return send_error(res, 503, "too many event streams open (" + std::to_string(options.max_event_clients) + ")");
    ++event_clients;
    std::uint64_t after = events.last_id();
    if (req.has_header("Last-Event-ID")) {
      try {
        after = std::min<std::uint64_t>(after, std::stoull(req.get_header_value("Last-Event-ID")));
      } catch (const std::exception&) {
      }
    }
    const auto snapshot = live.current();
    auto hello = std::make_shared<std::string>(
        "retry: 2000\nevent: hello\ndata: " +
        json{{"generation", snapshot->generation}, {"columns", snapshot->columns()}, {"last_ts", snapshot->last_ts()}}.dump() +
        "\n\n");
    res.set_header("Cache-Control", "no-store");
    res.set_chunked_content_provider(
        "text/event-stream",
        [this, after, hello](std::size_t, httplib::DataSink& sink) mutable {
          if (!hello->empty()) {
            sink.write(hello->data(), hello->size());
            hello->clear();
            return true;
          }
          const std::vector<Event> fresh = events.wait_after(after, kHeartbeat);
          if (events.closed()) {
            sink.done();
            return true;
          }
          std::string text = fresh.empty() ? ": heartbeat\n\n" : "";
          for (const Event& e : fresh) {
            text += e.text();
            after = e.id;
          }
          return sink.write(text.data(), text.size());
        },
        [this](bool) { --event_clients; });
  }

  void routes() {
    http.set_payload_max_length(options.max_body_bytes);
    http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      const std::string why = res.status == 404   ? "no such endpoint (GET /api/health, /api/summary, /api/clusters, "
                                                    "/api/map, /api/heatmap, /api/review, /api/events; POST /api/append)"
                              : res.status == 413 ? "the request body is larger than the server's limit"
                                                  : "the request was refused";
      send_error(res, res.status, why);
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const ApiError& e) {
        send_error(res, e.status, e.message);
      } catch (const Error& e) {
        send_error(res, status_of(e.code()), e.what());
      } catch (const std::exception& e) {
        send_error(res, 500, e.what());
      } catch (...) {
        send_error(res, 500, "unknown error");
      }
    });
    const auto snapshot = [this] { return live.current(); };
    http.Get("/", [this, snapshot](const httplib::Request& req, httplib::Response& res) {
      const std::string range = req.has_param("range") ? req.get_param_value("range") : options.range;
      if (!range.empty()) preset_ms(range);  // refused before any work
      res.set_header("Cache-Control", "no-store");
      res.set_content(page(*snapshot(), range), "text/html; charset=utf-8");
    });
    http.Get("/api/health", [this, snapshot](const httplib::Request&, httplib::Response& res) {
      json body = health_json(*snapshot(), writable());
      const std::string error = live.last_error();
      if (!error.empty()) body["reload_error"] = error;
      send_json(res, body);
    });
    http.Get("/api/summary", [this, snapshot](const httplib::Request&, httplib::Response& res) {
      json body = summary_json(*snapshot(), writable());
      json rules = json::array();
      for (const AlertRule& r : alerts.rules()) rules.push_back(r.text);
      body["alerts"] = std::move(rules);
      send_json(res, body);
    });
    http.Get("/api/clusters", [snapshot](const httplib::Request&, httplib::Response& res) {
      send_json(res, clusters_body(*snapshot()));
    });
    http.Get("/api/map", [snapshot](const httplib::Request& req, httplib::Response& res) {
      send_json(res, map_json(*snapshot(), req.params));
    });
    http.Get("/api/heatmap", [this, snapshot](const httplib::Request& req, httplib::Response& res) {
      const auto s = snapshot();
      const auto format = param(req.params, "format").value_or("json");
      if (format != "json" && format != "page") throw ApiError{400, "format=" + format + ": expected json or page"};
      Params params = req.params;
      params.erase("format");
      const Window w = window_of(*s, params);
      res.set_header("Cache-Control", "no-store");
      if (format == "page")
        return res.set_content(heatmap_page_json(*s, w, options.title, param(params, "range").value_or("")), "application/json");
      send_json(res, heatmap_json(*s, w));
    });
    http.Get("/api/review", [snapshot](const httplib::Request& req, httplib::Response& res) {
      const auto s = snapshot();
      if (s->review_md.empty()) throw ApiError{404, "the run has no review.md (computed without --outputs review)"};
      if (param(req.params, "format").value_or("json") == "md") return res.set_content(s->review_md, "text/markdown; charset=utf-8");
      send_json(res, {{"generation", s->generation}, {"markdown", s->review_md}});
    });
    http.Get("/api/events", [this](const httplib::Request& req, httplib::Response& res) { stream_events(req, res); });
    http.Post("/api/append", [this](const httplib::Request& req, httplib::Response& res) { append(req, res); });
    http.Get("/api/append", [](const httplib::Request&, httplib::Response& res) {
      send_error(res, 405, "POST the new candles to /api/append");
    });
  }
};

Server::Server(ServeOptions options, live::Appender appender, std::function<void(const std::string&)> print,
               std::function<void(const std::string&)> warn) {
  check_bind_host(options);
  impl_ = std::make_unique<Impl>(std::move(options), std::move(appender), std::move(print), std::move(warn));
  impl_->routes();
}

Server::~Server() { stop(); }

int Server::start() {
  Impl& s = *impl_;
  const std::size_t threads = s.options.max_event_clients + 8;  // SSE streams hold a thread each
  s.http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  int port = s.options.port;
  if (port == 0) {
    port = s.http.bind_to_any_port(s.options.host);
    if (port < 0) throw Error(ErrorCode::io, "cannot bind " + s.options.host + " on any port");
  } else if (!s.http.bind_to_port(s.options.host, port)) {
    throw Error(ErrorCode::io, "cannot bind " + s.options.host + ":" + std::to_string(port) + " (in use, or not an address here)");
  }
  s.on_generation(*s.live.current());  // the alerts see the first run too
  s.listener = std::thread([&s] { s.http.listen_after_bind(); });
  // stop() before the listener runs would leave it listening: wait until it does.
  for (int i = 0; i < 500 && !s.http.is_running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  s.poller = std::thread([&s] {
    std::unique_lock<std::mutex> lock(s.stop_mutex);
    while (!s.stop_cv.wait_for(lock, std::chrono::milliseconds(s.options.poll_ms), [&s] { return s.stopping; })) {
      lock.unlock();
      s.refresh();
      lock.lock();
    }
  });
  const std::string host = s.options.host.find(':') != std::string::npos ? "[" + s.options.host + "]" : s.options.host;
  s.print("serving http://" + host + ":" + std::to_string(port) + "/");
  return port;
}

void Server::stop() {
  if (!impl_) return;
  Impl& s = *impl_;
  {
    std::lock_guard<std::mutex> lock(s.stop_mutex);
    s.stopping = true;
  }
  s.stop_cv.notify_all();
  s.events.close();
  s.http.stop();
  if (s.listener.joinable()) s.listener.join();
  if (s.poller.joinable()) s.poller.join();
}

bool Server::refresh() { return impl_->refresh(); }

std::uint64_t Server::generation() const { return impl_->live.current()->generation; }

}  // namespace liqmap::serve
