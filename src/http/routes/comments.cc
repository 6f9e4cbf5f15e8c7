// /task/{id}/comment and /task/{id}/comment/{commentid} (api.md §5.5). A comment is always
// addressed through its own task: through another task's URL it is not found (DECISIONS).

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

HttpResponse add_comment(const ApiContext& api, const RequestContext& ctx) {
  auto content = bind_comment_content(ctx.request);
  if (!content) return error_response(content.error());
  auto comment = api.tasks->add_comment(caller_of(ctx), ctx.request.path_param("id"), *content);
  if (!comment) return error_response(comment.error());
  return HttpResponse::json(201, service::comment_json(*comment));
}

HttpResponse list_comments(const ApiContext& api, const RequestContext& ctx) {
  auto comments = api.tasks->list_comments(caller_of(ctx), ctx.request.path_param("id"));
  if (!comments) return error_response(comments.error());
  Json out = Json::array();
  for (const auto& c : *comments) out.push_back(service::comment_json(c));
  return HttpResponse::json(200, out);
}

HttpResponse get_comment(const ApiContext& api, const RequestContext& ctx) {
  auto comment = api.tasks->get_comment(caller_of(ctx), ctx.request.path_param("id"),
                                        ctx.request.path_param("commentid"));
  if (!comment) return error_response(comment.error());
  return HttpResponse::json(200, service::comment_json(*comment));
}

HttpResponse update_comment(const ApiContext& api, const RequestContext& ctx) {
  auto content = bind_comment_content(ctx.request);
  if (!content) return error_response(content.error());
  auto comment = api.tasks->update_comment(caller_of(ctx), ctx.request.path_param("id"),
                                           ctx.request.path_param("commentid"), *content);
  if (!comment) return error_response(comment.error());
  return HttpResponse::json(200, service::comment_json(*comment));
}

HttpResponse delete_comment(const ApiContext& api, const RequestContext& ctx) {
  auto done = api.tasks->delete_comment(caller_of(ctx), ctx.request.path_param("id"),
                                        ctx.request.path_param("commentid"));
  if (!done) return error_response(done.error());
  return HttpResponse::empty(204);
}

std::vector<ParamDoc> task_param() { return {{"id", "path", "string", "task id (UUID)", true}}; }

std::vector<ParamDoc> comment_params() {
  return {{"id", "path", "string", "task id (UUID)", true},
          {"commentid", "path", "string", "comment id (UUID)", true}};
}

}  // namespace

void add_comment_routes(RouteTable& table, const ApiContext& api) {
  const ApiContext* a = &api;
  table.add(Route{
      "POST", "/task/{id}/comment", Access::authenticated, true,
      [a](const RequestContext& ctx) { return add_comment(*a, ctx); },
      RouteDoc{"AddTaskComment", "03 - comment", "Comment on a task",
               task_param(),
               schemas::comment_body(),
               {{201, "the comment"},
                {400, "bad body, content shorter than 3 or longer than 100000 bytes"},
                {401, "not authenticated"},
                {403, "Can't create comment"},
                {404, "unknown task"},
                {405, "maintenance mode"}},
               schemas::comment()}});
  table.add(Route{
      "GET", "/task/{id}/comment", Access::authenticated, false,
      [a](const RequestContext& ctx) { return list_comments(*a, ctx); },
      RouteDoc{"ListTaskComments", "03 - comment", "A task's comments, in creation order",
               task_param(),
               std::nullopt,
               {{200, "the comments"},
                {401, "not authenticated"},
                {403, "Can't list comment"},
                {404, "unknown task"}},
               schemas::array_of(schemas::comment())}});
  table.add(Route{
      "GET", "/task/{id}/comment/{commentid}", Access::authenticated, false,
      [a](const RequestContext& ctx) { return get_comment(*a, ctx); },
      RouteDoc{"GetTaskComment", "03 - comment", "One comment of a task",
               comment_params(),
               std::nullopt,
               {{200, "the comment"},
                {401, "not authenticated"},
                {403, "Can't get comment"},
                {404, "unknown task, or no such comment on it"}},
               schemas::comment()}});
  table.add(Route{
      "PUT", "/task/{id}/comment/{commentid}", Access::authenticated, true,
      [a](const RequestContext& ctx) { return update_comment(*a, ctx); },
      RouteDoc{"EditTaskComment", "03 - comment", "Change a comment's content (author or admin)",
               comment_params(),
               schemas::comment_body(),
               {{200, "the comment"},
                {400, "bad body, content length"},
                {401, "not authenticated"},
                {403, "Not allowed to update comment"},
                {404, "unknown task, or no such comment on it"},
                {405, "maintenance mode"}},
               schemas::comment()}});
  table.add(Route{
      "DELETE", "/task/{id}/comment/{commentid}", Access::authenticated, true,
      [a](const RequestContext& ctx) { return delete_comment(*a, ctx); },
      RouteDoc{"DeleteTaskComment", "03 - comment", "Delete a comment (author or admin)",
               comment_params(),
               std::nullopt,
               {{204, "deleted"},
                {401, "not authenticated"},
                {403, "Not allowed to delete comment"},
                {404, "unknown task, or no such comment on it"},
                {405, "maintenance mode"}},
               std::nullopt}});
}

}  // namespace utask::http
