// JSON helpers the three adapters share: fields read with a message naming the exchange and
// the field, decimals kept as the exchange's strings.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace liqmap::feeds::detail {

// Parses a body; throws Error(input) "<exchange>: <what> is not JSON: ..." on failure.
nlohmann::json parse_json(const std::string& body, const char* exchange, const char* what);
// A member (or element) that must be there; throws Error(input) naming it.
const nlohmann::json& need(const nlohmann::json& j, const char* key, const char* exchange);
const nlohmann::json& item(const nlohmann::json& j, std::size_t index, const char* exchange);
// A decimal: a string checked to be a number, or a JSON number printed.
std::string decimal(const nlohmann::json& v, const char* what);
// Epoch milliseconds from a number or a string of digits.
std::int64_t millis(const nlohmann::json& v, const char* what);
// "?a=1&b=2" built from pairs; values are symbols and numbers (no escaping needed, checked).
std::string query(std::initializer_list<std::pair<const char*, std::string>> pairs);
// A body excerpt for messages (at most 200 characters, one line).
std::string excerpt(const std::string& body);

}  // namespace liqmap::feeds::detail
