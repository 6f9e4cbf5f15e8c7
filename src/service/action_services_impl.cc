#include "service/action_services_impl.h"

#include <algorithm>

#include "engine/resolution_state.h"
#include "model/json_schema.h"
#include "persistence/store.h"
#include "service/ids.h"
#include "service/resolution_records.h"

namespace utask::service {

namespace {

Result<actions::TaskView> to_view(const persistence::TaskRecord& task) {
  actions::TaskView view;
  view.id = task.id;
  view.state = task.state;
  auto result = parse_stored_json(task.result_json, "task result");
  if (!result) return result.error();
  view.result = std::move(*result);
  view.has_resolution = task.resolution_id.has_value();
  if (view.has_resolution && !task.resolver_username.empty()) view.resolver_username = task.resolver_username;
  view.requester_username = task.requester_username;
  view.batch_id = task.batch_id;
  return view;
}

Result<actions::CallbackView> to_view(const persistence::CallbackRecord& record) {
  actions::CallbackView view;
  view.id = record.id;
  view.token = record.token;
  view.task_id = record.task_id;
  view.resolution_id = record.resolution_id;
  view.resolver_username = record.resolver_username;
  auto schema = parse_stored_json(record.schema_json, "callback schema");
  if (!schema) return schema.error();
  view.schema = std::move(*schema);
  view.called = record.called;
  auto body = parse_stored_json(record.body_json, "callback body");
  if (!body) return body.error();
  view.body = std::move(*body);
  view.created = record.created;
  return view;
}

Result<void> check_tags(const std::map<std::string, std::string>& tags) {
  if (tags.count(kParentTaskTag)) {
    return Error::invalid_input(std::string("tag name \"") + kParentTaskTag + "\" not allowed", "tags");
  }
  return {};
}

// Compares every byte whatever the first difference, so timing tells nothing of the secret.
bool same_secret(std::string_view given, std::string_view secret) {
  if (given.size() != secret.size() || secret.empty()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < secret.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ secret[i]);
  return diff == 0;
}

}  // namespace

Result<actions::TaskView> ActionServicesImpl::create_child_task(const actions::ChildTaskRequest& request) {
  auto tags = check_tags(request.tags);
  if (!tags) return tags.error();
  TaskSpec spec;
  CreateTaskRequest& r = spec.request;
  r.template_name = request.template_name;
  r.input = request.input;
  r.comment = request.comment.value_or("");
  r.watcher_usernames = request.watcher_usernames;
  r.watcher_groups = request.watcher_groups;
  r.resolver_usernames = request.resolver_usernames;
  r.resolver_groups = request.resolver_groups;
  r.tags = persistence::Tags(request.tags.begin(), request.tags.end());
  spec.delay = request.delay;
  spec.parent_task_id = request.parent_task_id;
  std::vector<TaskSpec> specs;
  specs.push_back(std::move(spec));
  const Caller requester = ctx_.caller(request.requester.username, request.requester.groups);
  auto created = tasks_.create_tasks(requester, request.template_name, std::move(specs), std::nullopt, false);
  if (!created) return created.error();
  return to_view(created->front());
}

Result<actions::BatchWave> ActionServicesImpl::create_batch_wave(const actions::BatchWaveRequest& request) {
  auto tags = check_tags(request.tags);
  if (!tags) return tags.error();
  persistence::Batch batch{request.batch_id, ctx_.now()};
  bool create = request.batch_id.empty();
  if (create) {
    batch.id = new_uuid();
  } else {
    auto existing = ctx_.store->get_batch(request.batch_id);
    if (existing) {
      batch = std::move(*existing);
    } else if (existing.error().code == ErrorCode::not_found) {
      create = true;  // collected once it had no task left: re-created with the same id
    } else {
      return existing.error();
    }
  }
  std::vector<TaskSpec> specs;
  for (const auto& input : request.inputs) {
    TaskSpec spec;
    spec.request.template_name = request.template_name;
    spec.request.input = input;
    spec.request.comment = request.comment.value_or("");
    spec.request.watcher_usernames = request.watcher_usernames;
    spec.request.watcher_groups = request.watcher_groups;
    spec.request.tags = persistence::Tags(request.tags.begin(), request.tags.end());
    spec.parent_task_id = request.parent_task_id;
    specs.push_back(std::move(spec));
  }
  const Caller requester = ctx_.caller(request.requester.username, request.requester.groups);
  auto created = tasks_.create_tasks(requester, request.template_name, std::move(specs), batch, create);
  if (!created) return created.error();
  actions::BatchWave wave;
  wave.batch_id = batch.id;
  for (const auto& t : *created) {
    auto view = to_view(t);
    if (!view) return view.error();
    wave.tasks.push_back(std::move(*view));
  }
  return wave;
}

Result<actions::TaskView> ActionServicesImpl::get_task(const std::string& task_id) {
  auto task = ctx_.store->get_task(task_id);
  if (!task) return task.error();
  return to_view(*task);
}

Result<std::vector<std::string>> ActionServicesImpl::batch_task_states(const std::string& batch_id) {
  auto batch = ctx_.store->get_batch(batch_id);
  if (!batch) return batch.error();
  persistence::TaskFilter filter;
  filter.viewer.admin = true;
  filter.scope = persistence::TaskScope::all;
  filter.batch_id = batch->id;
  filter.page.limit = 10000;
  std::vector<std::string> states;
  while (true) {
    auto page = ctx_.store->list_tasks(filter);
    if (!page) return page.error();
    for (const auto& t : page->items) states.push_back(t.state);
    if (page->next.empty() || page->items.empty()) break;
    filter.page.after = page->next;
  }
  return states;
}

Result<void> ActionServicesImpl::add_run_max(const std::string& resolution_id, int delta) {
  auto resolution = ctx_.store->get_resolution(resolution_id, persistence::ResolutionView::without_steps);
  if (!resolution) return resolution.error();
  persistence::ResolutionChange change;
  change.run_max = resolution->run_max + delta;
  change.require_state.allowed = {resolution->state};
  change.touch_task = false;
  auto written = ctx_.store->update_resolution(resolution->id, change);
  if (!written) return written.error();
  return {};
}

Result<actions::CallbackView> ActionServicesImpl::create_callback(const actions::NewCallbackRequest& request) {
  persistence::CallbackRecord record;
  record.task_id = request.task_id;
  record.resolution_id = request.resolution_id;
  record.resolver_username = request.resolver_username;
  record.token = new_uuid();
  record.schema_json = to_json_text(request.schema);
  auto created = ctx_.store->create_callback(record);
  if (!created) return created.error();
  return to_view(*created);
}

Result<actions::CallbackView> ActionServicesImpl::get_callback(const std::string& callback_id) {
  auto found = ctx_.store->get_callback(callback_id);
  if (!found) return found.error();
  return to_view(*found);
}

std::string ActionServicesImpl::callback_url(std::string_view callback_id, std::string_view token) const {
  return callbacks_.url_for(callback_id) + "?t=" + std::string(token);
}

Result<bool> ActionServicesImpl::template_exists(const std::string& template_name) {
  auto found = ctx_.find_template(template_name);
  if (found) return true;
  if (found.error().code != ErrorCode::not_found) return found.error();
  auto stored = ctx_.store->get_template(template_name);
  if (stored) return true;
  if (stored.error().code == ErrorCode::not_found) return false;
  return stored.error();
}

Result<void> resolve_callback(const ServiceContext& ctx, const std::string& callback_id,
                              const std::string& token, const Json& body) {
  const Error unknown = Error::not_found("failed to load callback from public id: callback not found");
  auto callback = ctx.store->get_callback(callback_id);
  if (!callback) return callback.error().code == ErrorCode::not_found ? unknown : callback.error();
  if (!same_secret(token, callback->token)) return unknown;
  if (callback->called) {
    return Error{ErrorCode::conflict, "callback has already been resolved", "callback.called"};
  }
  auto task = ctx.store->get_task(callback->task_id);
  if (!task) return Error::invalid_input("unable to fetch related task", "task");
  persistence::StateCondition waiting;
  waiting.allowed = {std::string(engine::task_state::kBlocked), std::string(engine::task_state::kRunning),
                     std::string(engine::task_state::kWaiting)};
  if (std::find(waiting.allowed.begin(), waiting.allowed.end(), task->state) == waiting.allowed.end()) {
    return Error{ErrorCode::conflict, "related task is not in a valid state: " + task->state, "task.state"};
  }
  auto schema = parse_stored_json(callback->schema_json, "callback schema");
  if (!schema) return schema.error();
  if (!schema->is_null()) {
    auto compiled = model::JsonSchema::compile(*schema);
    if (!compiled) return Error::internal("stored callback schema: " + compiled.error().message);
    auto violations = compiled->validate(body);
    if (!violations.empty()) {
      return Error::invalid_input("unable to validate body: " + violations.front(), "body");
    }
  }
  auto called = ctx.store->mark_callback_called(callback->id, to_json_text(body), waiting);
  if (!called) return called.error();
  ctx.wake();
  return {};
}

}  // namespace utask::service
