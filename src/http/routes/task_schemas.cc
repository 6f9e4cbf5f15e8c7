#include "http/routes/task_schemas.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "http/routes/schema_builders.h"

namespace utask::http::schemas {

namespace {

using namespace build;  // schema_builders.h

// §6.6.
Json input_definition() {
  return object({{"name", type("string")},
                 {"description", type("string")},
                 {"regex", type("string")},
                 {"legal_values", Json{{"type", "array"}, {"items", any()}}},
                 {"collection", type("boolean")},
                 {"type", Json{{"type", "string"}, {"enum", {"string", "password", "bool", "number"}}}},
                 {"optional", type("boolean")},
                 {"default", any()},
                 {"hidden", type("boolean")}},
                {"name"});
}

Json template_properties(bool details) {
  Json out = object({{"name", type("string")},
                     {"description", type("string")},
                     {"long_description", type("string")},
                     {"doc_link", type("string")},
                     {"allowed_resolver_groups", string_list()},
                     {"allowed_resolver_usernames", string_list()},
                     {"allow_all_resolver_usernames", type("boolean")},
                     {"auto_runnable", type("boolean")},
                     {"blocked", type("boolean")},
                     {"hidden", type("boolean")},
                     {"retry_max", type("integer")},
                     {"allow_task_start_over", type("boolean")},
                     {"inputs", array_of(input_definition())},
                     {"resolver_inputs", array_of(input_definition())},
                     {"tags", string_map()},
                     {"base_configurations", any_object()}},
                    {"name", "description"});
  if (details) {
    auto& props = out["properties"];
    props["title_format"] = type("string");
    props["result_format"] = any_object();
    props["variables"] = array_of(object({{"name", type("string")},
                                          {"expression", type("string")},
                                          {"expression_timeout", type("string")},
                                          {"value", any()}}));
    props["steps"] = Json{{"type", "object"}, {"additionalProperties", any_object()}};
  }
  return out;
}

}  // namespace

Json array_of(Json items) { return Json{{"type", "array"}, {"items", std::move(items)}}; }

Json comment() {
  return object({{"id", uuid()},
                 {"username", type("string")},
                 {"created", timestamp()},
                 {"updated", timestamp()},
                 {"content", type("string")}},
                {"id", "username", "created", "updated", "content"});
}

Json task() {
  Json out = object(
      {{"id", uuid()},
       {"title", type("string")},
       {"requester_username", type("string")},
       {"requester_groups", string_list()},
       {"watcher_usernames", string_list()},
       {"watcher_groups", string_list()},
       {"resolver_usernames", string_list()},
       {"resolver_groups", string_list()},
       {"created", timestamp()},
       {"state", Json{{"type", "string"},
                      {"enum", {"TODO", "RUNNING", "DONE", "BLOCKED", "DELAYED", "CANCELLED",
                                "WONTFIX", "WAITING"}}}},
       {"steps_done", type("integer")},
       {"steps_total", type("integer")},
       {"last_activity", timestamp()},
       {"tags", string_map()},
       {"template_name", type("string")},
       {"input", Json{{"type", "object"}, {"nullable", true}, {"additionalProperties", true}}},
       {"result", any_object()},
       {"resolution", uuid()},
       {"last_start", timestamp()},
       {"last_stop", timestamp()},
       {"resolver_username", type("string")},
       {"comments", array_of(comment())},
       {"batch", uuid()},
       {"errors", array_of(object({{"step", type("string")}, {"error", type("string")}},
                                  {"step", "error"}))},
       {"resolver_inputs", array_of(input_definition())}},
      {"id", "title", "requester_username", "created", "state", "steps_done", "steps_total",
       "last_activity", "template_name", "input"});
  return out;
}

Json task_list_item() {
  Json out = task();
  auto& props = out["properties"];
  props.erase("result");
  props.erase("comments");
  props.erase("errors");
  return out;
}

Json batch() { return object({{"id", uuid()}}, {"id"}); }

Json template_summary() { return template_properties(false); }
Json template_details() { return template_properties(true); }

Json function() {
  return object({{"name", type("string")},
                 {"action", executor()},
                 {"pre_hook", executor()},
                 {"conditions", Json{{"type", "array"}, {"items", any_object()}}},
                 {"custom_states", string_list()}},
                {"name", "action"});
}

Json create_task_body() {
  return object({{"template_name", type("string")},
                 {"input", any_object()},
                 {"comment", type("string")},
                 {"watcher_usernames", string_list()},
                 {"watcher_groups", string_list()},
                 {"resolver_usernames", string_list()},
                 {"resolver_groups", string_list()},
                 {"delay", Json{{"type", "string"}, {"example", "1h30m"}}},
                 {"tags", string_map()}},
                {"template_name", "input"});
}

Json update_task_body() {
  return object({{"input", any_object()},
                 {"watcher_usernames", string_list()},
                 {"watcher_groups", string_list()},
                 {"tags", string_map()}},
                {"input"});
}

Json create_batch_body() {
  return object({{"template_name", type("string")},
                 {"common_input", any_object()},
                 {"inputs", array_of(any_object())},
                 {"comment", type("string")},
                 {"watcher_usernames", string_list()},
                 {"watcher_groups", string_list()},
                 {"tags", string_map()}},
                {"template_name", "inputs"});
}

Json comment_body() {
  return object({{"content", Json{{"type", "string"}, {"minLength", 3}, {"maxLength", 100000}}}},
                {"content"});
}

}  // namespace utask::http::schemas
