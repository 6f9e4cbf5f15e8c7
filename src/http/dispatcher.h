#pragma once
// The middleware chain of api.md §1.8 over plain values, so it is tested without a socket:
//
//   crash recovery (exception → 500, empty body)
//   → static UI and /metrics (no CORS, no audit, no authentication)
//   → CORS headers → audit log line
//   → route match (404 `404 page not found`; trailing-slash redirect 301 GET / 307 others)
//   → authentication (authenticated and admin routes; 401 empty, WWW-Authenticate when the
//     provider said "unauthorized")
//   → admin guard (401 empty) → maintenance guard (405 `Maintenance mode activated`)
//   → handler → content negotiation (YAML when Accept asks for application/x-yaml).
//
// Thread safety: stateless over the (read-only) context and table; called concurrently.

#include <string>

#include "http/api_context.h"
#include "http/http_message.h"
#include "http/route_table.h"

namespace utask::http {

class Dispatcher {
 public:
  Dispatcher(const ApiContext& api, const RouteTable& routes) : api_(api), routes_(routes) {}

  // The answer to `request` (its body already bounded by the server).
  HttpResponse handle(HttpRequest request) const;

 private:
  HttpResponse handle_api(HttpRequest& request, std::string& pattern, std::string& user) const;

  const ApiContext& api_;
  const RouteTable& routes_;
};

// api.md §1.4: whether the Accept header selects YAML (the first application/json or
// application/x-yaml entry by q-value decides).
bool accepts_yaml(const std::string* accept);

}  // namespace utask::http
