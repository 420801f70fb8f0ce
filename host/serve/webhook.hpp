// Where alerts are POSTed (--webhook http://127.0.0.1:PORT/path): plain HTTP, to a loopback
// host unless the user allows another explicitly.
#pragma once

#include <string>

namespace liqmap::serve {

struct Webhook {
  std::string host;
  int port = 80;
  std::string path = "/";
};

// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback_host(const std::string& host);

// Reads `url`; throws Error(invalid_argument) for another scheme than http://, a malformed port,
// or a non-loopback host when `allow_remote` is false.
Webhook parse_webhook(const std::string& url, bool allow_remote);

// POSTs `json` (2 s timeouts); returns "" on a 2xx answer, else what went wrong.
std::string post_json(const Webhook& hook, const std::string& json);

}  // namespace liqmap::serve
