#include "model/json_fields.hpp"

#include <climits>
#include <cmath>

namespace liqmap::detail {

nlohmann::json parse_json(const std::string& text, const std::string& where, ErrorCode code) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    // Drop the library's "[json.exception.parse_error.101] " tag: the rest says what and where.
    std::string what = e.what();
    if (const std::size_t tag_end = what.find("] "); what.rfind("[json.exception", 0) == 0 && tag_end != std::string::npos)
      what.erase(0, tag_end + 2);
    if (e.id == 406) what += " (a number must fit a double: at most about 1.8e308)";
    throw Error(code, where + ": not valid JSON: " + what);
  }
}

std::string shown_json(const nlohmann::json& value) {
  constexpr std::size_t kShown = 64;
  std::string text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kShown) text = text.substr(0, kShown) + "... (" + std::to_string(text.size()) + " characters)";
  return text;
}

JsonFields::JsonFields(const nlohmann::json& object, std::string path, std::string where, ErrorCode code)
    : object_(object), path_(std::move(path)), where_(std::move(where)), code_(code) {
  if (!object_.is_object())
    throw Error(code_, where_ + ": '" + (path_.empty() ? std::string("<top level>") : path_) +
                           "' must be a JSON object, got " + object_.type_name());
}

std::string JsonFields::key_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

void JsonFields::fail(const std::string& key, const std::string& rule) const {
  throw Error(code_, where_ + ": '" + key_path(key) + "' " + rule);
}

bool JsonFields::has(const std::string& key) const {
  return object_.contains(key) && !object_.at(key).is_null();
}

const nlohmann::json& JsonFields::raw(const std::string& key) {
  read_.insert(key);
  return object_.at(key);
}

std::optional<double> JsonFields::number(const std::string& key) {
  read_.insert(key);
  if (!has(key)) return std::nullopt;
  const auto& v = object_.at(key);
  if (!v.is_number()) fail(key, std::string("must be a number, got ") + v.type_name() + " " + shown_json(v));
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(key, "must be finite");
  return d;
}

std::optional<bool> JsonFields::boolean(const std::string& key) {
  read_.insert(key);
  if (!has(key)) return std::nullopt;
  const auto& v = object_.at(key);
  if (!v.is_boolean()) fail(key, std::string("must be true or false, got ") + v.type_name() + " " + v.dump());
  return v.get<bool>();
}

std::optional<long long> JsonFields::integer(const std::string& key) {
  read_.insert(key);
  if (!has(key)) return std::nullopt;
  const auto& v = object_.at(key);
  if (!v.is_number_integer())
    fail(key, std::string("must be an integer, got ") + v.type_name() + " " + shown_json(v));
  if (v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX))
    fail(key, "is too large, got " + shown_json(v));
  return v.get<long long>();
}

std::optional<std::string> JsonFields::string(const std::string& key) {
  read_.insert(key);
  if (!has(key)) return std::nullopt;
  const auto& v = object_.at(key);
  if (!v.is_string()) fail(key, std::string("must be a string, got ") + v.type_name() + " " + shown_json(v));
  return v.get<std::string>();
}

std::optional<std::string> JsonFields::choice(const std::string& key,
                                              const std::vector<std::string>& allowed) {
  auto value = string(key);
  if (!value) return value;
  for (const auto& a : allowed)
    if (*value == a) return value;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + ("\"" + a + "\"");
  fail(key, "is " + shown_json(*value) + "; allowed: " + list);
}

void JsonFields::reject_unknown_keys() const {
  for (const auto& item : object_.items()) {
    if (read_.count(item.key())) continue;
    std::string list;
    for (const auto& k : read_) list += (list.empty() ? "" : ", ") + k;
    const std::string key = key_path(item.key());
    throw Error(code_, where_ + ": unknown key '" + (key.size() > 64 ? key.substr(0, 64) + "..." : key) +
                           "'; allowed here: " + list);
  }
}

}  // namespace liqmap::detail
