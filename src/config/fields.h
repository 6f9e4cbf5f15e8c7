#pragma once
// Internal to src/config: typed reading of JSON configuration items with errors that name the
// item and the field. Parsers throw FieldError deep inside and convert it to one utask::Error
// at their public boundary (item_error), so every field check stays a single line.
//
// Field lookup follows Go's encoding/json, which the original used: an exact name match first,
// otherwise a case-insensitive one. JSON null counts as absent (the default applies).

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace utask::config::detail {

struct FieldError {
  std::string field;  // dotted path inside the item, e.g. "database_config.max_open_conns"
  std::string message;
};

[[noreturn]] void fail(std::string field, std::string message);

// `configuration item "<item>": field "<field>": <message>` (no field part when field is empty).
Error item_error(std::string_view item, std::string_view field, std::string_view message);
Error item_error(std::string_view item, const FieldError& e);

// Parses an item value as JSON; the error never quotes the value (it may hold secrets).
Result<nlohmann::json> parse_item_json(std::string_view item, std::string_view value);

std::string join(std::string_view path, std::string_view name);
const char* type_name(const nlohmann::json& v);

// A JSON object seen through a field path ("" at the item's top level).
class Fields {
 public:
  // REQUIRES: `object` outlives this.
  Fields(const nlohmann::json& object, std::string path);

  // Checks that `value` is an object (or null, read as empty) and wraps it.
  static Fields of(const nlohmann::json& value, const std::string& path);

  // The member `name`, or nullptr when absent or null.
  const nlohmann::json* find(std::string_view name) const;
  std::string path(std::string_view name) const { return join(path_, name); }
  const std::string& path() const { return path_; }

  std::string string(std::string_view name, std::string def = {}) const;
  std::vector<std::string> strings(std::string_view name) const;
  int64_t integer(std::string_view name, int64_t def) const;
  bool boolean(std::string_view name, bool def) const;
  // A duration string in Go syntax; "" keeps the default. With `seconds_allowed`, a JSON
  // number is read as seconds. Negative durations are refused.
  std::chrono::nanoseconds duration(std::string_view name, std::chrono::nanoseconds def,
                                    bool seconds_allowed = false) const;
  // Absent → empty object.
  Fields object(std::string_view name) const;
  std::map<std::string, std::string> string_map(std::string_view name) const;
  // The wrapped object (iterate it for maps such as resource_limits).
  const nlohmann::json& json() const { return object_; }

 private:
  const nlohmann::json& object_;
  std::string path_;
};

}  // namespace utask::config::detail
