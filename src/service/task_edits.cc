// TaskService: changing tasks (api.md §5.3.4–§5.3.6). Each decision is taken on what was read,
// then written with a precondition naming it, so a concurrent change gives conflict instead
// of a lost update.

#include "engine/resolution_state.h"
#include "model/input_rules.h"
#include "persistence/store.h"
#include "service/resolution_records.h"
#include "service/task_events.h"
#include "service/task_service.h"

namespace utask::service {

namespace {

Error read_only_parent_tag() {
  return Error::invalid_input(
      std::string("tag ") + kParentTaskTag + " is read-only and cannot be modified", "tags");
}

// §5.3.4: the reserved tag must come back unchanged when the task has it, absent otherwise.
Result<void> check_parent_tag(const persistence::TaskRecord& task, const persistence::Tags& tags) {
  auto had = task.tags.find(kParentTaskTag);
  auto has = tags.find(kParentTaskTag);
  if (had == task.tags.end()) {
    if (has != tags.end()) return read_only_parent_tag();
  } else if (has == tags.end() || has->second != had->second) {
    return read_only_parent_tag();
  }
  return {};
}

}  // namespace

Result<TaskDetails> TaskService::update_task(const Caller& caller, const std::string& task_id,
                                             const UpdateTaskRequest& request) {
  auto loaded = load(task_id);
  if (!loaded) return loaded.error();
  auto& [task, tmpl] = *loaded;
  if (!may_update_task(caller, task, *tmpl)) return Error{ErrorCode::forbidden, "Can't update task", {}};
  if (task.resolution_id) {
    auto resolution = ctx_.store->get_resolution(*task.resolution_id,
                                                 persistence::ResolutionView::without_steps);
    if (!resolution) return resolution.error();
    if (resolution->state != engine::resolution_state::kPaused) {
      return Error{ErrorCode::conflict,
                   "Cannot update a task which resolution is not in state 'PAUSED'",
                   "resolution.state"};
    }
  }
  if (!request.input) return Error::invalid_input("Failed to update task: Missing input", "input");
  Json stored = Json::object();
  if (task.input_json) {
    auto parsed = parse_json(*task.input_json);
    if (!parsed) return Error::internal("stored task input is not JSON: " + parsed.error().message);
    stored = std::move(*parsed);
  }
  Json input = unmask_task_input(*request.input, stored);
  auto tag_check = check_parent_tag(task, request.tags);
  if (!tag_check) return tag_check.error();
  model::InputCheck check = model::validate_input_values(tmpl->inputs, input, true);
  if (!check.ok()) {
    const Error& e = check.errors.front();
    return Error{e.code, "Failed to update task: " + e.message, e.field};
  }

  // The title is rendered again from the new inputs, as at creation.
  engine::TaskRequest title_request;
  title_request.id = task.id;
  title_request.requester_username = task.requester_username;
  title_request.requester_groups = task.requester_groups;
  title_request.input = check.values;
  auto rendered = engine::create_task(*tmpl, title_request, ctx_.now(), ctx_.config_items, ctx_.region);
  if (!rendered) return Error{rendered.error().code, "Failed to update task: " + rendered.error().message,
                              rendered.error().field};

  auto comments = ctx_.store->list_comments(task.id);
  if (!comments) return comments.error();

  persistence::TaskChange change;
  change.title = rendered->title;
  change.input_json = to_json_text(check.values);
  change.watcher_usernames = request.watcher_usernames;
  change.watcher_groups = request.watcher_groups;
  change.tags = request.tags;
  change.comment = persistence::NewComment{caller.username, "manually edited task"};
  change.require_state.allowed = {task.state};
  if (task.resolution_id) {
    change.require_resolution = persistence::StateCondition{{std::string(engine::resolution_state::kPaused)}, {}};
  }
  auto updated = ctx_.store->update_task(task.id, change);
  if (!updated) return updated.error();
  TaskDetails details;
  details.task = std::move(*updated);
  details.comments = std::move(*comments);
  details.tmpl = std::move(tmpl);
  return details;
}

Result<void> TaskService::wontfix(const Caller& caller, const std::string& task_id) {
  auto loaded = load(task_id);
  if (!loaded) return loaded.error();
  auto& [task, tmpl] = *loaded;
  if (task.state != engine::task_state::kTodo) {
    return Error{ErrorCode::conflict,
                 "Can't set task's state to WONTFIX: task is in state " + task.state, "task.state"};
  }
  if (!may_wontfix(caller, task, *tmpl)) {
    return Error{ErrorCode::forbidden, "Can't set task's state to WONTFIX", {}};
  }
  persistence::TaskChange change;
  change.state = std::string(engine::task_state::kWontfix);
  change.comment = persistence::NewComment{caller.username, "changed task state to WONTFIX"};
  change.require_state.allowed = {std::string(engine::task_state::kTodo)};
  change.wake_parent = true;
  auto updated = ctx_.store->update_task(task.id, change);
  if (!updated) return updated.error();
  ctx_.notify({TaskEvent{config::NotifyAction::task_state_update, snapshot_of(*updated), {}, {}}});
  if (task.parent_task_id) ctx_.wake();
  return {};
}

Result<void> TaskService::delete_task(const Caller& caller, const std::string& task_id) {
  if (!may_use_admin_route(caller)) return Error{ErrorCode::unauthorized, "", {}};
  auto task = ctx_.store->get_task(task_id);
  if (!task) return task.error();
  if (task->state == engine::task_state::kRunning || task->state == engine::task_state::kBlocked) {
    return Error{ErrorCode::conflict, "Task can't be deleted while in state \"" + task->state + "\"",
                 "task.state"};
  }
  persistence::StateCondition require;
  require.refused = {std::string(engine::task_state::kRunning),
                     std::string(engine::task_state::kBlocked)};
  return ctx_.store->delete_task(task->id, require);
}

}  // namespace utask::service
