#include "adapter_util.hpp"

#include <cctype>

#include "candle.hpp"
#include "exchange.hpp"
#include "liqmap/error.hpp"

namespace liqmap::feeds {

bool Exchange::rate_limited(int status, const std::string&) const { return status == 429; }

namespace detail {

nlohmann::json parse_json(const std::string& body, const char* exchange, const char* what) {
  try {
    return nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(ErrorCode::input, std::string(exchange) + ": " + what + " is not JSON (" +
                                      e.what() + "): " + excerpt(body));
  }
}

const nlohmann::json& need(const nlohmann::json& j, const char* key, const char* exchange) {
  if (!j.is_object() || !j.contains(key))
    throw Error(ErrorCode::input, std::string(exchange) + ": answer lacks the field '" + key +
                                      "': " + excerpt(j.dump()));
  return j.at(key);
}

const nlohmann::json& item(const nlohmann::json& j, std::size_t index, const char* exchange) {
  if (!j.is_array() || j.size() <= index)
    throw Error(ErrorCode::input, std::string(exchange) + ": expected an array of at least " +
                                      std::to_string(index + 1) + " fields: " + excerpt(j.dump()));
  return j.at(index);
}

std::string decimal(const nlohmann::json& v, const char* what) {
  if (v.is_string()) return checked_number(v.get<std::string>(), what);
  if (v.is_number()) return checked_number(v.dump(), what);
  throw Error(ErrorCode::input, std::string("feed: ") + what + " is not a number: " + excerpt(v.dump()));
}

std::int64_t millis(const nlohmann::json& v, const char* what) {
  if (v.is_number_integer()) return v.get<std::int64_t>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    bool digits = !s.empty() && s.size() < 19;
    for (char c : s) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits) return std::stoll(s);
  }
  throw Error(ErrorCode::input, std::string("feed: ") + what + " is not a time in ms: " + excerpt(v.dump()));
}

std::string query(std::initializer_list<std::pair<const char*, std::string>> pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) {
    for (char c : v)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'))
        throw Error(ErrorCode::invalid_argument, std::string("feed: '") + v + "' is not a valid " + k);
    out += (out.empty() ? "?" : "&") + std::string(k) + "=" + v;
  }
  return out;
}

std::string excerpt(const std::string& body) {
  std::string out = body.substr(0, 200);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  return body.size() > 200 ? out + "..." : out;
}

}  // namespace detail
}  // namespace liqmap::feeds
