// POST/GET /task, GET/PUT/DELETE /task/{id}, POST /task/{id}/wontfix, POST /batch (api.md
// §5.3, §5.4): bind the request, call service::TaskService, shape the response.

#include "http/binding.h"
#include "http/routes.h"
#include "http/routes/task_binding.h"
#include "http/routes/task_schemas.h"
#include "service/presenters.h"
#include "service/task_service.h"

namespace utask::http {

namespace {

const service::Caller& caller_of(const RequestContext& ctx) {
  static const service::Caller kNobody;
  return ctx.caller ? *ctx.caller : kNobody;
}

HttpResponse create_task(const ApiContext& api, const RequestContext& ctx) {
  auto request = bind_create_task(ctx.request);
  if (!request) return error_response(request.error());
  auto created = api.tasks->create_task(caller_of(ctx), *request);
  if (!created) return error_response(created.error());
  return HttpResponse::json(201, created->to_json());
}

HttpResponse list_tasks(const ApiContext& api, const RequestContext& ctx) {
  auto query = bind_list_tasks(ctx.request);
  if (!query) return error_response(query.error());
  auto page = api.tasks->list_tasks(caller_of(ctx), *query);
  if (!page) return error_response(page.error());
  Json out = Json::array();
  service::TaskJsonOptions options;
  options.with_input = false;
  options.with_result = false;
  for (const auto& task : page->items) out.push_back(service::task_json(task, options));
  auto response = HttpResponse::json(200, out);
  const size_t page_size = service::normalize_page_size(query->page_size);
  auto carried = list_tasks_link_filters(ctx.request);
  carried.emplace_back("last", page->next);
  carried.emplace_back("page_size", std::to_string(page_size));
  add_paging_headers(response, "/task", page_size, page->items.size(), std::move(carried));
  return response;
}

HttpResponse get_task(const ApiContext& api, const RequestContext& ctx) {
  auto details = api.tasks->get_task(caller_of(ctx), ctx.request.path_param("id"));
  if (!details) return error_response(details.error());
  return HttpResponse::json(200, details->to_json());
}

HttpResponse update_task(const ApiContext& api, const RequestContext& ctx) {
  auto request = bind_update_task(ctx.request);
  if (!request) return error_response(request.error());
  auto details = api.tasks->update_task(caller_of(ctx), ctx.request.path_param("id"), *request);
  if (!details) return error_response(details.error());
  return HttpResponse::json(200, details->to_json());
}

HttpResponse wontfix(const ApiContext& api, const RequestContext& ctx) {
  auto done = api.tasks->wontfix(caller_of(ctx), ctx.request.path_param("id"));
  if (!done) return error_response(done.error());
  return HttpResponse::empty(204);
}

HttpResponse delete_task(const ApiContext& api, const RequestContext& ctx) {
  auto done = api.tasks->delete_task(caller_of(ctx), ctx.request.path_param("id"));
  if (!done) return error_response(done.error());
  return HttpResponse::empty(204);
}

HttpResponse create_batch(const ApiContext& api, const RequestContext& ctx) {
  auto request = bind_create_batch(ctx.request);
  if (!request) return error_response(request.error());
  auto created = api.tasks->create_batch(caller_of(ctx), *request);
  if (!created) return error_response(created.error());
  return HttpResponse::json(201, Json{{"id", created->batch.id}});
}

ParamDoc task_id_param() { return {"id", "path", "string", "task id (UUID)", true}; }

std::vector<ParamDoc> list_params() {
  return {
      {"type", "query", "string", "own (default), resolvable or all"},
      {"state", "query", "string", "task state (TODO, DELAYED, RUNNING, WAITING, BLOCKED, DONE, "
                                   "CANCELLED, WONTFIX)"},
      {"batch", "query", "string", "batch id"},
      {"template", "query", "string", "template name"},
      {"tag", "query", "array", "key=value, repeatable; every pair must be on the task"},
      {"page_size", "query", "integer",
       "items per page: absent or 0 → 1000, below 10 → 10, above 10000 → 10000"},
      {"last", "query", "string", "id of the last task of the previous page"},
      {"after", "query", "string", "RFC 3339: last activity strictly after"},
      {"before", "query", "string", "RFC 3339: last activity strictly before"},
  };
}

}  // namespace

void add_task_routes(RouteTable& table, const ApiContext& api) {
  const ApiContext* a = &api;
  table.add(Route{
      "POST", "/task", Access::authenticated, true,
      [a](const RequestContext& ctx) { return create_task(*a, ctx); },
      RouteDoc{"CreateTask", "01 - task", "Create a task from a template",
               {},
               schemas::create_task_body(),
               {{201, "the task"},
                {400, "bad body, reserved tag, blocked template, invalid input, comment length, delay"},
                {401, "not authenticated"},
                {403, "resolver lists set by a caller who is neither admin nor template owner"},
                {404, "unknown template"},
                {405, "maintenance mode"}},
               schemas::task()}});
  table.add(Route{
      "GET", "/task", Access::authenticated, false,
      [a](const RequestContext& ctx) { return list_tasks(*a, ctx); },
      RouteDoc{"ListTasks", "01 - task",
               "List tasks by last activity, newest first (inputs and results left out)",
               list_params(),
               std::nullopt,
               {{200, "the tasks"},
                {400, "bad type, tag, state, page_size, after or before"},
                {401, "not authenticated"},
                {404, "unknown batch or `last`"}},
               schemas::array_of(schemas::task_list_item())}});
  table.add(Route{
      "GET", "/task/{id}", Access::authenticated, false,
      [a](const RequestContext& ctx) { return get_task(*a, ctx); },
      RouteDoc{"GetTask", "01 - task", "A task with its comments (password inputs masked)",
               {task_id_param()},
               std::nullopt,
               {{200, "the task"},
                {401, "not authenticated"},
                {403, "Can't display task details"},
                {404, "unknown task"}},
               schemas::task()}});
  table.add(Route{
      "PUT", "/task/{id}", Access::authenticated, true,
      [a](const RequestContext& ctx) { return update_task(*a, ctx); },
      RouteDoc{"EditTask", "01 - task",
               "Replace a task's input, watchers and tags (absent lists and tags are cleared)",
               {task_id_param()},
               schemas::update_task_body(),
               {{200, "the task"},
                {400, "bad body, missing or invalid input, resolution not PAUSED, read-only tag"},
                {401, "not authenticated"},
                {403, "Can't update task"},
                {404, "unknown task"},
                {405, "maintenance mode"}},
               schemas::task()}});
  table.add(Route{
      "POST", "/task/{id}/wontfix", Access::authenticated, true,
      [a](const RequestContext& ctx) { return wontfix(*a, ctx); },
      RouteDoc{"CancelTask", "01 - task", "Reject a task in state TODO (state WONTFIX)",
               {task_id_param()},
               std::nullopt,
               {{204, "rejected"},
                {400, "the task is not in state TODO"},
                {401, "not authenticated"},
                {403, "Can't set task's state to WONTFIX"},
                {404, "unknown task"},
                {405, "maintenance mode"}},
               std::nullopt}});
  table.add(Route{
      "DELETE", "/task/{id}", Access::admin, true,
      [a](const RequestContext& ctx) { return delete_task(*a, ctx); },
      RouteDoc{"DeleteTask", "01 - task",
               "Delete a task with its comments and resolution (admins)",
               {task_id_param()},
               std::nullopt,
               {{204, "deleted"},
                {400, "the task is RUNNING or BLOCKED"},
                {401, "not authenticated, or not an admin"},
                {404, "unknown task"},
                {405, "maintenance mode"}},
               std::nullopt}});
  table.add(Route{
      "POST", "/batch", Access::authenticated, true,
      [a](const RequestContext& ctx) { return create_batch(*a, ctx); },
      RouteDoc{"BatchCreateTask", "01 - task",
               "Create one task per element of `inputs`, all or nothing",
               {},
               schemas::create_batch_body(),
               {{201, "the batch"},
                {400, "bad body, reserved tag, conflicting input keys, invalid input"},
                {401, "not authenticated"},
                {404, "unknown template"},
                {405, "maintenance mode"}},
               schemas::batch()}});
}

}  // namespace utask::http
