#include "http/routes/resolution_schemas.h"

#include <initializer_list>
#include <utility>

#include "http/routes/schema_builders.h"

namespace utask::http::schemas {

namespace {

using namespace build;  // schema_builders.h

Json condition() {
  Json assert_item = object({{"value", type("string")},
                             {"operator", type("string")},
                             {"expected", type("string")},
                             {"list_separator", type("string")},
                             {"message", type("string")}});
  return object({{"type", Json{{"type", "string"}, {"enum", {"skip", "check"}}}},
                 {"if", Json{{"type", "array"}, {"items", assert_item}}},
                 {"then", string_map()},
                 {"final", type("boolean")},
                 {"foreach", type("string")},
                 {"message", type("string")}});
}

}  // namespace

Json step() {
  return object({{"name", type("string")},
                 {"description", type("string")},
                 {"idempotent", type("boolean")},
                 {"action", executor()},
                 {"pre_hook", executor()},
                 {"json_schema", any()},
                 {"output", any()},
                 {"metadata", any()},
                 {"children", Json{{"type", "array"}, {"items", any()}}},
                 {"error", type("string")},
                 {"state", type("string")},
                 {"retry_pattern", Json{{"type", "string"}, {"enum", {"seconds", "minutes", "hours"}}}},
                 {"try_count", type("integer")},
                 {"max_retries", type("integer")},
                 {"last_run", timestamp()},
                 {"execution_delay", type("integer")},
                 {"dependencies", string_list()},
                 {"custom_states", string_list()},
                 {"conditions", Json{{"type", "array"}, {"items", condition()}}},
                 {"foreach", type("string")},
                 {"foreach_strategy", type("string")},
                 {"children_steps", string_list()},
                 {"children_steps_map", Json{{"type", "object"}, {"additionalProperties", type("boolean")}}},
                 {"item", any()},
                 {"resources", Json{{"type", "array"}, {"items", type("string")}, {"nullable", true}}},
                 {"tags", Json{{"type", "object"}, {"additionalProperties", type("string")}, {"nullable", true}}}});
}

Json resolution() {
  return object({{"id", uuid()},
                 {"resolver_username", type("string")},
                 {"state", type("string")},
                 {"instance_id", type("integer")},
                 {"created", timestamp()},
                 {"last_start", timestamp()},
                 {"last_stop", timestamp()},
                 {"next_retry", timestamp()},
                 {"run_count", type("integer")},
                 {"run_max", type("integer")},
                 {"base_configurations", Json{{"type", "object"}, {"additionalProperties", true}, {"nullable", true}}},
                 {"task_id", uuid()},
                 {"task_title", type("string")},
                 {"steps", Json{{"type", "object"}, {"additionalProperties", step()}}},
                 {"resolver_inputs", any_object()}},
                {"id", "resolver_username", "state", "created", "run_count", "run_max", "task_id",
                 "task_title"});
}

Json create_resolution_body() {
  return object({{"task_id", uuid()}, {"resolver_inputs", any_object()}, {"start_over", type("boolean")}},
                {"task_id"});
}

Json update_resolution_body() {
  return object({{"steps", Json{{"type", "object"}, {"additionalProperties", step()}}},
                 {"resolver_inputs", any_object()}});
}

Json step_state_body() { return object({{"state", type("string")}}, {"state"}); }

Json callback_body() { return any_object(); }

Json callback_answer() { return object({{"message", type("string")}}, {"message"}); }

Json meta() {
  return object({{"application_name", type("string")},
                 {"user_is_admin", type("boolean")},
                 {"username", type("string")},
                 {"user_groups", string_list()},
                 {"version", type("string")},
                 {"commit", type("string")}},
                {"application_name", "user_is_admin", "username", "user_groups", "version", "commit"});
}

Json maintenance() { return object({{"enabled", type("boolean")}}, {"enabled"}); }

Json key_rotation_status() {
  return object({{"running", type("boolean")},
                 {"done", type("boolean")},
                 {"rows_done", type("integer")},
                 {"rows_total", type("integer")},
                 {"table", type("string")},
                 {"target_key_id", type("string")},
                 {"started_by", type("string")},
                 {"started_at", nullable_timestamp()},
                 {"finished_at", nullable_timestamp()},
                 {"errors", string_list()}},
                {"running", "done", "rows_done", "rows_total", "errors"});
}

}  // namespace utask::http::schemas
