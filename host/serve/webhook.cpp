#include "serve/webhook.hpp"

#include <arpa/inet.h>

#include <httplib.h>

#include "liqmap/error.hpp"

namespace liqmap::serve {

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr address {};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

Webhook parse_webhook(const std::string& url, bool allow_remote) {
  const std::string scheme = "http://";
  const auto refuse = [&](const std::string& why) {
    throw Error(ErrorCode::invalid_argument, "--webhook " + url + ": " + why);
  };
  if (url.rfind(scheme, 0) != 0) refuse("expected http://HOST:PORT/PATH (plain HTTP)");
  Webhook hook;
  const std::string rest = url.substr(scheme.size());
  const std::size_t slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  hook.path = slash == std::string::npos ? "/" : rest.substr(slash);
  const std::size_t colon = authority.rfind(':');
  hook.host = authority.substr(0, colon);
  if (colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) < 1 || std::stoi(port) > 65535)
      refuse("the port '" + port + "' is not 1..65535");
    hook.port = std::stoi(port);
  }
  if (hook.host.empty()) refuse("no host");
  if (!allow_remote && !is_loopback_host(hook.host))
    refuse("the host " + hook.host + " is not on the loopback (127.0.0.1, ::1, localhost); "
           "--allow-remote-webhook allows it");
  return hook;
}

std::string post_json(const Webhook& hook, const std::string& json) {
  httplib::Client client(hook.host, hook.port);
  client.set_connection_timeout(2);
  client.set_read_timeout(2);
  client.set_write_timeout(2);
  const auto res = client.Post(hook.path.c_str(), json, "application/json");
  if (!res) return "no answer from " + hook.host + ":" + std::to_string(hook.port) + " (" + httplib::to_string(res.error()) + ")";
  if (res->status < 200 || res->status >= 300) return "answered HTTP " + std::to_string(res->status);
  return "";
}

}  // namespace liqmap::serve
