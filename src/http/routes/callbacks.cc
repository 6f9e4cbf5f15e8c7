// POST /unsecured/callback/{id} (api.md §5.8, actions.md §14): the URL the `callback` action
// hands out. No authentication (the token `t` is the credential); maintenance mode refuses it
// before anything else (the dispatcher checks maintenance first on unsecured routes). The
// service resolves the call: unknown id or wrong token look the same (404), so the route
// never reveals whether a callback exists.

#include <string>

#include "http/binding.h"
#include "http/routes.h"
#include "http/routes/resolution_schemas.h"
#include "service/action_services_impl.h"

namespace utask::http {

namespace {

// The original's binder message for the missing token.
constexpr const char* kMissingToken =
    "binding error on field 'CallbackSecret' of type 'handleCallbackIn': missing query parameter: t";

HttpResponse handle_callback(const ApiContext& api, const RequestContext& ctx) {
  auto token = query_string(ctx.request, "t");
  if (!token) return error_response(token.error());
  if (!*token) return HttpResponse::error(400, kMissingToken);
  auto body = bind_body(ctx.request);
  if (!body) return error_response(body.error());
  auto resolved =
      service::resolve_callback(*api.services, ctx.request.path_param("id"), **token, *body);
  if (!resolved) return error_response(resolved.error());
  return HttpResponse::json(200, Json{{"message", "The callback has been resolved"}});
}

}  // namespace

void add_callback_routes(RouteTable& table, const ApiContext& api) {
  const ApiContext* a = &api;
  table.add(Route{
      "POST", "/unsecured/callback/{id}", Access::unsecured, true,
      [a](const RequestContext& ctx) { return handle_callback(*a, ctx); },
      RouteDoc{"HandleCallback", "callback",
               "Resolve a callback of the `callback` action with a JSON (or YAML) object",
               {{"id", "path", "string", "public id of the callback", true},
                {"t", "query", "string", "the callback's secret token", true}},
               schemas::callback_body(),
               {{200, "the callback is resolved and its resolution resumed"},
                {400, "missing token; bad body; already resolved; task not BLOCKED, RUNNING or "
                      "WAITING; body fails the callback's schema"},
                {404, "unknown callback or wrong token"},
                {405, "maintenance mode"}},
               schemas::callback_answer()}});
}

}  // namespace utask::http
