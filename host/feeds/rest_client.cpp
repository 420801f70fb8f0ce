#include <httplib.h>

#include <cmath>
#include <thread>

#include "adapter_util.hpp"
#include "liqmap/error.hpp"
#include "transport.hpp"

namespace liqmap::feeds {

struct RestClient::Impl {
  explicit Impl(const std::string& base) : client(base) {}
  httplib::Client client;
};

RestClient::RestClient(const std::string& base_url, const Exchange& exchange, double min_interval_seconds,
                       const std::atomic<bool>* stop, LogSink log)
    : exchange_(exchange), min_interval_(min_interval_seconds), stop_(stop), log_(std::move(log)) {
  const Url url = split_url(base_url);
  if (url.scheme != "http" && url.scheme != "https")
    throw Error(ErrorCode::invalid_argument, "REST base '" + base_url + "': expected http:// or https://");
  if (url.scheme == "https" && !tls_available())
    throw Error(ErrorCode::invalid_argument, "REST base '" + base_url + "': built without TLS (OpenSSL)");
  impl_ = std::make_unique<Impl>(url.scheme + "://" + url.host + ":" + url.port);
  impl_->client.set_connection_timeout(10, 0);
  impl_->client.set_read_timeout(30, 0);
  impl_->client.set_keep_alive(true);
}

RestClient::~RestClient() = default;

std::string RestClient::get(const std::string& path) {
  std::string body;
  if (!get_if_found(path, body))
    throw Error(ErrorCode::io, std::string(exchange_.name()) + ": HTTP 404 for " + path + ": " + detail::excerpt(body));
  return body;
}

bool RestClient::get_if_found(const std::string& path, std::string& body) {
  double backoff = 1;
  for (int attempt = 0;; ++attempt) {
    const double spacing = min_interval_ >= 0 ? min_interval_ : exchange_.rest_min_interval_seconds(path);
    const double since = std::chrono::duration<double>(std::chrono::steady_clock::now() - last_).count();
    if (since < spacing && !sleep_unless_stopped(spacing - since, stop_))
      throw Error(ErrorCode::cancelled, "stopped");
    last_ = std::chrono::steady_clock::now();
    ++requests_;
    auto res = impl_->client.Get(path.c_str());
    std::string why;
    double wait = backoff;
    if (!res) {
      why = "no answer (" + httplib::to_string(res.error()) + ")";
    } else if (exchange_.rate_limited(res->status, res->body)) {
      why = "rate limited (HTTP " + std::to_string(res->status) + ")";
      if (res->has_header("Retry-After")) {
        const std::string ra = res->get_header_value("Retry-After");
        char* end = nullptr;
        const double secs = std::strtod(ra.c_str(), &end);
        if (end != ra.c_str() && std::isfinite(secs) && secs >= 0) wait = secs;
      }
      if (wait > max_wait_seconds)
        throw Error(ErrorCode::io, std::string(exchange_.name()) + ": " + why + ", told to wait " +
                                       std::to_string(static_cast<long long>(wait)) + " s (more than " +
                                       std::to_string(static_cast<long long>(max_wait_seconds)) + " s): " + path);
    } else if (res->status >= 500) {
      why = "server error HTTP " + std::to_string(res->status);
    } else if (res->status == 404) {
      body = res->body;
      return false;
    } else if (res->status < 200 || res->status >= 300) {
      throw Error(ErrorCode::io, std::string(exchange_.name()) + ": HTTP " + std::to_string(res->status) + " for " +
                                     path + ": " + detail::excerpt(res->body));
    } else {
      // Binance reports the weight used this minute: past 2000 of 2400, wait for the next minute.
      if (res->has_header("X-MBX-USED-WEIGHT-1M")) {
        const long used = std::strtol(res->get_header_value("X-MBX-USED-WEIGHT-1M").c_str(), nullptr, 10);
        if (used > 2000) {
          const double to_minute = 60.0 - std::fmod(static_cast<double>(now_ms()) / 1000.0, 60.0);
          if (log_) log_(std::string(exchange_.name()) + ": request weight " + std::to_string(used) +
                         "/2400 this minute; waiting " + std::to_string(static_cast<int>(to_minute)) + " s");
          if (!sleep_unless_stopped(to_minute, stop_)) throw Error(ErrorCode::cancelled, "stopped");
        }
      }
      body = res->body;
      return true;
    }
    if (attempt >= max_retries)
      throw Error(ErrorCode::io, std::string(exchange_.name()) + ": " + why + " after " +
                                     std::to_string(attempt + 1) + " tries: " + path);
    if (log_) log_(std::string(exchange_.name()) + ": " + why + "; retrying in " + std::to_string(wait).substr(0, 4) + " s");
    if (!sleep_unless_stopped(wait, stop_)) throw Error(ErrorCode::cancelled, "stopped");
    backoff = std::min(backoff * 2, 60.0);
  }
}

Url split_url(const std::string& text) {
  Url url;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos || scheme_end == 0)
    throw Error(ErrorCode::invalid_argument, "URL '" + text + "': expected scheme://host[:port][/path]");
  url.scheme = text.substr(0, scheme_end);
  std::string rest = text.substr(scheme_end + 3);
  const auto slash = rest.find('/');
  url.path = slash == std::string::npos ? "" : rest.substr(slash);
  std::string hostport = rest.substr(0, slash);
  const auto colon = hostport.rfind(':');
  const bool secure = url.scheme == "https" || url.scheme == "wss";
  if (colon != std::string::npos && hostport.find(']') == std::string::npos) {
    url.host = hostport.substr(0, colon);
    url.port = hostport.substr(colon + 1);
  } else {
    url.host = hostport;
    url.port = secure ? "443" : "80";
  }
  if (url.host.empty() || url.port.empty() || url.port.find_first_not_of("0123456789") != std::string::npos)
    throw Error(ErrorCode::invalid_argument, "URL '" + text + "': bad host or port");
  if (!url.path.empty() && url.path.back() == '/') url.path.pop_back();
  return url;
}

}  // namespace liqmap::feeds
