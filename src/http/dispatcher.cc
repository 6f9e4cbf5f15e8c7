#include "http/dispatcher.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include "http/auth.h"
#include "http/metrics.h"
#include "http/yaml_output.h"
#include "service/admin_console.h"

namespace utask::http {
namespace {

void add_cors(HttpResponse& response) {
  response.headers["Access-Control-Allow-Origin"] = "*";
  response.headers["Access-Control-Allow-Methods"] = "GET,POST,PUT,DELETE";
  response.headers["Access-Control-Allow-Headers"] = "Content-Type";
  response.headers["Access-Control-Expose-Headers"] = "Content-Type";
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

const std::string& header_or_empty(const HttpRequest& request, std::string_view name) {
  static const std::string empty;
  const std::string* v = request.header(name);
  return v ? *v : empty;
}

// The query as logged: decoded, with the callback secret (`t`) masked (config.md §8).
std::string logged_query(const HttpRequest& request) {
  std::string out;
  for (const auto& [name, value] : request.query) {
    if (!out.empty()) out += '&';
    out += name + "=" + (name == "t" ? std::string("***") : value);
  }
  return out;
}

}  // namespace

bool accepts_yaml(const std::string* accept) {
  if (!accept) return false;
  struct Entry {
    std::string type;
    double q;
  };
  std::vector<Entry> entries;
  size_t start = 0;
  while (start <= accept->size()) {
    size_t comma = accept->find(',', start);
    if (comma == std::string::npos) comma = accept->size();
    const std::string_view item(accept->data() + start, comma - start);
    start = comma + 1;
    const auto semi = item.find(';');
    Entry e{lower(trim(item.substr(0, semi))), 1.0};
    if (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      while (!params.empty()) {
        const auto next = params.find(';');
        const std::string p = trim(params.substr(0, next));
        if (p.size() > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') e.q = std::atof(p.c_str() + 2);
        if (next == std::string_view::npos) break;
        params.remove_prefix(next + 1);
      }
    }
    if (!e.type.empty()) entries.push_back(std::move(e));
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.q > b.q; });
  for (const auto& e : entries) {
    if (e.q <= 0) continue;
    if (e.type == "application/json") return false;
    if (e.type == "application/x-yaml") return true;
  }
  return false;
}

HttpResponse Dispatcher::handle(HttpRequest request) const {
  const auto started = std::chrono::steady_clock::now();
  std::string pattern = "unmatched";
  std::string user;
  std::string operation;
  bool bare = false;
  HttpResponse response;
  try {
    const auto match = routes_.match(request.method, request.path);
    if (match && match->route->bare) {
      // /metrics and the static UI: only crash recovery applies.
      bare = true;
      request.path_params = match->path_params;
      response = match->route->handler(RequestContext{request, nullptr});
    } else {
      if (match) operation = match->route->doc.operation_id;
      response = handle_api(request, pattern, user);
      add_cors(response);
      if (accepts_yaml(request.header("Accept"))) {
        auto it = response.headers.find("Content-Type");
        if (it != response.headers.end() && it->second.rfind("application/json", 0) == 0) {
          if (auto yaml = json_text_to_yaml(response.body)) {
            response.body = std::move(*yaml);
            it->second = "application/x-yaml";
          }
        }
      }
    }
  } catch (const std::exception& e) {
    spdlog::error("{} {}: handler failed: {}", request.method, request.path, e.what());
    response = HttpResponse::empty(500);
    if (!bare) add_cors(response);
  } catch (...) {
    spdlog::error("{} {}: handler failed", request.method, request.path);
    response = HttpResponse::empty(500);
    if (!bare) add_cors(response);
  }
  if (bare) return response;

  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (api_.metrics) api_.metrics->observe_request(request.method, pattern, response.status, seconds);
  // The audit line (config.md §8): never a body, a secret or the Authorization header.
  const bool success = response.status < 400;
  auto level = success ? spdlog::level::info : spdlog::level::err;
  if (response.status < 500 && !success) level = spdlog::level::warn;
  spdlog::log(level,
              "api status={} method={} path={} query=\"{}\" action={} user={} success={} "
              "duration_ms={:.3f} remote_ip={} request_host={} user_agent=\"{}\" request_id={} "
              "runner_instance={} log_type=api",
              response.status, request.method, request.path, logged_query(request),
              operation.empty() ? "-" : operation, user.empty() ? "-" : user, success,
              seconds * 1000, request.remote_address, header_or_empty(request, "Host"),
              header_or_empty(request, "User-Agent"), header_or_empty(request, "X-Request-Id"),
              api_.instance_id);
  return response;
}

HttpResponse Dispatcher::handle_api(HttpRequest& request, std::string& pattern,
                                    std::string& user) const {
  auto match = routes_.match(request.method, request.path);
  if (!match) {
    if (auto target = routes_.redirect_target(request.method, request.path)) {
      HttpResponse r = HttpResponse::empty(request.method == "GET" ? 301 : 307);
      r.headers["Location"] = *target + (request.raw_query.empty() ? "" : "?" + request.raw_query);
      return r;
    }
    return HttpResponse::text(404, "404 page not found");
  }
  const Route& route = *match->route;
  pattern = route.pattern;
  request.path_params = std::move(match->path_params);

  std::optional<service::Caller> caller;
  if (route.access != Access::unsecured) {
    if (!api_.auth) return HttpResponse::empty(401);
    auto authenticated = api_.auth->authenticate(request);
    if (!authenticated) {
      HttpResponse r = HttpResponse::empty(401);
      if (authenticated.error().code == ErrorCode::unauthorized) {
        r.headers["WWW-Authenticate"] = "Basic realm=\"Authorization Required\"";
      }
      return r;
    }
    caller = std::move(*authenticated);
    user = caller->username;
    if (route.access == Access::admin && !caller->admin) return HttpResponse::empty(401);
  }
  if (route.maintenance_sensitive && api_.admin && api_.admin->maintenance_mode()) {
    return HttpResponse::error(405, "Maintenance mode activated");
  }
  return route.handler(RequestContext{request, caller ? &*caller : nullptr});
}

}  // namespace utask::http
