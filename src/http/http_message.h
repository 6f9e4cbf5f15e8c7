#pragma once
// A request and a response as the API's handlers see them: plain values, no RESTinio. Only
// server.cc knows RESTinio; it converts to and from these, so handlers and their tests build
// without the heavy headers.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/json.h"

namespace utask::http {

// Header names compare case-insensitively (RFC 9110 §5.1).
struct HeaderLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::map<std::string, std::string, HeaderLess>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query
  // Query parameters in arrival order, decoded; a name may repeat (api.md §1.3).
  std::vector<std::pair<std::string, std::string>> query;
  std::string raw_query;  // as received, without the '?' (kept by redirects)
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1:54321"
  // Filled by the router from the route's pattern ("/task/{id}" → {"id", "..."}).
  std::map<std::string, std::string> path_params;

  const std::string* header(std::string_view name) const;
  const std::string& path_param(const std::string& name) const;  // "" when absent
  // Every value of a query parameter, in order.
  std::vector<std::string> query_values(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;

  // A JSON payload: Content-Type `application/json; charset=utf-8` (content negotiation to
  // YAML happens once, in the server, from the request's Accept header).
  static HttpResponse json(int status, const Json& payload);
  // `{"error": message}` with the given status (api.md §1.6).
  static HttpResponse error(int status, std::string_view message);
  // No body (204, or the empty-bodied 401 and 500 of api.md §1.6).
  static HttpResponse empty(int status);
  static HttpResponse text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

}  // namespace utask::http
