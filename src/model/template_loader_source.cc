// The template in the original's JSON shape: its Go structs' field names, with the fields they
// mark `omitempty` left out when empty and the others always present (null for an empty list
// or map, as Go writes a nil slice or map).

#include "model/template_loader.h"

namespace utask::model {
namespace {

Json string_list(const std::vector<std::string>& v) {
  if (v.empty()) return nullptr;
  Json out = Json::array();
  for (const auto& s : v) out.push_back(s);
  return out;
}

Json action_json(const Action& a) {
  Json out = Json::object();
  out["type"] = a.type;
  if (!a.base_configuration.empty()) out["base_configuration"] = a.base_configuration;
  out["configuration"] = a.configuration;
  if (a.output) out["output"] = Json{{"strategy", a.output->strategy}, {"format", a.output->format}};
  return out;
}

Json condition_json(const Condition& c) {
  Json out = Json::object();
  out["type"] = c.type;
  Json ifs = nullptr;
  for (const auto& a : c.if_) {
    ifs.push_back(Json{{"value", a.value},
                       {"operator", a.op},
                       {"expected", a.expected},
                       {"list_separator", a.list_separator},
                       {"message", a.message}});
  }
  out["if"] = std::move(ifs);
  Json then = nullptr;
  for (const auto& [k, v] : c.then) then[k] = v;
  out["then"] = std::move(then);
  out["final"] = c.final;
  out["foreach"] = c.foreach;
  out["message"] = c.message;
  return out;
}

Json step_json(const Step& s) {
  Json out = Json::object();
  out["name"] = s.name;
  out["description"] = s.description;
  out["idempotent"] = s.idempotent;
  out["action"] = action_json(s.action);
  if (s.pre_hook) out["pre_hook"] = action_json(*s.pre_hook);
  if (s.json_schema) out["json_schema"] = *s.json_schema;
  if (!s.retry_pattern.empty()) out["retry_pattern"] = s.retry_pattern;
  if (s.max_retries != 0) out["max_retries"] = s.max_retries;
  if (!s.dependencies.empty()) out["dependencies"] = string_list(s.dependencies);
  if (!s.custom_states.empty()) out["custom_states"] = string_list(s.custom_states);
  if (!s.conditions.empty()) {
    Json cs = Json::array();
    for (const auto& c : s.conditions) cs.push_back(condition_json(c));
    out["conditions"] = std::move(cs);
  }
  if (!s.foreach.empty()) out["foreach"] = s.foreach;
  if (!s.foreach_strategy.empty()) out["foreach_strategy"] = s.foreach_strategy;
  out["resources"] = string_list(s.resources);
  if (s.execution_delay_ns != 0) out["execution_delay"] = s.execution_delay_ns;
  return out;
}

Json input_json(const Input& in) {
  Json out = Json::object();
  out["name"] = in.name;
  out["description"] = in.description;
  if (in.regex) out["regex"] = *in.regex;
  if (!in.legal_values.empty()) {
    Json lv = Json::array();
    for (const auto& v : in.legal_values) lv.push_back(v);
    out["legal_values"] = std::move(lv);
  }
  out["collection"] = in.collection;
  if (!in.type_name.empty()) out["type"] = in.type_name;
  out["optional"] = in.optional;
  out["default"] = in.default_value ? *in.default_value : Json(nullptr);
  if (in.hidden) out["hidden"] = true;
  return out;
}

Json variable_json(const Variable& v) {
  Json out = Json::object();
  out["name"] = v.name;
  if (v.value) out["value"] = *v.value;
  if (v.expression) out["expression"] = *v.expression;
  if (v.expression_timeout) out["expression_timeout"] = *v.expression_timeout;
  return out;
}

}  // namespace

Json template_source_json(const TaskTemplate& t) {
  Json out = Json::object();
  out["name"] = t.name;
  out["description"] = t.description;
  if (t.long_description) out["long_description"] = *t.long_description;
  if (t.doc_link) out["doc_link"] = *t.doc_link;
  if (!t.title_format.empty()) out["title_format"] = t.title_format;
  if (t.result_format.is_object() && !t.result_format.empty()) out["result_format"] = t.result_format;
  out["allowed_resolver_groups"] = string_list(t.allowed_resolver_groups);
  out["allowed_resolver_usernames"] = string_list(t.allowed_resolver_usernames);
  out["allow_all_resolver_usernames"] = t.allow_all_resolver_usernames;
  out["auto_runnable"] = t.auto_runnable;
  out["blocked"] = t.blocked;
  out["hidden"] = t.hidden;
  if (t.retry_max) out["retry_max"] = *t.retry_max;
  out["allow_task_start_over"] = t.allow_task_start_over;
  for (auto [key, inputs] : {std::pair<const char*, const std::vector<Input>*>{"inputs", &t.inputs},
                             {"resolver_inputs", &t.resolver_inputs}}) {
    if (inputs->empty()) continue;
    Json list = Json::array();
    for (const auto& in : *inputs) list.push_back(input_json(in));
    out[key] = std::move(list);
  }
  if (!t.variables.empty()) {
    Json list = Json::array();
    for (const auto& v : t.variables) list.push_back(variable_json(v));
    out["variables"] = std::move(list);
  }
  if (!t.tags.empty()) {
    Json tags = Json::object();
    for (const auto& [k, v] : t.tags) tags[k] = v;
    out["tags"] = std::move(tags);
  }
  if (!t.steps.empty()) {
    Json steps = Json::object();
    for (const auto& [name, s] : t.steps) steps[name] = step_json(s);
    out["steps"] = std::move(steps);
  }
  if (t.base_configurations.empty()) {
    out["base_configurations"] = nullptr;
  } else {
    Json bc = Json::object();
    for (const auto& [k, v] : t.base_configurations) bc[k] = v;
    out["base_configurations"] = std::move(bc);
  }
  return out;
}

Json function_source_json(const Function& f) {
  Json out = Json::object();
  out["name"] = f.name;
  out["action"] = action_json(f.action);
  if (f.pre_hook) out["pre_hook"] = action_json(*f.pre_hook);
  if (!f.conditions.empty()) {
    Json cs = Json::array();
    for (const auto& c : f.conditions) cs.push_back(condition_json(c));
    out["conditions"] = std::move(cs);
  }
  if (!f.custom_states.empty()) out["custom_states"] = string_list(f.custom_states);
  return out;
}

}  // namespace utask::model
