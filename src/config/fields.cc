#include "config/fields.h"

#include <cmath>

#include "model/go_duration.h"

namespace utask::config::detail {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

const nlohmann::json kEmptyObject = nlohmann::json::object();

}  // namespace

void fail(std::string field, std::string message) {
  throw FieldError{std::move(field), std::move(message)};
}

Error item_error(std::string_view item, std::string_view field, std::string_view message) {
  std::string msg = "configuration item \"" + std::string(item) + "\": ";
  if (!field.empty()) msg += "field \"" + std::string(field) + "\": ";
  msg += message;
  std::string path(item);
  if (!field.empty()) path += "." + std::string(field);
  return Error::invalid_config(std::move(msg), std::move(path));
}

Error item_error(std::string_view item, const FieldError& e) {
  return item_error(item, e.field, e.message);
}

Result<nlohmann::json> parse_item_json(std::string_view item, std::string_view value) {
  try {
    return nlohmann::json::parse(value.begin(), value.end());
  } catch (const nlohmann::json::parse_error& e) {
    return item_error(item, "", "invalid JSON (syntax error at byte " + std::to_string(e.byte) + ")");
  }
}

std::string join(std::string_view path, std::string_view name) {
  if (path.empty()) return std::string(name);
  return std::string(path) + "." + std::string(name);
}

const char* type_name(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null: return "null";
    case nlohmann::json::value_t::object: return "an object";
    case nlohmann::json::value_t::array: return "a list";
    case nlohmann::json::value_t::string: return "a string";
    case nlohmann::json::value_t::boolean: return "a boolean";
    case nlohmann::json::value_t::number_float: return "a decimal number";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned: return "an integer";
    default: return "an unknown value";
  }
}

Fields::Fields(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {}

Fields Fields::of(const nlohmann::json& value, const std::string& path) {
  if (value.is_null()) return Fields(kEmptyObject, path);
  if (!value.is_object()) fail(path, std::string("expected an object, got ") + type_name(value));
  return Fields(value, path);
}

const nlohmann::json* Fields::find(std::string_view name) const {
  if (!object_.is_object()) return nullptr;
  auto exact = object_.find(std::string(name));
  const nlohmann::json* found = exact != object_.end() ? &*exact : nullptr;
  if (found == nullptr) {
    for (auto it = object_.begin(); it != object_.end(); ++it)
      if (iequals(it.key(), name)) {
        found = &it.value();
        break;
      }
  }
  if (found != nullptr && found->is_null()) return nullptr;
  return found;
}

std::string Fields::string(std::string_view name, std::string def) const {
  const auto* v = find(name);
  if (v == nullptr) return def;
  if (!v->is_string()) fail(path(name), std::string("expected a string, got ") + type_name(*v));
  return v->get<std::string>();
}

std::vector<std::string> Fields::strings(std::string_view name) const {
  const auto* v = find(name);
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (!v->is_array())
    fail(path(name), std::string("expected a list of strings, got ") + type_name(*v));
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& e = (*v)[i];
    if (!e.is_string())
      fail(path(name) + "[" + std::to_string(i) + "]",
           std::string("expected a string, got ") + type_name(e));
    out.push_back(e.get<std::string>());
  }
  return out;
}

int64_t Fields::integer(std::string_view name, int64_t def) const {
  const auto* v = find(name);
  if (v == nullptr) return def;
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    fail(path(name), "integer out of range");
  if (!v->is_number_integer())
    fail(path(name), std::string("expected an integer, got ") + type_name(*v));
  return v->get<int64_t>();
}

bool Fields::boolean(std::string_view name, bool def) const {
  const auto* v = find(name);
  if (v == nullptr) return def;
  if (!v->is_boolean()) fail(path(name), std::string("expected a boolean, got ") + type_name(*v));
  return v->get<bool>();
}

std::chrono::nanoseconds Fields::duration(std::string_view name, std::chrono::nanoseconds def,
                                          bool seconds_allowed) const {
  const auto* v = find(name);
  if (v == nullptr) return def;
  std::chrono::nanoseconds d{};
  if (v->is_number() && seconds_allowed) {
    double secs = v->get<double>();
    if (!std::isfinite(secs) || std::fabs(secs) > 9.2e9)
      fail(path(name), "invalid duration: number of seconds out of range");
    d = std::chrono::nanoseconds(static_cast<int64_t>(std::llround(secs * 1e9)));
  } else if (v->is_string()) {
    std::string text = v->get<std::string>();
    if (text.empty()) return def;
    auto parsed = model::parse_go_duration(text);
    if (!parsed) fail(path(name), "invalid duration \"" + text + "\" (" + parsed.error().message + ")");
    d = *parsed;
  } else {
    fail(path(name), std::string("expected a duration string such as \"1m30s\", got ") +
                         type_name(*v));
  }
  if (d.count() < 0) fail(path(name), "duration must not be negative");
  return d;
}

Fields Fields::object(std::string_view name) const {
  const auto* v = find(name);
  if (v == nullptr) return Fields(kEmptyObject, path(name));
  return of(*v, path(name));
}

std::map<std::string, std::string> Fields::string_map(std::string_view name) const {
  std::map<std::string, std::string> out;
  Fields obj = object(name);
  for (auto it = obj.json().begin(); it != obj.json().end(); ++it) {
    if (!it.value().is_string())
      fail(obj.path(it.key()), std::string("expected a string, got ") + type_name(it.value()));
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

}  // namespace utask::config::detail
