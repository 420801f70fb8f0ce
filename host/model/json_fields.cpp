#include "model/json_fields.hpp"

#include <cmath>

namespace liqmap::detail {

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
  if (!v.is_number()) fail(key, std::string("must be a number, got ") + v.type_name() + " " + v.dump());
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
    fail(key, std::string("must be an integer, got ") + v.type_name() + " " + v.dump());
  return v.get<long long>();
}

std::optional<std::string> JsonFields::string(const std::string& key) {
  read_.insert(key);
  if (!has(key)) return std::nullopt;
  const auto& v = object_.at(key);
  if (!v.is_string()) fail(key, std::string("must be a string, got ") + v.type_name() + " " + v.dump());
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
  fail(key, "is \"" + *value + "\"; allowed: " + list);
}

void JsonFields::reject_unknown_keys() const {
  for (const auto& item : object_.items()) {
    if (read_.count(item.key())) continue;
    std::string list;
    for (const auto& k : read_) list += (list.empty() ? "" : ", ") + k;
    throw Error(code_, where_ + ": unknown key '" + key_path(item.key()) + "'; allowed here: " + list);
  }
}

}  // namespace liqmap::detail
