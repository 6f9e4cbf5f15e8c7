#include "actions/callback/callback_action.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "actions/action_services.h"
#include "actions/catalog.h"
#include "actions/subtask/child_support.h"
#include "model/json_schema.h"

namespace utask::actions {
namespace {

const std::vector<ConfigField> kFields = {
    {"action", FieldType::string}, {"schema", FieldType::string}, {"id", FieldType::string}};

struct CallbackConfig {
  std::string action;  // lower-case
  std::string schema;
  std::string id;
};

Result<CallbackConfig> decode(const Json& base, const Json& configuration) {
  auto j = decode_typed_configuration(base, configuration, kFields);
  if (!j) return j.error();
  CallbackConfig c;
  c.action = j->value("action", "");
  for (char& ch : c.action) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  c.schema = j->value("schema", "");
  c.id = j->value("id", "");
  return c;
}

Result<void> check(const CallbackConfig& c, bool defer_templates) {
  if (defer_templates && c.action.find("{{") != std::string::npos) return {};
  if (c.action != "create" && c.action != "wait") {
    return Error::invalid_input("invalid action \"" + c.action + "\"");
  }
  if (c.action == "wait" && c.id.empty()) return Error::invalid_input("missing \"id\" parameter");
  return {};
}

// The schema as stored and returned: normalised (a "version" becomes "$schema"). The generic
// meta-schema URI means the latest draft this engine knows, draft-07.
Result<Json> normalise_schema(const std::string& text) {
  auto parsed = parse_json(text);
  if (!parsed) return Error::invalid_input("unable to parse provided schema: " + parsed.error().message);
  Json schema = model::normalize_json_schema(std::move(*parsed));
  Json compiled_form = schema;
  if (compiled_form.is_object()) {
    auto uri = compiled_form.find("$schema");
    if (uri != compiled_form.end() && uri->is_string()) {
      std::string u = uri->get<std::string>();
      if (u.ends_with("#")) u.pop_back();
      if (u == "http://json-schema.org/schema" || u == "https://json-schema.org/schema") {
        *uri = "http://json-schema.org/draft-07/schema#";
      }
    }
  }
  if (auto compiled = model::JsonSchema::compile(compiled_form); !compiled) {
    return Error::invalid_input("unable to parse provided schema: " + compiled.error().message);
  }
  return schema;
}

// Go's time.Time JSON form: RFC 3339 with nanoseconds, trailing zeros dropped, in UTC.
std::string rfc3339(ServiceTime t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto micros = (t - secs).count();
  const std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out = buf;
  if (micros > 0) {
    char frac[32];
    std::snprintf(frac, sizeof frac, ".%06lld", static_cast<long long>(micros));
    std::string f = frac;
    while (f.back() == '0') f.pop_back();
    out += f;
  }
  return out + "Z";
}

ActionResult create(const CallbackConfig& c, const ExecutionRequest& request) {
  NewCallbackRequest r;
  r.task_id = context_string(request.context, "task_id");
  if (r.task_id.empty()) r.task_id = request.task_id;
  r.resolution_id = request.resolution_id;
  r.resolver_username = context_string(request.context, "requester_username");
  if (!c.schema.empty()) {
    auto schema = normalise_schema(c.schema);
    if (!schema) return ActionResult::failure(ErrorKind::client, schema.error().message);
    r.schema = std::move(*schema);
  }
  auto created = request.services->create_callback(r);
  if (!created) return ActionResult::failure(ErrorKind::server, created.error().message);
  ActionResult result;
  result.output = Json{{"id", created->id},
                       {"url", request.services->callback_url(created->id, created->token)},
                       {"token", created->token},
                       {"schema", created->schema}};
  return result;
}

ActionResult wait(const CallbackConfig& c, const ExecutionRequest& request) {
  auto callback = request.services->get_callback(c.id);
  if (!callback) return ActionResult::failure(ErrorKind::server, callback.error().message);
  if (!callback->called) return ActionResult::failure(ErrorKind::not_assigned, "task is waiting for a callback");
  ActionResult result;
  result.output = Json{{"id", callback->id}, {"date", rfc3339(*callback->called)}, {"body", callback->body}};
  return result;
}

}  // namespace

Result<void> CallbackAction::validate(const Json& base, const Json& configuration) const {
  auto c = decode(base, configuration);
  if (!c) return c.error();
  return check(*c, true);
}

Json CallbackAction::context_template(std::string_view step_name) const {
  return Json{{"step", std::string(step_name)},
              {"task_id", "{{.task.task_id}}"},
              {"requester_username", "{{.task.requester_username}}"}};
}

ActionResult CallbackAction::execute(const ExecutionRequest& request) const {
  auto c = decode(request.base_configuration, request.configuration);
  if (!c) return ActionResult::failure(ErrorKind::client, c.error().message);
  if (auto checked = check(*c, false); !checked) {
    return ActionResult::failure(ErrorKind::client, checked.error().message);
  }
  if (!request.services) return no_services(name());
  return c->action == "create" ? create(*c, request) : wait(*c, request);
}

}  // namespace utask::actions
