// /resolution and its steps (api.md §5.6): each handler binds the request, calls the
// ResolutionService (which authorises, checks states and writes) and shapes the answer. The
// route guards of §3.2 and §4 (admin, maintenance) are declared here and applied by the
// dispatcher before the handler runs.

#include <chrono>
#include <string>

#include "http/binding.h"
#include "http/metrics.h"
#include "http/routes.h"
#include "http/routes/resolution_schemas.h"
#include "persistence/store.h"
#include "service/context.h"
#include "service/resolution_service.h"

namespace utask::http {

namespace {

// §5.6.10: the original's validator message for an absent or empty state.
constexpr const char* kStateRequired =
    "binding error: Key: 'updateResolutionStepStateIn.State' Error:Field validation for 'State' "
    "failed on the 'required' tag";

const std::string& resolution_id(const RequestContext& ctx) { return ctx.request.path_param("id"); }
const std::string& step_name(const RequestContext& ctx) { return ctx.request.path_param("stepName"); }

HttpResponse no_content(const Result<void>& done) {
  return done ? HttpResponse::empty(204) : error_response(done.error());
}

HttpResponse create_resolution(const ApiContext& api, const RequestContext& ctx) {
  auto body = bind_body(ctx.request);
  if (!body) return error_response(body.error());
  service::CreateResolutionRequest request;
  auto task_id = body_string(*body, "task_id");
  if (!task_id) return error_response(task_id.error());
  auto inputs = body_object(*body, "resolver_inputs");
  if (!inputs) return error_response(inputs.error());
  auto start_over = body_bool(*body, "start_over");
  if (!start_over) return error_response(start_over.error());
  request.task_id = task_id->value_or("");
  if (*inputs) request.resolver_inputs = std::move(**inputs);
  request.start_over = start_over->value_or(false);
  auto created = api.resolutions->create_resolution(*ctx.caller, request);
  if (!created) return error_response(created.error());
  if (api.metrics && api.services && api.services->store) {
    // utask_valid_times: how long the task waited for its resolution.
    if (auto task = api.services->store->get_task(request.task_id); task) {
      const double waited = std::chrono::duration<double>(
          std::chrono::system_clock::now() - task->created).count();
      api.metrics->observe_resolution_created(task->template_name, waited);
    }
  }
  return HttpResponse::json(201, *created);
}

HttpResponse get_resolution(const ApiContext& api, const RequestContext& ctx) {
  auto found = api.resolutions->get_resolution(*ctx.caller, resolution_id(ctx));
  if (!found) return error_response(found.error());
  return HttpResponse::json(200, *found);
}

HttpResponse update_resolution(const ApiContext& api, const RequestContext& ctx) {
  auto body = bind_body(ctx.request);
  if (!body) return error_response(body.error());
  service::UpdateResolutionRequest request;
  auto steps = body_object(*body, "steps");
  if (!steps) return error_response(steps.error());
  auto inputs = body_object(*body, "resolver_inputs");
  if (!inputs) return error_response(inputs.error());
  request.steps = std::move(*steps);
  request.resolver_inputs = std::move(*inputs);
  return no_content(api.resolutions->update_resolution(*ctx.caller, resolution_id(ctx), request));
}

HttpResponse run_resolution(const ApiContext& api, const RequestContext& ctx) {
  return no_content(api.resolutions->run(*ctx.caller, resolution_id(ctx)));
}

HttpResponse pause_resolution(const ApiContext& api, const RequestContext& ctx) {
  auto force = query_bool(ctx.request, "force");
  if (!force) return error_response(force.error());
  return no_content(api.resolutions->pause(*ctx.caller, resolution_id(ctx), force->value_or(false)));
}

HttpResponse extend_resolution(const ApiContext& api, const RequestContext& ctx) {
  return no_content(api.resolutions->extend(*ctx.caller, resolution_id(ctx)));
}

HttpResponse cancel_resolution(const ApiContext& api, const RequestContext& ctx) {
  return no_content(api.resolutions->cancel(*ctx.caller, resolution_id(ctx)));
}

HttpResponse get_step(const ApiContext& api, const RequestContext& ctx) {
  auto found = api.resolutions->get_step(*ctx.caller, resolution_id(ctx), step_name(ctx));
  if (!found) return error_response(found.error());
  return HttpResponse::json(200, *found);
}

HttpResponse update_step(const ApiContext& api, const RequestContext& ctx) {
  auto body = bind_body(ctx.request);
  if (!body) return error_response(body.error());
  return no_content(api.resolutions->update_step(*ctx.caller, resolution_id(ctx), step_name(ctx), *body));
}

HttpResponse set_step_state(const ApiContext& api, const RequestContext& ctx) {
  auto body = bind_body(ctx.request);
  if (!body) return error_response(body.error());
  auto state = body_string(*body, "state");
  if (!state) return error_response(state.error());
  if (!*state || (*state)->empty()) return HttpResponse::error(400, kStateRequired);
  return no_content(
      api.resolutions->set_step_state(*ctx.caller, resolution_id(ctx), step_name(ctx), **state));
}

ParamDoc id_param() { return {"id", "path", "string", "public id of the resolution (UUID)", true}; }
ParamDoc step_param() { return {"stepName", "path", "string", "name of a step of the resolution", true}; }

// A write answered 204, with the refusals every operation on a resolution shares.
std::vector<std::pair<int, std::string>> operation_answers(const char* forbidden,
                                                           const char* bad_state) {
  return {{204, "done"},
          {400, bad_state},
          {401, "not authenticated"},
          {403, forbidden},
          {404, "unknown resolution"},
          {405, "maintenance mode"}};
}

}  // namespace

void add_resolution_routes(RouteTable& table, const ApiContext& api) {
  const ApiContext* a = &api;
  auto handler = [a](HttpResponse (*f)(const ApiContext&, const RequestContext&)) {
    return [a, f](const RequestContext& ctx) { return f(*a, ctx); };
  };
  table.add(Route{
      "POST", "/resolution", Access::authenticated, true, handler(create_resolution),
      RouteDoc{"CreateTaskResolution", "02 - resolution",
               "Create the resolution of a task (state TO_AUTORUN: the engine runs it)",
               {},
               schemas::create_resolution_body(),
               {{201, "the resolution, with its steps"},
                {400, "bad body; start_over without resolution or from a wrong state; task in "
                      "WONTFIX; missing or invalid resolver input; the task already has a resolution"},
                {401, "not authenticated"},
                {403, "You are not allowed to resolve this task / You are not allowed to start over "
                      "this task"},
                {404, "unknown task"},
                {405, "maintenance mode"}},
               schemas::resolution()}});
  table.add(Route{
      "GET", "/resolution/{id}", Access::authenticated, false, handler(get_resolution),
      RouteDoc{"GetTaskResolution", "02 - resolution",
               "A resolution with its steps (outputs, metadata, children, items and resolver inputs "
               "only for admins and resolution managers)",
               {id_param()},
               std::nullopt,
               {{200, "the resolution"},
                {401, "not authenticated"},
                {403, "Can't display resolution details"},
                {404, "unknown resolution"}},
               schemas::resolution()}});
  table.add(Route{
      "PUT", "/resolution/{id}", Access::admin, true, handler(update_resolution),
      RouteDoc{"EditTaskResolution", "02 - resolution",
               "Hot-fix a PAUSED resolution (admins): replace its step map and/or resolver inputs",
               {id_param()},
               schemas::update_resolution_body(),
               {{204, "updated"},
                {400, "bad body; not PAUSED; invalid step; state not allowed for a step"},
                {401, "not authenticated, or not an admin"},
                {404, "unknown resolution"},
                {405, "maintenance mode"}},
               std::nullopt}});
  table.add(Route{
      "POST", "/resolution/{id}/run", Access::authenticated, true, handler(run_resolution),
      RouteDoc{"ExecuteTask", "02 - resolution",
               "Run a resolution now (waits up to 5 s for the start of the run)",
               {id_param()},
               std::nullopt,
               operation_answers("You are not allowed to resolve this task",
                                 "Can't run resolution: cancelled / already running / already done"),
               std::nullopt}});
  table.add(Route{
      "POST", "/resolution/{id}/pause", Access::authenticated, true, handler(pause_resolution),
      RouteDoc{"PauseTaskExecution", "02 - resolution",
               "Pause a resolution (force: admins, any state, the running holder stops)",
               {id_param(),
                {"force", "query", "boolean", "pause whatever the state (admins only)", false}},
               std::nullopt,
               operation_answers("You are not allowed to pause this task / Not an admin user",
                                 "Can't pause resolution while in state <STATE>; bad force value"),
               std::nullopt}});
  table.add(Route{
      "POST", "/resolution/{id}/extend", Access::authenticated, true, handler(extend_resolution),
      RouteDoc{"ExtendTaskResolution", "02 - resolution",
               "Give a BLOCKED_MAXRETRIES resolution another retry budget",
               {id_param()},
               std::nullopt,
               operation_answers("Not allowed to extend resolution",
                                 "Cannot extend a resolution which is not in state "
                                 "'BLOCKED_MAXRETRIES'"),
               std::nullopt}});
  table.add(Route{
      "POST", "/resolution/{id}/cancel", Access::authenticated, true, handler(cancel_resolution),
      RouteDoc{"CancelTaskResolution", "02 - resolution", "Cancel a resolution and its task",
               {id_param()},
               std::nullopt,
               operation_answers("You are not allowed to cancel this task",
                                 "Can't cancel resolution: state <STATE>"),
               std::nullopt}});
  table.add(Route{
      "GET", "/resolution/{id}/step/{stepName}", Access::authenticated, false, handler(get_step),
      RouteDoc{"GetTaskResolutionStep", "02 - resolution",
               "One step of a resolution (stripped for viewers who are not managers)",
               {id_param(), step_param()},
               std::nullopt,
               {{200, "the step"},
                {401, "not authenticated"},
                {403, "Can't display resolution details"},
                {404, "unknown resolution or step"}},
               schemas::step()}});
  table.add(Route{
      "PUT", "/resolution/{id}/step/{stepName}", Access::admin, true, handler(update_step),
      RouteDoc{"EditTaskResolutionStep", "02 - resolution",
               "Hot-fix one step of a PAUSED resolution (admins): the body is the whole step",
               {id_param(), step_param()},
               schemas::step(),
               {{204, "updated"},
                {400, "bad body; not PAUSED; invalid step; state not allowed"},
                {401, "not authenticated, or not an admin"},
                {404, "unknown resolution or step"},
                {405, "maintenance mode"}},
               std::nullopt}});
  table.add(Route{
      "PUT", "/resolution/{id}/step/{stepName}/state", Access::authenticated, true,
      handler(set_step_state),
      RouteDoc{"EditTaskResolutionStepState", "02 - resolution",
               "Change the state of one step of a PAUSED resolution (admins, template owners)",
               {id_param(), step_param()},
               schemas::step_state_body(),
               {{204, "updated"},
                {400, "state missing; not PAUSED; state not allowed for the step"},
                {401, "not authenticated"},
                {403, "Can't update resolution step state"},
                {404, "unknown resolution or step"},
                {405, "maintenance mode"}},
               std::nullopt}});
}

}  // namespace utask::http
