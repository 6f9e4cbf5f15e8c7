#include "http/routes/task_binding.h"

#include <initializer_list>

#include "http/binding.h"

namespace utask::http {

namespace {

const char* type_name(const Json& value) {
  if (value.is_object()) return "an object";
  if (value.is_array()) return "an array";
  if (value.is_string()) return "a string";
  if (value.is_boolean()) return "a boolean";
  if (value.is_number()) return "a number";
  return "null";
}

Error binding_error(const std::string& field, const std::string& detail) {
  return Error::invalid_input(
      "binding error: error parsing request body: field '" + field + "': " + detail, field);
}

// `inputs` of POST /batch: a list whose elements are objects (null elements count as empty
// inputs, as the original's nil maps do).
Result<std::vector<Json>> body_object_list(const Json& body, const std::string& field) {
  std::vector<Json> out;
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return out;
  if (!it->is_array()) {
    return binding_error(field, std::string("expected a list of objects, got ") + type_name(*it));
  }
  for (const Json& element : *it) {
    if (element.is_null()) {
      out.push_back(Json::object());
    } else if (element.is_object()) {
      out.push_back(element);
    } else {
      return binding_error(field, std::string("expected a list of objects, got ") +
                                      type_name(element) + " in it");
    }
  }
  return out;
}

Result<Json> object_or_empty(const Json& body, const std::string& field) {
  auto value = body_object(body, field);
  if (!value) return value.error();
  return value->value_or(Json::object());
}

// Each `[]string` field of the body into its target, in the order given (the first binding
// error wins, as in the original).
Result<void> bind_string_lists(
    const Json& body,
    std::initializer_list<std::pair<const char*, std::vector<std::string>*>> fields) {
  for (auto [field, target] : fields) {
    auto list = body_string_list(body, field);
    if (!list) return list.error();
    *target = std::move(*list);
  }
  return {};
}

Result<void> bind_tags(const Json& body, persistence::Tags& tags) {
  auto map = body_string_map(body, "tags");
  if (!map) return map.error();
  tags = persistence::Tags(map->begin(), map->end());
  return {};
}

}  // namespace

Result<service::CreateTaskRequest> bind_create_task(const HttpRequest& request) {
  auto body = bind_body(request);
  if (!body) return body.error();
  service::CreateTaskRequest out;
  auto name = body_string(*body, "template_name");
  if (!name) return name.error();
  out.template_name = name->value_or("");
  auto input = object_or_empty(*body, "input");
  if (!input) return input.error();
  out.input = std::move(*input);
  auto comment = body_string(*body, "comment");
  if (!comment) return comment.error();
  out.comment = comment->value_or("");
  if (auto lists = bind_string_lists(*body, {{"watcher_usernames", &out.watcher_usernames},
                                             {"watcher_groups", &out.watcher_groups},
                                             {"resolver_usernames", &out.resolver_usernames},
                                             {"resolver_groups", &out.resolver_groups}});
      !lists)
    return lists.error();
  auto delay = body_string(*body, "delay");
  if (!delay) return delay.error();
  out.delay = std::move(*delay);
  if (auto tags = bind_tags(*body, out.tags); !tags) return tags.error();
  return out;
}

Result<service::CreateBatchRequest> bind_create_batch(const HttpRequest& request) {
  auto body = bind_body(request);
  if (!body) return body.error();
  service::CreateBatchRequest out;
  auto name = body_string(*body, "template_name");
  if (!name) return name.error();
  out.template_name = name->value_or("");
  auto common = object_or_empty(*body, "common_input");
  if (!common) return common.error();
  out.common_input = std::move(*common);
  auto inputs = body_object_list(*body, "inputs");
  if (!inputs) return inputs.error();
  out.inputs = std::move(*inputs);
  auto comment = body_string(*body, "comment");
  if (!comment) return comment.error();
  out.comment = comment->value_or("");
  if (auto lists = bind_string_lists(*body, {{"watcher_usernames", &out.watcher_usernames},
                                             {"watcher_groups", &out.watcher_groups}});
      !lists)
    return lists.error();
  if (auto tags = bind_tags(*body, out.tags); !tags) return tags.error();
  return out;
}

Result<service::UpdateTaskRequest> bind_update_task(const HttpRequest& request) {
  auto body = bind_body(request);
  if (!body) return body.error();
  service::UpdateTaskRequest out;
  auto input = body_object(*body, "input");
  if (!input) return input.error();
  out.input = std::move(*input);
  if (auto lists = bind_string_lists(*body, {{"watcher_usernames", &out.watcher_usernames},
                                             {"watcher_groups", &out.watcher_groups}});
      !lists)
    return lists.error();
  if (auto tags = bind_tags(*body, out.tags); !tags) return tags.error();
  return out;
}

Result<std::string> bind_comment_content(const HttpRequest& request) {
  auto body = bind_body(request);
  if (!body) return body.error();
  auto content = body_string(*body, "content");
  if (!content) return content.error();
  return content->value_or("");
}

Result<service::ListTasksQuery> bind_list_tasks(const HttpRequest& request) {
  service::ListTasksQuery out;
  auto type = query_string(request, "type");
  if (!type) return type.error();
  if (*type && !(*type)->empty()) out.type = **type;
  auto state = query_string(request, "state");
  if (!state) return state.error();
  if (*state && !(*state)->empty()) out.state = **state;
  auto batch = query_string(request, "batch");
  if (!batch) return batch.error();
  if (*batch && !(*batch)->empty()) out.batch = **batch;
  auto tmpl = query_string(request, "template");
  if (!tmpl) return tmpl.error();
  if (*tmpl && !(*tmpl)->empty()) out.template_name = **tmpl;
  out.tags = query_list(request, "tag");
  auto page_size = query_uint64(request, "page_size");
  if (!page_size) return page_size.error();
  out.page_size = page_size->value_or(0);
  auto last = query_string(request, "last");
  if (!last) return last.error();
  out.last = last->value_or("");
  auto after = query_time(request, "after");
  if (!after) return after.error();
  out.after = *after;
  auto before = query_time(request, "before");
  if (!before) return before.error();
  out.before = *before;
  return out;
}

std::vector<std::pair<std::string, std::string>> list_tasks_link_filters(const HttpRequest& request) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* name : {"after", "batch", "before", "state", "template"}) {
    auto values = request.query_values(name);
    if (!values.empty() && !values.front().empty()) out.emplace_back(name, values.front());
  }
  for (const auto& tag : query_list(request, "tag")) out.emplace_back("tag", tag);
  auto type = request.query_values("type");
  out.emplace_back("type", type.empty() || type.front().empty() ? "own" : type.front());
  return out;
}

}  // namespace utask::http
