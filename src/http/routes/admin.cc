// GET /meta and POST /key-rotate (api.md §5.7), and the admin console's routes (issue 6):
// GET/PUT /admin/maintenance and GET /admin/key-rotation, admins only. The console
// (service::AdminConsole) owns the state; these handlers only bind and answer.
//
// POST /key-rotate starts the rotation in the background and answers 200 with an empty body
// at once (the original answered when it was over); its progress is on GET
// /admin/key-rotation. A second start while one runs is refused with 409 Conflict and the
// console's message (the only 409 of the API: it is neither a bad request nor a state the
// client could have checked, and scripts polling the rotation can tell it apart).

#include <string>

#include "build_info.h"
#include "http/binding.h"
#include "http/routes.h"
#include "http/routes/resolution_schemas.h"
#include "service/admin_console.h"

namespace utask::http {

namespace {

constexpr const char* kEnabledRequired = "binding error: field 'enabled' is required";

HttpResponse no_console() { return error_response(Error::internal("no admin console configured")); }

HttpResponse meta(const ApiContext& api, const RequestContext& ctx) {
  Json groups = Json::array();
  for (const auto& g : ctx.caller->groups) groups.push_back(g);
  return HttpResponse::json(
      200, Json{{"application_name", api.application_name},
                {"user_is_admin", ctx.caller->admin},
                {"username", ctx.caller->username},
                {"user_groups", std::move(groups)},
                {"version", api.version.empty() ? std::string(build_info::kVersion) : api.version},
                {"commit", build_info::kCommit}});
}

HttpResponse key_rotate(const ApiContext& api, const RequestContext& ctx) {
  if (!api.admin) return no_console();
  auto started = api.admin->start_key_rotation(ctx.caller->username);
  if (!started) {
    if (started.error().code == ErrorCode::conflict) return HttpResponse::error(409, started.error().message);
    return error_response(started.error());
  }
  return HttpResponse::empty(200);
}

HttpResponse maintenance_json(bool on) { return HttpResponse::json(200, Json{{"enabled", on}}); }

HttpResponse get_maintenance(const ApiContext& api, const RequestContext&) {
  if (!api.admin) return no_console();
  return maintenance_json(api.admin->maintenance_mode());
}

HttpResponse set_maintenance(const ApiContext& api, const RequestContext& ctx) {
  if (!api.admin) return no_console();
  auto body = bind_body(ctx.request);
  if (!body) return error_response(body.error());
  auto enabled = body_bool(*body, "enabled");
  if (!enabled) return error_response(enabled.error());
  if (!*enabled) return HttpResponse::error(400, kEnabledRequired);
  auto set = api.admin->set_maintenance_mode(**enabled, ctx.caller->username);
  if (!set) return error_response(set.error());
  return maintenance_json(**enabled);
}

HttpResponse key_rotation_status(const ApiContext& api, const RequestContext&) {
  if (!api.admin) return no_console();
  return HttpResponse::json(200, api.admin->key_rotation_status());
}

}  // namespace

void add_admin_routes(RouteTable& table, const ApiContext& api) {
  const ApiContext* a = &api;
  auto handler = [a](HttpResponse (*f)(const ApiContext&, const RequestContext&)) {
    return [a, f](const RequestContext& ctx) { return f(*a, ctx); };
  };
  table.add(Route{
      "GET", "/meta", Access::authenticated, false, handler(meta),
      RouteDoc{"GetMetadata", "x-misc",
               "The application's name and version, and who the caller is",
               {},
               std::nullopt,
               {{200, "the metadata"}, {401, "not authenticated"}},
               schemas::meta()}});
  table.add(Route{
      "POST", "/key-rotate", Access::admin, false, handler(key_rotate),
      RouteDoc{"ReencryptData", "x-misc",
               "Start re-encrypting every stored secret with the newest storage key, in the "
               "background (admins; allowed in maintenance mode; progress on "
               "GET /admin/key-rotation)",
               {},
               std::nullopt,
               {{200, "the rotation started (empty body)"},
                {401, "not authenticated, or not an admin"},
                {409, "a key rotation is already running"}},
               std::nullopt}});
  table.add(Route{
      "GET", "/admin/maintenance", Access::admin, false, handler(get_maintenance),
      RouteDoc{"GetMaintenanceMode", "06 - admin",
               "Whether maintenance mode is on (shared by every instance on the same database)",
               {},
               std::nullopt,
               {{200, "the maintenance mode"}, {401, "not authenticated, or not an admin"}},
               schemas::maintenance()}});
  table.add(Route{
      "PUT", "/admin/maintenance", Access::admin, false, handler(set_maintenance),
      RouteDoc{"SetMaintenanceMode", "06 - admin",
               "Switch maintenance mode on or off for every instance on the same database (each "
               "sees it within a second): writes are refused with 405, the engine claims nothing",
               {},
               schemas::maintenance(),
               {{200, "the maintenance mode now"},
                {400, "bad body, or `enabled` missing or not a boolean"},
                {401, "not authenticated, or not an admin"}},
               schemas::maintenance()}});
  table.add(Route{
      "GET", "/admin/key-rotation", Access::admin, false, handler(key_rotation_status),
      RouteDoc{"GetKeyRotationStatus", "06 - admin",
               "Progress of the key rotation: running, rows done / total, errors",
               {},
               std::nullopt,
               {{200, "the progress"}, {401, "not authenticated, or not an admin"}},
               schemas::key_rotation_status()}});
}

}  // namespace utask::http
