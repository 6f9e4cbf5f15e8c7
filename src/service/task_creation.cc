// TaskService: POST /task and POST /batch (api.md §5.3.1, §5.4), and the creation shared with
// the subtask and batch actions. Every task is checked and built in memory first (engine's
// create_task / create_resolution), then all are written in one store transaction.

#include <set>

#include "engine/resolution_state.h"
#include "model/go_duration.h"
#include "persistence/store.h"
#include "service/ids.h"
#include "service/resolution_records.h"
#include "service/task_events.h"
#include "service/task_service.h"

namespace utask::service {

namespace {

Error reserved_tag() {
  return Error::invalid_input(std::string("tag name \"") + kParentTaskTag + "\" not allowed",
                              "tags");
}

Error prefixed(const Error& e, const std::string& prefix) {
  return Error{e.code, prefix + e.message, e.field};
}

// §5.3.1 steps 3–7 for one task of template `tmpl` (found and checked by the caller).
Result<persistence::NewTask> build_task(const ServiceContext& ctx, const Caller& caller,
                                        const model::TaskTemplate& tmpl, const TaskSpec& spec,
                                        engine::Time now) {
  const CreateTaskRequest& r = spec.request;
  if ((!r.resolver_usernames.empty() || !r.resolver_groups.empty()) &&
      !may_set_task_resolvers(caller, tmpl)) {
    return Error{ErrorCode::forbidden,
                 "resolver_usernames and resolver_groups can't be set by a regular user, you "
                 "need to be owner of the template, or admin",
                 "resolver_usernames"};
  }
  if (tmpl.blocked) return Error::invalid_input("Template not available (blocked)", "template_name");

  engine::TaskRequest request;
  request.id = new_uuid();
  request.requester_username = caller.username;
  request.requester_groups = caller.groups;
  request.watcher_usernames = r.watcher_usernames;
  request.watcher_groups = r.watcher_groups;
  request.resolver_usernames = r.resolver_usernames;
  request.resolver_groups = r.resolver_groups;
  request.input = r.input.is_null() ? Json::object() : r.input;
  request.tags = std::map<std::string, std::string>(r.tags.begin(), r.tags.end());
  if (spec.parent_task_id) request.tags[kParentTaskTag] = *spec.parent_task_id;
  request.batch_id = spec.batch_id;
  auto task = engine::create_task(tmpl, request, now, ctx.config_items, ctx.region);
  if (!task) return prefixed(task.error(), "Failed to create new Task: ");
  const bool delayed = spec.delay.has_value() || r.delay.has_value();
  if (delayed) task->state = std::string(engine::task_state::kDelayed);

  persistence::NewTask out;
  if (!r.comment.empty()) {
    auto length = check_comment_length(r.comment);
    if (!length) return length.error();
    out.comment = persistence::NewComment{caller.username, r.comment};
  }

  out.task = to_task_record(*task);
  const bool auto_runnable = tmpl.auto_runnable && tmpl.resolver_inputs.empty();
  if (auto_runnable && may_auto_run(caller, out.task, tmpl)) {
    std::optional<std::chrono::microseconds> delay = spec.delay;
    if (!delay && r.delay) {
      auto parsed = model::parse_go_duration(*r.delay);
      if (!parsed) return Error::invalid_input("delay: " + parsed.error().message, "delay");
      delay = std::chrono::duration_cast<std::chrono::microseconds>(*parsed);
    }
    auto resolution = engine::create_resolution(tmpl, *task, new_uuid(), caller.username,
                                                Json::object(), true, now);
    if (!resolution) return prefixed(resolution.error(), "Failed to create Resolution: ");
    if (delay) {
      resolution->state = std::string(engine::resolution_state::kToAutorunDelayed);
      resolution->next_retry = now + *delay;
    }
    out.resolution = to_resolution_record(*resolution);
  }
  return out;
}

Result<void> check_tags(const persistence::Tags& tags) {
  if (tags.count(kParentTaskTag)) return reserved_tag();
  return {};
}

// §5.4: the element's keys, then each common key; a key in both is refused.
Result<Json> merge_inputs(const Json& input, const Json& common) {
  Json merged = input.is_object() ? input : Json::object();
  if (!input.is_object() && !input.is_null()) {
    return Error::invalid_input("input of a batch task must be an object", "inputs");
  }
  if (common.is_object()) {
    for (auto it = common.begin(); it != common.end(); ++it) {
      if (merged.contains(it.key())) return Error::invalid_input("Conflicting keys in input maps", "inputs");
      merged[it.key()] = it.value();
    }
  }
  return merged;
}

// actions.md §8.2: every new task is announced; one without a resolution also waits for a
// human to start it (task_validation).
std::vector<TaskEvent> creation_events(const model::TaskTemplate& tmpl,
                                       const std::vector<persistence::TaskRecord>& tasks) {
  std::vector<TaskEvent> events;
  for (const auto& t : tasks) {
    TaskSnapshot s = snapshot_of(t);
    s.potential_resolvers = tmpl.allowed_resolver_usernames;
    if (tmpl.allow_all_resolver_usernames) s.potential_resolvers.push_back(t.requester_username);
    events.push_back(TaskEvent{config::NotifyAction::task_state_update, s, {}, {}});
    if (!t.resolution_id) {
      events.push_back(TaskEvent{config::NotifyAction::task_validation, std::move(s), {}, {}});
    }
  }
  return events;
}

}  // namespace

Result<void> check_comment_length(const std::string& content) {
  if (content.size() < 3) {
    return Error::invalid_input(
        "Failed to create comment: task comment can't be shorter than 3 characters", "comment");
  }
  if (content.size() > 100000) {
    return Error::invalid_input(
        "Failed to create comment: task comment can't be longer than 100000 characters", "comment");
  }
  return {};
}

Result<std::vector<persistence::TaskRecord>> TaskService::create_tasks(
    const Caller& requester, const std::string& template_name, std::vector<TaskSpec> specs,
    const std::optional<persistence::Batch>& batch, bool create_batch) {
  auto tmpl = ctx_.find_template(template_name);
  if (!tmpl) return tmpl.error();
  const engine::Time now = ctx_.now();
  persistence::TaskCreation creation;
  if (create_batch) creation.batch = batch;
  bool any_resolution = false;
  for (auto& spec : specs) {
    auto tags = check_tags(spec.request.tags);
    if (!tags) return tags.error();
    if (batch) spec.batch_id = batch->id;
    auto built = build_task(ctx_, requester, **tmpl, spec, now);
    if (!built) return built.error();
    any_resolution = any_resolution || built->resolution.has_value();
    creation.tasks.push_back(std::move(*built));
  }
  std::vector<std::string> resolution_ids;
  for (const auto& t : creation.tasks) {
    resolution_ids.push_back(t.resolution ? t.resolution->id : std::string());
  }
  auto created = ctx_.store->create_tasks(creation);
  if (!created) return created.error();
  // The stored records may omit the joined resolution columns of tasks just created.
  for (size_t i = 0; i < created->size() && i < resolution_ids.size(); ++i) {
    auto& t = (*created)[i];
    if (!t.resolution_id && !resolution_ids[i].empty()) {
      t.resolution_id = resolution_ids[i];
      t.resolver_username = requester.username;
    }
  }
  if (any_resolution) ctx_.wake();
  ctx_.notify(creation_events(**tmpl, *created));
  return std::move(*created);
}

Result<TaskDetails> TaskService::create_task(const Caller& caller, const CreateTaskRequest& request) {
  auto tmpl = ctx_.find_template(request.template_name);
  if (!tmpl) return tmpl.error();
  auto tags = check_tags(request.tags);
  if (!tags) return tags.error();
  std::vector<TaskSpec> specs(1);
  specs[0].request = request;
  auto created = create_tasks(caller, request.template_name, std::move(specs), std::nullopt, false);
  if (!created) return created.error();
  TaskDetails details;
  details.task = std::move(created->front());
  details.tmpl = *tmpl;
  if (!request.comment.empty()) {
    auto comments = ctx_.store->list_comments(details.task.id);
    if (!comments) return comments.error();
    details.comments = std::move(*comments);
  }
  return details;
}

Result<BatchCreated> TaskService::create_batch(const Caller& caller,
                                               const CreateBatchRequest& request) {
  auto tags = check_tags(request.tags);
  if (!tags) return tags.error();
  auto tmpl = ctx_.find_template(request.template_name);
  if (!tmpl) return tmpl.error();
  std::vector<TaskSpec> specs;
  for (const auto& input : request.inputs) {
    auto merged = merge_inputs(input, request.common_input);
    if (!merged) return merged.error();
    TaskSpec spec;
    spec.request.template_name = request.template_name;
    spec.request.input = std::move(*merged);
    spec.request.comment = request.comment;
    spec.request.watcher_usernames = request.watcher_usernames;
    spec.request.watcher_groups = request.watcher_groups;
    spec.request.tags = request.tags;
    specs.push_back(std::move(spec));
  }
  BatchCreated out;
  out.batch.id = new_uuid();
  out.batch.created = ctx_.now();
  auto created = create_tasks(caller, request.template_name, std::move(specs), out.batch, true);
  if (!created) return created.error();
  out.tasks = std::move(*created);
  return out;
}

}  // namespace utask::service
