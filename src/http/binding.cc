#include "http/binding.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "engine/step_state.h"
#include "model/yaml_json.h"

namespace utask::http {
namespace {

constexpr const char* kBodyError = "binding error: error parsing request body: ";

Error body_error(const std::string& detail) { return Error::invalid_input(kBodyError + detail); }

const char* type_name(const Json& v) {
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  return "null";
}

// The original's coercion of a scalar into a string field (api.md §1.2).
std::optional<std::string> scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return json_number_text(v);
  return std::nullopt;
}

const Json* member(const Json& body, std::string_view field) {
  if (!body.is_object()) return nullptr;
  auto it = body.find(std::string(field));
  if (it == body.end() || it->is_null()) return nullptr;
  return &*it;
}

Error query_type_error(std::string_view name, std::string_view kind) {
  return Error::invalid_input("expected '" + std::string(name) + "' to be of type " + std::string(kind));
}

// Form-url-encoding as Go's url.QueryEscape: unreserved characters kept, space as '+'.
std::string query_escape(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

// A numeric offset (±hh:mm) or Z is required after the time of day (api.md §1.3).
bool has_zone(std::string_view text) {
  if (text.empty()) return false;
  if (text.back() == 'Z' || text.back() == 'z') return true;
  if (text.size() < 6) return false;
  const auto tail = text.substr(text.size() - 6);
  return (tail[0] == '+' || tail[0] == '-') && std::isdigit(static_cast<unsigned char>(tail[1])) &&
         std::isdigit(static_cast<unsigned char>(tail[2])) && tail[3] == ':' &&
         std::isdigit(static_cast<unsigned char>(tail[4])) &&
         std::isdigit(static_cast<unsigned char>(tail[5]));
}

}  // namespace

Result<Json> bind_body(const HttpRequest& request) {
  const auto& text = request.body;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  // JSON first (the common case, and exact), then YAML 1.1, of which JSON is a subset.
  Result<Json> parsed = parse_json(text);
  if (!parsed) {
    // A complete JSON value followed by more text is malformed (DECISIONS.md), even where
    // the YAML reader would stop at the value's end.
    if (parsed.error().message.find("expected end of input") != std::string::npos) {
      return body_error(parsed.error().message);
    }
    parsed = model::yaml_to_json(text);
    if (!parsed) return body_error(parsed.error().message);
  }
  if (parsed->is_null()) return Json::object();
  if (!parsed->is_object()) {
    return body_error(std::string("expected an object, got ") + type_name(*parsed));
  }
  return std::move(*parsed);
}

Result<std::optional<std::string>> body_string(const Json& body, std::string_view field) {
  const Json* v = member(body, field);
  if (!v) return std::optional<std::string>();
  if (auto text = scalar_text(*v)) return std::optional<std::string>(std::move(*text));
  return body_error("field '" + std::string(field) + "': expected a string, got " + type_name(*v));
}

Result<std::vector<std::string>> body_string_list(const Json& body, std::string_view field) {
  std::vector<std::string> out;
  const Json* v = member(body, field);
  if (!v) return out;
  if (!v->is_array()) {
    return body_error("field '" + std::string(field) + "': expected a list of strings, got " +
                      type_name(*v));
  }
  for (const auto& element : *v) {
    if (element.is_null()) {
      out.emplace_back();
      continue;
    }
    auto text = scalar_text(element);
    if (!text) {
      return body_error("field '" + std::string(field) + "': expected a list of strings, got " +
                        type_name(element) + " in it");
    }
    out.push_back(std::move(*text));
  }
  return out;
}

Result<std::optional<Json>> body_object(const Json& body, std::string_view field) {
  const Json* v = member(body, field);
  if (!v) return std::optional<Json>();
  if (!v->is_object()) {
    return body_error("field '" + std::string(field) + "': expected an object, got " + type_name(*v));
  }
  return std::optional<Json>(*v);
}

Result<std::map<std::string, std::string>> body_string_map(const Json& body, std::string_view field) {
  std::map<std::string, std::string> out;
  const Json* v = member(body, field);
  if (!v) return out;
  if (!v->is_object()) {
    return body_error("field '" + std::string(field) + "': expected an object of strings, got " +
                      type_name(*v));
  }
  for (const auto& [key, value] : v->items()) {
    if (value.is_null()) {
      out[key] = "";
      continue;
    }
    auto text = scalar_text(value);
    if (!text) {
      return body_error("field '" + std::string(field) + "." + key + "': expected a string, got " +
                        type_name(value));
    }
    out[key] = std::move(*text);
  }
  return out;
}

Result<std::optional<bool>> body_bool(const Json& body, std::string_view field) {
  const Json* v = member(body, field);
  if (!v) return std::optional<bool>();
  if (!v->is_boolean()) {
    return body_error("field '" + std::string(field) + "': expected a boolean, got " + type_name(*v));
  }
  return std::optional<bool>(v->get<bool>());
}

Result<std::optional<std::string>> query_string(const HttpRequest& request, std::string_view name) {
  auto values = request.query_values(name);
  if (values.empty()) return std::optional<std::string>();
  if (values.size() > 1) {
    return Error::invalid_input("binding error on query parameter '" + std::string(name) +
                                "': multiple values not supported");
  }
  return std::optional<std::string>(std::move(values.front()));
}

Result<std::optional<uint64_t>> query_uint64(const HttpRequest& request, std::string_view name) {
  auto text = query_string(request, name);
  if (!text) return text.error();
  if (!*text) return std::optional<uint64_t>();
  const std::string& s = **text;
  if (s.empty()) return std::optional<uint64_t>(0);  // the original binds "" as 0
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return query_type_error(name, "uint64");
  return std::optional<uint64_t>(value);
}

Result<std::optional<bool>> query_bool(const HttpRequest& request, std::string_view name) {
  auto text = query_string(request, name);
  if (!text) return text.error();
  if (!*text) return std::optional<bool>();
  static const std::vector<std::string> yes{"1", "t", "T", "TRUE", "true", "True"};
  static const std::vector<std::string> no{"", "0", "f", "F", "FALSE", "false", "False"};
  const std::string& s = **text;
  if (std::find(yes.begin(), yes.end(), s) != yes.end()) return std::optional<bool>(true);
  if (std::find(no.begin(), no.end(), s) != no.end()) return std::optional<bool>(false);
  return query_type_error(name, "bool");
}

Result<std::optional<persistence::Timestamp>> query_time(const HttpRequest& request,
                                                         std::string_view name) {
  auto text = query_string(request, name);
  if (!text) return text.error();
  if (!*text || (*text)->empty()) return std::optional<persistence::Timestamp>();
  const std::string& s = **text;
  if (!has_zone(s)) return query_type_error(name, "struct");
  auto t = engine::parse_time(s);
  if (!t) return query_type_error(name, "struct");
  return std::optional<persistence::Timestamp>(*t);
}

std::vector<std::string> query_list(const HttpRequest& request, std::string_view name) {
  std::vector<std::string> out;
  for (auto& v : request.query_values(name)) {
    if (!v.empty()) out.push_back(std::move(v));
  }
  return out;
}

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_input:
    case ErrorCode::invalid_template:
    case ErrorCode::invalid_config:
    case ErrorCode::conflict:
      return 400;
    case ErrorCode::unauthorized:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::lease_lost:
    case ErrorCode::transient:
    case ErrorCode::internal:
      return 500;
  }
  return 500;
}

HttpResponse error_response(const Error& error) {
  const int status = status_of(error.code);
  if (status == 401) return HttpResponse::empty(401);
  if (status == 500) {
    spdlog::error("request failed ({}): {}", to_string(error.code), error.message);
    return HttpResponse::error(500, "Internal server error");
  }
  return HttpResponse::error(status, error.message);
}

void add_paging_headers(HttpResponse& response, std::string_view path, size_t page_size,
                        size_t returned, std::vector<std::pair<std::string, std::string>> query) {
  response.headers["X-Paging-PageSize"] = std::to_string(page_size);
  if (returned != page_size) return;
  std::stable_sort(query.begin(), query.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string link = "<" + std::string(path);
  char separator = '?';
  for (const auto& [k, v] : query) {
    link += separator;
    link += query_escape(k) + "=" + query_escape(v);
    separator = '&';
  }
  link += ">; rel=next";
  response.headers["Link"] = link;
}

}  // namespace utask::http
