#include "service/resolution_records.h"

#include "model/json.h"
#include "persistence/store.h"

namespace utask::service {
namespace {

using engine::Changes;
using engine::ResolutionState;
using engine::StepState;
using engine::TaskState;

bool task_ended(const std::string& state) {
  return state == engine::task_state::kDone || state == engine::task_state::kCancelled ||
         state == engine::task_state::kWontfix;
}

// The task's columns, all of them or (with `written`) those that differ from it. True when
// any is written.
bool add_task_columns(const ResolutionState& r, persistence::ResolutionChange& change,
                      const TaskState* written = nullptr) {
  const TaskState& t = r.task;
  bool any = false;
  if (!written || written->state != t.state) change.task_state = t.state, any = true;
  if (!written || written->title != t.title) change.task_title = t.title, any = true;
  if (!written || written->input != t.input) change.task_input_json = to_json_text(t.input), any = true;
  if (!written || written->tags != t.tags) {
    change.task_tags = persistence::Tags(t.tags.begin(), t.tags.end());
    any = true;
  }
  if (!written || written->steps_done != t.steps_done) change.steps_done = t.steps_done, any = true;
  if (!written || written->result != t.result) change.task_result_json = to_json_text(t.result), any = true;
  if (task_ended(t.state)) {
    auto parent = t.tags.find(kParentTaskTag);
    if (parent != t.tags.end() && !parent->second.empty()) {
      change.wake_parent = persistence::ResolutionChange::WakeParent{parent->second,
                                                                     t.batch_id.has_value()};
    }
  }
  return any;
}

void add_resolution_columns(const ResolutionState& r, persistence::ResolutionChange& change) {
  change.state = r.state;
  change.last_start = r.last_start;
  change.last_stop = r.last_stop;
  // An unset next_retry keeps the stored one (engine.md §10.3); the store applies the
  // earlier-only rule to a set one.
  if (r.next_retry) change.next_retry = std::optional<persistence::Timestamp>(*r.next_retry);
  change.run_count = static_cast<int>(r.run_count);
  change.run_max = static_cast<int>(r.run_max);
  change.resolver_inputs_json = to_json_text(r.resolver_inputs);
}

}  // namespace

Result<Json> parse_stored_json(const std::optional<std::string>& text, const char* what) {
  if (!text || text->empty()) return Json(nullptr);
  auto parsed = parse_json(*text);
  if (!parsed) return Error::internal(std::string("stored ") + what + " is not JSON: " + parsed.error().message);
  return std::move(*parsed);
}

Result<ResolutionState> to_resolution_state(const persistence::TaskRecord& task,
                                            const persistence::ResolutionRecord& resolution) {
  ResolutionState r;
  r.id = resolution.id;
  r.resolver_username = resolution.resolver_username;
  r.state = resolution.state;
  r.instance_id = resolution.instance_id;
  r.created = resolution.created;
  r.last_start = resolution.last_start;
  r.last_stop = resolution.last_stop;
  r.next_retry = resolution.next_retry;
  r.run_count = resolution.run_count;
  r.run_max = resolution.run_max;
  auto inputs = parse_stored_json(resolution.resolver_inputs_json, "resolver_inputs");
  if (!inputs) return inputs.error();
  r.resolver_inputs = inputs->is_null() ? Json::object() : std::move(*inputs);
  auto bases = parse_stored_json(resolution.base_configurations_json, "base_configurations");
  if (!bases) return bases.error();
  r.base_configurations = bases->is_null() ? Json::object() : std::move(*bases);
  for (const auto& row : resolution.steps) {
    auto json = parse_json(row.step_json);
    if (!json) return Error::internal("stored step \"" + row.name + "\" is not JSON: " + json.error().message);
    auto step = engine::step_from_json(*json);
    if (!step) return Error::internal("stored step \"" + row.name + "\": " + step.error().message);
    r.steps.emplace(row.name, std::move(*step));
  }

  TaskState& t = r.task;
  t.id = task.id;
  t.title = task.title;
  t.template_name = task.template_name;
  t.state = task.state;
  t.requester_username = task.requester_username;
  t.requester_groups = task.requester_groups;
  t.watcher_usernames = task.watcher_usernames;
  t.watcher_groups = task.watcher_groups;
  t.resolver_usernames = task.resolver_usernames;
  t.resolver_groups = task.resolver_groups;
  t.created = task.created;
  t.last_activity = task.last_activity;
  auto input = parse_stored_json(task.input_json, "task input");
  if (!input) return input.error();
  t.input = input->is_null() ? Json::object() : std::move(*input);
  auto result = parse_stored_json(task.result_json, "task result");
  if (!result) return result.error();
  t.result = std::move(*result);
  t.tags = std::map<std::string, std::string>(task.tags.begin(), task.tags.end());
  t.steps_done = task.steps_done;
  t.steps_total = task.steps_total;
  t.batch_id = task.batch_id;
  return r;
}

Result<ResolutionState> load_resolution_state(persistence::Store& store,
                                              const std::string& resolution_id) {
  auto records = store.get_resolution_and_task(resolution_id);
  if (!records) return records.error();
  return to_resolution_state(records->second, records->first);
}

persistence::TaskRecord to_task_record(const TaskState& t) {
  persistence::TaskRecord task;
  task.id = t.id;
  task.template_name = t.template_name;
  task.batch_id = t.batch_id;
  auto parent = t.tags.find(kParentTaskTag);
  if (parent != t.tags.end() && !parent->second.empty()) task.parent_task_id = parent->second;
  task.title = t.title;
  task.state = t.state;
  task.requester_username = t.requester_username;
  task.requester_groups = t.requester_groups;
  task.watcher_usernames = t.watcher_usernames;
  task.watcher_groups = t.watcher_groups;
  task.resolver_usernames = t.resolver_usernames;
  task.resolver_groups = t.resolver_groups;
  task.tags = persistence::Tags(t.tags.begin(), t.tags.end());
  task.steps_done = t.steps_done;
  task.steps_total = t.steps_total;
  task.created = t.created;
  task.last_activity = t.last_activity;
  task.input_json = to_json_text(t.input);
  task.result_json = to_json_text(t.result);
  return task;
}

persistence::StepRecord to_step_record(const StepState& step) {
  return {step.name(), step.state, to_json_text(engine::step_to_json(step))};
}

persistence::ResolutionRecord to_resolution_record(const ResolutionState& r) {
  persistence::ResolutionRecord record;
  record.id = r.id;
  record.task_id = r.task.id;
  record.task_title = r.task.title;
  record.resolver_username = r.resolver_username;
  record.state = r.state;
  record.instance_id = r.instance_id;
  record.created = r.created;
  record.last_start = r.last_start;
  record.last_stop = r.last_stop;
  record.next_retry = r.next_retry;
  record.run_count = static_cast<int>(r.run_count);
  record.run_max = static_cast<int>(r.run_max);
  record.resolver_inputs_json = to_json_text(r.resolver_inputs);
  record.base_configurations_json = to_json_text(r.base_configurations);
  for (const auto& [name, step] : r.steps) record.steps.push_back(to_step_record(step));
  return record;
}

persistence::ResolutionChange to_change(const ResolutionState& r, const Changes& changes,
                                        const TaskState* written) {
  persistence::ResolutionChange change;
  for (const auto& name : changes.steps) {
    auto it = r.steps.find(name);
    if (it != r.steps.end()) change.put_steps.push_back(to_step_record(it->second));
  }
  for (const auto& name : changes.removed_steps) {
    if (!r.steps.count(name)) change.erase_steps.push_back(name);
  }
  if (changes.resolution) add_resolution_columns(r, change);
  change.touch_task = changes.task && add_task_columns(r, change, written);
  return change;
}

persistence::ResolutionChange to_full_change(const ResolutionState& r) {
  persistence::ResolutionChange change;
  for (const auto& [name, step] : r.steps) change.put_steps.push_back(to_step_record(step));
  change.replace_steps = true;
  add_resolution_columns(r, change);
  add_task_columns(r, change);
  return change;
}

}  // namespace utask::service
