#include "engine/resolution_state.h"

#include "engine/data_tree.h"
#include "engine/title_result.h"
#include "model/input_rules.h"
#include "values/variables.h"

namespace utask::engine {

Json resolution_to_json(const ResolutionState& r) {
  Json out = Json::object();
  out["id"] = r.id;
  out["resolver_username"] = r.resolver_username;
  out["state"] = r.state;
  if (r.instance_id) out["instance_id"] = *r.instance_id;
  out["created"] = format_time(r.created);
  if (r.last_start) out["last_start"] = format_time(*r.last_start);
  if (r.last_stop) out["last_stop"] = format_time(*r.last_stop);
  if (r.next_retry) out["next_retry"] = format_time(*r.next_retry);
  out["run_count"] = r.run_count;
  out["run_max"] = r.run_max;
  out["base_configurations"] = r.base_configurations;
  out["task_id"] = r.task.id;
  out["task_title"] = r.task.title;
  if (!r.steps.empty()) {
    Json steps = Json::object();
    for (const auto& [name, step] : r.steps) steps[name] = step_to_json(step);
    out["steps"] = std::move(steps);
  }
  if (!r.resolver_inputs.is_null() && !r.resolver_inputs.empty()) {
    out["resolver_inputs"] = r.resolver_inputs;
  }
  return out;
}

Result<TaskState> create_task(const model::TaskTemplate& tmpl, const TaskRequest& request,
                              Time now, const Json& config_items, std::string_view region) {
  model::InputCheck check = model::validate_input_values(tmpl.inputs, request.input, false);
  if (!check.ok()) return check.errors.front();

  TaskState task;
  task.id = request.id;
  task.template_name = tmpl.name;
  task.state = std::string(task_state::kTodo);
  task.requester_username = request.requester_username;
  task.requester_groups = request.requester_groups;
  task.watcher_usernames = request.watcher_usernames;
  task.watcher_groups = request.watcher_groups;
  task.resolver_usernames = request.resolver_usernames;
  task.resolver_groups = request.resolver_groups;
  task.created = now;
  task.last_activity = now;
  task.input = check.values;
  task.result = tmpl.result_format.is_object() ? tmpl.result_format : Json::object();
  task.steps_total = static_cast<int>(tmpl.steps.size());
  task.batch_id = request.batch_id;

  // Title and tags see the raw request inputs (§3.1), the variables and the task infos.
  const values::Variables variables = values::Variables::make(tmpl.variables);
  Json data = Json::object();
  data["input"] = request.input.is_null() ? Json::object() : request.input;
  data["var"] = Json::object();
  data["config"] = config_items;
  data["task"] = task_infos(task, nullptr, region);
  auto title = render_with_variables(tmpl.title_format, data, variables);
  if (!title) return title.error();
  task.title = std::move(*title);

  std::map<std::string, std::string> tags = tmpl.tags;
  for (const auto& [k, v] : request.tags) tags[k] = v;
  for (const auto& [k, v] : tags) {
    auto value = render_with_variables(v, data, variables);
    if (!value) return value.error();
    task.tags[k] = std::move(*value);
  }
  return task;
}

Result<ResolutionState> create_resolution(const model::TaskTemplate& tmpl, TaskState task,
                                          std::string id, std::string resolver_username,
                                          const Json& resolver_inputs, bool autorun, Time now) {
  if (task.state == task_state::kWontfix) {
    return Error{ErrorCode::conflict, "Task is in state WONTFIX", "task.state"};
  }
  model::InputCheck check = model::validate_input_values(tmpl.resolver_inputs, resolver_inputs, true);
  if (!check.ok()) return check.errors.front();

  ResolutionState r;
  r.id = std::move(id);
  r.resolver_username = std::move(resolver_username);
  r.state = std::string(autorun ? resolution_state::kToAutorun : resolution_state::kTodo);
  r.created = now;
  r.run_max = tmpl.retry_max.value_or(model::kDefaultRetryMax);
  r.resolver_inputs = check.values;
  r.base_configurations = Json::object();
  for (const auto& [name, config] : tmpl.base_configurations) r.base_configurations[name] = config;
  for (const auto& [name, step] : tmpl.steps) {
    StepState s = step_from_template(step);
    s.definition.name = name;
    r.steps.emplace(name, std::move(s));
  }
  r.task = std::move(task);
  return r;
}

}  // namespace utask::engine
