#pragma once
// The API's route table: every route the server answers, with who may call it, whether
// maintenance mode refuses it, its handler and its documentation. The server dispatches from
// it and /unsecured/spec.json is generated from it, so the OpenAPI document cannot drift
// from what is served (issue: "generated from the same route table the server uses").
//
// Thread safety: built before the server starts, then read-only; handlers are called
// concurrently from the server's threads.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_message.h"
#include "model/json.h"
#include "service/authorization.h"

namespace utask::http {

// Who may reach a route, checked before the handler (api.md §1.8, §5).
enum class Access {
  unsecured,      // no authentication (/unsecured/*, /metrics)
  authenticated,  // the identity provider runs; its refusal is a 401
  admin,          // authenticated, then the admin guard: 401 with an empty body
};

// Documentation of one parameter for the OpenAPI document.
struct ParamDoc {
  std::string name;
  std::string in;    // "path" or "query"
  std::string type;  // OpenAPI schema type: "string", "integer", "boolean", "array"
  std::string description;
  bool required = false;
};

struct RouteDoc {
  std::string operation_id;  // api.md §7
  std::string tag;           // api.md §7
  std::string summary;
  std::vector<ParamDoc> params;       // path parameters are added from the pattern if missing
  std::optional<Json> request_body;   // JSON schema of the body, when it takes one
  // Status → description (and optional JSON schema under "schema").
  std::vector<std::pair<int, std::string>> responses;
  std::optional<Json> response_schema;  // schema of the success payload
};

// What a handler gets besides the request: the caller (absent on unsecured routes).
struct RequestContext {
  const HttpRequest& request;
  const service::Caller* caller = nullptr;
};

using Handler = std::function<HttpResponse(const RequestContext&)>;

struct Route {
  std::string method;   // "GET", "POST", "PUT", "DELETE"
  std::string pattern;  // "/task/{id}/comment/{commentid}" (OpenAPI syntax)
  Access access = Access::authenticated;
  // Refused with 405 `Maintenance mode activated` while maintenance mode is on (api.md §4),
  // after the admin guard for admin routes.
  bool maintenance_sensitive = false;
  Handler handler;
  RouteDoc doc;
  bool hidden_from_spec = false;  // /metrics and the static UI are not API operations
  // Outside the API router (/metrics, the static UI, api.md §1.8): no CORS headers, no audit
  // line, no request metrics; only crash recovery applies.
  bool bare = false;
};

struct RouteMatch {
  const Route* route = nullptr;
  std::map<std::string, std::string> path_params;
};

class RouteTable {
 public:
  // A second route with the same method and pattern is a programming error (throws
  // std::logic_error at start-up, never at request time).
  void add(Route route);

  // The route for a method and a decoded path: segments match literally or bind a
  // `{param}` (a non-empty segment); a final `{*rest}` binds the rest of the path (any number
  // of segments, possibly none); literal segments win over parameters.
  std::optional<RouteMatch> match(std::string_view method, std::string_view path) const;
  // Whether some route answers `path` with a trailing slash added or removed (for the
  // 301/307 redirect of api.md §1.1); returns the registered form.
  std::optional<std::string> redirect_target(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace utask::http
