// Reads the fields of one JSON object strictly: a wrong type or an unknown key is an error
// that names the key's full path and what is allowed.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "liqmap/error.hpp"

namespace liqmap::detail {

// Parses `text`; any error of the JSON library (bad syntax, a number like 1e400 that no double
// holds) becomes Error(code) "<where>: not valid JSON: <what and where>".
nlohmann::json parse_json(const std::string& text, const std::string& where, ErrorCode code);

// A JSON value as it may be echoed in a message: its text, cut after 64 characters.
std::string shown_json(const nlohmann::json& value);

class JsonFields {
 public:
  JsonFields(const nlohmann::json& object, std::string path, std::string where, ErrorCode code);

  bool has(const std::string& key) const;
  const nlohmann::json& raw(const std::string& key);  // marks the key as read; must exist
  void allow(const std::string& key) { read_.insert(key); }  // a known key that is absent
  std::string key_path(const std::string& key) const;

  std::optional<double> number(const std::string& key);
  std::optional<long long> integer(const std::string& key);
  std::optional<std::string> string(const std::string& key);
  std::optional<bool> boolean(const std::string& key);
  // A string that must be one of `allowed`.
  std::optional<std::string> choice(const std::string& key, const std::vector<std::string>& allowed);
  // Throws for any key that was not read.
  void reject_unknown_keys() const;

  [[noreturn]] void fail(const std::string& key, const std::string& rule) const;

 private:
  const nlohmann::json& object_;
  std::string path_, where_;
  ErrorCode code_;
  std::set<std::string> read_;
};

}  // namespace liqmap::detail
