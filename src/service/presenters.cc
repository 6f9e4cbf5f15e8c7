#include "service/presenters.h"

#include "engine/step_state.h"
#include "model/template_loader.h"

namespace utask::service {
namespace {

void put_list(Json& out, const char* key, const std::vector<std::string>& list) {
  if (!list.empty()) out[key] = list;
}

void put_time(Json& out, const char* key, const std::optional<persistence::Timestamp>& t) {
  if (t) out[key] = engine::format_time(*t);
}

Json parsed_or_null(const std::optional<std::string>& text) {
  if (!text || text->empty()) return nullptr;
  auto j = parse_json(*text);
  return j ? std::move(*j) : Json(nullptr);
}

}  // namespace

Json task_json(const persistence::TaskRecord& t, const TaskJsonOptions& options) {
  Json out = Json::object();
  out["id"] = t.id;
  out["title"] = t.title;
  out["requester_username"] = t.requester_username;
  put_list(out, "requester_groups", t.requester_groups);
  put_list(out, "watcher_usernames", t.watcher_usernames);
  put_list(out, "watcher_groups", t.watcher_groups);
  put_list(out, "resolver_usernames", t.resolver_usernames);
  put_list(out, "resolver_groups", t.resolver_groups);
  out["created"] = engine::format_time(t.created);
  out["state"] = t.state;
  out["steps_done"] = t.steps_done;
  out["steps_total"] = t.steps_total;
  out["last_activity"] = engine::format_time(t.last_activity);
  if (!t.tags.empty()) {
    Json tags = Json::object();
    for (const auto& [k, v] : t.tags) tags[k] = v;
    out["tags"] = std::move(tags);
  }
  out["template_name"] = t.template_name;
  out["input"] = options.with_input ? parsed_or_null(t.input_json) : Json(nullptr);
  if (options.with_result) {
    Json result = parsed_or_null(t.result_json);
    if (!result.is_null() && !(result.is_object() && result.empty())) out["result"] = std::move(result);
  }
  if (t.resolution_id) out["resolution"] = *t.resolution_id;
  put_time(out, "last_start", t.last_start);
  put_time(out, "last_stop", t.last_stop);
  if (!t.resolver_username.empty()) out["resolver_username"] = t.resolver_username;
  if (options.comments && !options.comments->empty()) {
    Json comments = Json::array();
    for (const auto& c : *options.comments) comments.push_back(comment_json(c));
    out["comments"] = std::move(comments);
  }
  if (t.batch_id) out["batch"] = *t.batch_id;
  if (!options.errors.empty()) {
    Json errors = Json::array();
    for (const auto& [step, error] : options.errors) errors.push_back({{"step", step}, {"error", error}});
    out["errors"] = std::move(errors);
  }
  if (options.tmpl && !options.tmpl->resolver_inputs.empty()) {
    auto source = model::template_source_json(*options.tmpl);
    if (source.contains("resolver_inputs")) out["resolver_inputs"] = source["resolver_inputs"];
  }
  return out;
}

Json comment_json(const persistence::Comment& c) {
  return {{"id", c.id},
          {"username", c.username},
          {"created", engine::format_time(c.created)},
          {"updated", engine::format_time(c.updated)},
          {"content", c.content}};
}

Result<Json> step_json(const persistence::StepRecord& step) {
  auto j = parse_json(step.step_json);
  if (!j) return Error::internal("stored step \"" + step.name + "\" is not JSON: " + j.error().message);
  return std::move(*j);
}

Result<Json> resolution_json(const persistence::ResolutionRecord& r, bool with_resolver_inputs) {
  Json out = Json::object();
  out["id"] = r.id;
  out["resolver_username"] = r.resolver_username;
  out["state"] = r.state;
  if (r.instance_id && *r.instance_id != 0) out["instance_id"] = *r.instance_id;
  out["created"] = engine::format_time(r.created);
  put_time(out, "last_start", r.last_start);
  put_time(out, "last_stop", r.last_stop);
  put_time(out, "next_retry", r.next_retry);
  out["run_count"] = r.run_count;
  out["run_max"] = r.run_max;
  out["base_configurations"] = parsed_or_null(r.base_configurations_json);
  out["task_id"] = r.task_id;
  out["task_title"] = r.task_title;
  if (!r.steps.empty()) {
    Json steps = Json::object();
    for (const auto& s : r.steps) {
      auto j = step_json(s);
      if (!j) return j.error();
      steps[s.name] = std::move(*j);
    }
    out["steps"] = std::move(steps);
  }
  if (with_resolver_inputs) {
    Json inputs = parsed_or_null(r.resolver_inputs_json);
    if (!inputs.is_null() && !(inputs.is_object() && inputs.empty())) out["resolver_inputs"] = std::move(inputs);
  }
  return out;
}

}  // namespace utask::service
