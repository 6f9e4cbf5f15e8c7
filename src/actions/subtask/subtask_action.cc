#include "actions/subtask/subtask_action.h"

#include <cctype>

#include "actions/action_services.h"
#include "actions/catalog.h"
#include "actions/subtask/child_support.h"
#include "actions/tag/tag_rules.h"
#include "model/go_duration.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {
    {"template", FieldType::string},          {"input", FieldType::object},
    {"json_input", FieldType::string},        {"resolver_usernames", FieldType::string},
    {"resolver_groups", FieldType::string},   {"watcher_usernames", FieldType::string},
    {"watcher_groups", FieldType::string},    {"delay", FieldType::string},
    {"tags", FieldType::object},
};

struct SubtaskConfig {
  std::string template_name;
  Json input = Json::object();
  std::string json_input;
  std::map<std::string, std::string> tags;
  std::string delay;
  Json config;  // the decoded object, for the list fields
};

Result<SubtaskConfig> decode(const Json& base, const Json& configuration) {
  auto config = decode_typed_configuration(base, configuration, kFields);
  if (!config) return config.error();
  SubtaskConfig c;
  c.template_name = config->value("template", "");
  if (auto it = config->find("input"); it != config->end() && it->is_object()) c.input = *it;
  c.json_input = config->value("json_input", "");
  c.delay = config->value("delay", "");
  auto tags = decode_string_map(*config, "tags");
  if (!tags) return tags.error();
  c.tags = std::move(*tags);
  c.config = std::move(*config);
  return c;
}

// A list field: JSON array of strings in a string; "" is empty.
Result<std::vector<std::string>> row_slice(const Json& config, const char* field) {
  const std::string text = config.value(field, "");
  if (text.empty()) return std::vector<std::string>{};
  auto parsed = parse_json(text);
  std::string problem;
  if (!parsed) {
    problem = parsed.error().message;
  } else if (!parsed->is_array()) {
    problem = "json: cannot unmarshal " + std::string(parsed->is_object() ? "object" : "value") +
              " into Go value of type []string";
  } else {
    std::vector<std::string> out;
    for (const auto& v : *parsed) {
      if (!v.is_string()) {
        problem = "json: cannot unmarshal " + to_json_text(v) + " into Go value of type string";
        break;
      }
      out.push_back(v.get<std::string>());
    }
    if (problem.empty()) return out;
  }
  return Error::invalid_input("can't convert JSON to row slice: " + problem);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Json output_of(const TaskView& t) {
  Json out = {{"id", t.id}, {"state", t.state}, {"result", t.result},
              {"requester_username", t.requester_username}};
  out["resolver_username"] = t.resolver_username ? Json(*t.resolver_username) : Json();
  return out;
}

// The step's error for the child's state (actions.md §6 step 3); nullopt when DONE.
std::optional<ActionError> state_error(const TaskView& t) {
  if (t.state == "DONE") return std::nullopt;
  if (t.state == "CANCELLED" || t.state == "WONTFIX" || t.state == "BLOCKED") {
    return ActionError{ErrorKind::client, "Task '" + t.id + "' changed state: " + lower(t.state)};
  }
  if (t.state == "TODO") {
    return ActionError{ErrorKind::not_assigned,
                       "Task \"" + t.id + "\" " +
                           (t.has_resolution ? "will start shortly" : "is waiting for human validation")};
  }
  if (t.state == "RUNNING") {
    return ActionError{ErrorKind::not_provisioned, "Task \"" + t.id + "\" is currently RUNNING"};
  }
  return ActionError{ErrorKind::server,
                     "Task \"" + t.id + "\" not done yet (current state is " + t.state + ")"};
}

Result<ChildTaskRequest> child_request(const SubtaskConfig& c, const ExecutionRequest& request) {
  ChildTaskRequest r;
  r.template_name = c.template_name;
  r.parent_task_id = context_string(request.context, "parent_task_id");
  if (r.parent_task_id.empty()) r.parent_task_id = request.task_id;
  r.requester = requester_from_context(request.context);
  r.input = c.input;
  if (!c.json_input.empty()) {
    auto parsed = parse_json(c.json_input);
    if (!parsed) return Error::internal("can't parse `json_input`: " + parsed.error().message);
    if (!parsed->is_object()) {
      return Error::internal("can't parse `json_input`: json: cannot unmarshal non-object into Go "
                             "value of type map[string]interface {}");
    }
    r.input = std::move(*parsed);
  }
  r.tags = c.tags;
  r.comment = "Auto created subtask, parent task " + r.parent_task_id;
  for (auto [field, target] : {std::pair{"resolver_usernames", &r.resolver_usernames},
                               std::pair{"resolver_groups", &r.resolver_groups},
                               std::pair{"watcher_usernames", &r.watcher_usernames},
                               std::pair{"watcher_groups", &r.watcher_groups}}) {
    auto list = row_slice(c.config, field);
    if (!list) return Error::internal(list.error().message);
    *target = std::move(*list);
  }
  if (!c.delay.empty()) {
    auto d = model::parse_go_duration(c.delay);
    if (!d) return Error::invalid_input(d.error().message);
    r.delay = std::chrono::duration_cast<std::chrono::microseconds>(*d);
  }
  return r;
}

}  // namespace

Result<void> SubtaskAction::validate(const Json& base, const Json& configuration) const {
  auto c = decode(base, configuration);
  if (!c) return c.error();
  if (auto tags = check_tags(c->tags); !tags) return tags;
  return check_template_exists(templates_.get(), c->template_name, "sub-task");
}

Json SubtaskAction::context_template(std::string_view step_name) const {
  const std::string s(step_name);
  return Json{
      {"parent_task_id", "{{ .task.task_id }}"},
      {"task_id", "{{ if (index .step `" + s + "` ) }}{{ if (index .step `" + s + "` `output`) }}{{ index .step `" +
                      s + "` `output` `id` }}{{ end }}{{ end }}"},
      {"requester_username", "{{.task.requester_username}}"},
      {"requester_groups", "{{ if .task.requester_groups }}{{ .task.requester_groups }}{{ end }}"},
  };
}

ActionResult SubtaskAction::execute(const ExecutionRequest& request) const {
  auto c = decode(request.base_configuration, request.configuration);
  if (!c) return ActionResult::failure(ErrorKind::client, c.error().message);
  if (!request.services) return no_services(name());

  TaskView child;
  const std::string previous = context_string(request.context, "task_id");
  if (!previous.empty()) {
    auto loaded = request.services->get_task(previous);
    if (!loaded) return ActionResult::failure(ErrorKind::server, loaded.error().message);
    child = std::move(*loaded);
  } else {
    if (auto tags = check_tags(c->tags); !tags) {
      return ActionResult::failure(ErrorKind::client, tags.error().message);
    }
    auto child_req = child_request(*c, request);
    if (!child_req) return ActionResult::failure(error_kind_of(child_req.error()), child_req.error().message);
    auto created = request.services->create_child_task(*child_req);
    if (!created) return ActionResult::failure(error_kind_of(created.error()), created.error().message);
    child = std::move(*created);
  }

  ActionResult result;
  result.output = output_of(child);
  result.error = state_error(child);
  return result;
}

}  // namespace utask::actions
