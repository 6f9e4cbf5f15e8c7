// ResolutionService: creation, reads and explicit runs (api.md §5.6.1, §5.6.2, §5.6.4,
// §5.6.8). The operators' edits are in resolution_edits.cc.

#include "service/resolution_service.h"

#include "engine/resolution_state.h"
#include "persistence/store.h"
#include "service/ids.h"
#include "service/presenters.h"
#include "service/resolution_records.h"

namespace utask::service {

namespace {

Error forbidden(const char* message) { return Error{ErrorCode::forbidden, message, {}}; }

bool start_over_allowed_from(const std::string& state) {
  return state == engine::resolution_state::kPaused ||
         state == engine::resolution_state::kBlockedBadRequest ||
         state == engine::resolution_state::kCancelled;
}

struct Subject {
  persistence::ResolutionRecord resolution;
  persistence::TaskRecord task;
  std::shared_ptr<const model::TaskTemplate> tmpl;
};

Result<Subject> load_subject(const ServiceContext& ctx, const std::string& resolution_id,
                             persistence::ResolutionView view) {
  auto resolution = ctx.store->get_resolution(resolution_id, view);
  if (!resolution) return resolution.error();
  auto task = ctx.store->get_task(resolution->task_id);
  if (!task) return task.error();
  auto tmpl = ctx.find_template(task->template_name);
  if (!tmpl) return tmpl.error();
  return Subject{std::move(*resolution), std::move(*task), std::move(*tmpl)};
}

}  // namespace

Result<Json> ResolutionService::create_resolution(const Caller& caller,
                                                  const CreateResolutionRequest& request) {
  auto task = ctx_.store->get_task(request.task_id);
  if (!task) return task.error();
  if (request.start_over && !task->resolution_id) {
    return Error{ErrorCode::conflict,
                 "can't start over a task that hasn't been resolved at least once", "start_over"};
  }
  auto tmpl = ctx_.find_template(task->template_name);
  if (!tmpl) return tmpl.error();
  if (!may_create_resolution(caller, *task, **tmpl)) {
    return forbidden("You are not allowed to resolve this task");
  }
  persistence::ResolutionCreation creation;
  if (caller.admin) creation.add_task_resolver = caller.username;
  if (request.start_over) {
    if (!may_start_over(caller, *task, **tmpl)) return forbidden("You are not allowed to start over this task");
    auto old = ctx_.store->get_resolution(*task->resolution_id, persistence::ResolutionView::without_steps);
    if (!old) return old.error();
    if (!start_over_allowed_from(old->state)) {
      return Error{ErrorCode::conflict,
                   "can't start over a task that isn't in status \"PAUSED\", \"BLOCKED_BADREQUEST\" "
                   "or \"CANCELLED\"",
                   "resolution.state"};
    }
    creation.start_over = persistence::StateCondition{
        {std::string(engine::resolution_state::kPaused),
         std::string(engine::resolution_state::kBlockedBadRequest),
         std::string(engine::resolution_state::kCancelled)},
        {}};
  }

  engine::TaskState state;
  state.id = task->id;
  state.title = task->title;
  state.state = task->state;
  state.template_name = task->template_name;
  auto resolution = engine::create_resolution(**tmpl, std::move(state), new_uuid(), caller.username,
                                              request.resolver_inputs.is_null() ? Json::object()
                                                                                : request.resolver_inputs,
                                              true, ctx_.now());
  if (!resolution) {
    const Error& e = resolution.error();
    return Error{e.code, "Failed to create Resolution: " + e.message, e.field};
  }
  creation.resolution = to_resolution_record(*resolution);
  creation.require_task_state.refused = {std::string(engine::task_state::kWontfix)};
  auto created = ctx_.store->create_resolution(creation);
  if (!created) return created.error();
  ctx_.wake();
  return resolution_json(*created);
}

Result<Json> ResolutionService::get_resolution(const Caller& caller, const std::string& resolution_id) {
  auto s = load_subject(ctx_, resolution_id, persistence::ResolutionView::with_steps);
  if (!s) return s.error();
  if (!may_view_resolution(caller, s->task, *s->tmpl)) return forbidden("Can't display resolution details");
  const bool full = may_view_resolution_outputs(caller, s->task, *s->tmpl);
  auto json = resolution_json(s->resolution, full);
  if (!json) return json.error();
  if (!full) strip_resolution_json(*json);
  return json;
}

Result<Json> ResolutionService::get_step(const Caller& caller, const std::string& resolution_id,
                                         const std::string& step_name) {
  auto s = load_subject(ctx_, resolution_id, persistence::ResolutionView::without_steps);
  if (!s) return s.error();
  auto step = ctx_.store->get_step(s->resolution.id, step_name);
  if (!step) {
    if (step.error().code != ErrorCode::not_found) return step.error();
    return Error::not_found("given stepName \"" + step_name + "\" for this resolution not found");
  }
  if (!may_view_resolution(caller, s->task, *s->tmpl)) return forbidden("Can't display resolution details");
  auto json = step_json(*step);
  if (!json) return json.error();
  if (!may_view_resolution_outputs(caller, s->task, *s->tmpl)) strip_step_json(*json);
  return json;
}

Result<void> ResolutionService::run(const Caller& caller, const std::string& resolution_id) {
  auto s = load_subject(ctx_, resolution_id, persistence::ResolutionView::without_steps);
  if (!s) return s.error();
  if (!may_operate_resolution(caller, s->task, *s->tmpl)) {
    return forbidden("You are not allowed to resolve this task");
  }
  auto comment = ctx_.store->add_comment(s->task.id, {caller.username, "manually ran resolution"});
  if (!comment) return comment.error();
  if (!ctx_.runner) return Error::internal("no runtime to run resolution " + s->resolution.id);
  return ctx_.runner->run_now(s->resolution.id);
}

}  // namespace utask::service
