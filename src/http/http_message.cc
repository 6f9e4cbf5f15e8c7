#include "http/http_message.h"

#include <algorithm>
#include <cctype>

namespace utask::http {

bool HeaderLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) < std::tolower(static_cast<unsigned char>(y));
  });
}

const std::string* HttpRequest::header(std::string_view name) const {
  auto it = headers.find(name);
  return it == headers.end() ? nullptr : &it->second;
}

const std::string& HttpRequest::path_param(const std::string& name) const {
  static const std::string empty;
  auto it = path_params.find(name);
  return it == path_params.end() ? empty : it->second;
}

std::vector<std::string> HttpRequest::query_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [k, v] : query) {
    if (k == name) values.push_back(v);
  }
  return values;
}

HttpResponse HttpResponse::json(int status, const Json& payload) {
  HttpResponse r;
  r.status = status;
  r.headers["Content-Type"] = "application/json; charset=utf-8";
  r.body = to_json_text(payload);
  return r;
}

HttpResponse HttpResponse::error(int status, std::string_view message) {
  Json payload = Json::object();
  payload["error"] = std::string(message);
  return json(status, payload);
}

HttpResponse HttpResponse::empty(int status) {
  HttpResponse r;
  r.status = status;
  return r;
}

HttpResponse HttpResponse::text(int status, std::string body, std::string content_type) {
  HttpResponse r;
  r.status = status;
  r.headers["Content-Type"] = std::move(content_type);
  r.body = std::move(body);
  return r;
}

}  // namespace utask::http
