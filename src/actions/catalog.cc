#include "actions/catalog.h"

#include <cctype>

#include "actions/apiovh/apiovh_action.h"
#include "actions/batch/batch_action.h"
#include "actions/cache/cache_action.h"
#include "actions/cache/memory_cache_store.h"
#include "actions/callback/callback_action.h"
#include "actions/echo/echo_action.h"
#include "actions/email/email_action.h"
#include "actions/http/http_action.h"
#include "actions/notify/notify_action.h"
#include "actions/ping/ping_action.h"
#include "actions/script/script_action.h"
#include "actions/ssh/ssh_action.h"
#include "actions/subtask/subtask_action.h"
#include "actions/tag/tag_action.h"
#include "model/json.h"

namespace utask::actions {
namespace {

const char* json_type_name(const Json& v) {
  if (v.is_boolean()) return "bool";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  if (v.is_object()) return "object";
  return "null";
}

const char* go_type_name(FieldType t) {
  switch (t) {
    case FieldType::any: return "interface {}";
    case FieldType::object: return "map[string]interface {}";
    case FieldType::boolean: return "bool";
    case FieldType::string: return "string";
    case FieldType::number: return "float64";
  }
  return "";
}

bool fits(FieldType t, const Json& v) {
  switch (t) {
    case FieldType::any: return true;
    case FieldType::object: return v.is_object();
    case FieldType::boolean: return v.is_boolean();
    case FieldType::string: return v.is_string();
    case FieldType::number: return v.is_number();
  }
  return false;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

const ConfigField* field_for(std::string_view key, const std::vector<ConfigField>& fields) {
  for (const auto& f : fields) {
    if (f.name == key) return &f;
  }
  for (const auto& f : fields) {
    if (iequals(f.name, key)) return &f;
  }
  return nullptr;
}

Result<void> decode_onto(Json& target, const Json& source, const std::vector<ConfigField>& fields,
                         const char* what) {
  const std::string prefix =
      std::string("failed to unmarshal ") + what + ": json: cannot unmarshal ";
  if (source.is_null()) return {};
  if (!source.is_object()) {
    return Error::invalid_template(prefix + json_type_name(source) +
                                   " into Go value of type Config");
  }
  for (const auto& [key, value] : source.items()) {
    const ConfigField* field = field_for(key, fields);
    if (!field) continue;
    const std::string name(field->name);
    if (value.is_null()) {
      if (field->type == FieldType::any || field->type == FieldType::object) target[name] = nullptr;
      continue;
    }
    if (!fits(field->type, value)) {
      return Error::invalid_template(prefix + json_type_name(value) +
                                     " into Go struct field Config." + name + " of type " +
                                     go_type_name(field->type));
    }
    if (field->type == FieldType::object && target.contains(name) && target[name].is_object()) {
      for (const auto& [k, v] : value.items()) target[name][k] = v;
    } else {
      target[name] = value;
    }
  }
  return {};
}

// echo (actions.md §5).
// A typed configuration is an object: what every action requires before its own rules.
Result<void> validate_object(const Json& base, const Json& configuration) {
  auto config = decode_typed_configuration(base, configuration, {});
  if (!config) return config.error();
  return {};
}

Error no_runner(std::string_view type) {
  return Error::not_found("No runner for type '" + std::string(type) + "'");
}

}  // namespace

Result<Json> decode_typed_configuration(const Json& base, const Json& configuration,
                                        const std::vector<ConfigField>& fields) {
  Json out = Json::object();
  if (auto r = decode_onto(out, base, fields, "base configuration"); !r) return r.error();
  if (auto r = decode_onto(out, configuration, fields, "configuration"); !r) return r.error();
  return out;
}

ActionRegistry ActionRegistry::with_builtins(const BuiltinOptions& options) {
  ActionRegistry registry;
  // Builtin names are distinct: registration cannot fail here.
  (void)registry.add_action(std::make_shared<const EchoAction>());
  (void)registry.add_action(std::make_shared<const ScriptAction>(options.scripts_path));
  (void)registry.add_action(std::make_shared<const SubtaskAction>(registry.templates_));
  (void)registry.add_action(std::make_shared<const BatchAction>(registry.templates_));
  (void)registry.add_action(std::make_shared<const CallbackAction>());
  (void)registry.add_action(std::make_shared<const TagAction>());
  (void)registry.add_action(std::make_shared<const HttpAction>());
  (void)registry.add_action(std::make_shared<const ApiOvhAction>(options.config_items));
  (void)registry.add_action(std::make_shared<const NotifyAction>(options.notify));
  (void)registry.add_action(std::make_shared<const PingAction>());
  (void)registry.add_action(std::make_shared<const SshAction>());
  (void)registry.add_action(std::make_shared<const EmailAction>());
  (void)registry.add_action(std::make_shared<const CacheAction>(
      options.cache ? options.cache : std::make_shared<MemoryCacheStore>()));
  return registry;
}

Result<void> ActionRegistry::check_free(std::string_view name) const {
  if (name.empty()) return Error{ErrorCode::conflict, "an action type needs a name", {}};
  if (plugins_.count(name) || functions_.count(name)) {
    return Error{ErrorCode::conflict,
                 "Step executor conflict! '" + std::string(name) + "' executor registered twice",
                 {}};
  }
  return {};
}

Result<void> ActionRegistry::add_plugin(PluginEntry plugin) {
  if (auto free = check_free(plugin.name); !free) return free;
  std::string name = plugin.name;
  plugins_.emplace(std::move(name), std::move(plugin));
  return {};
}

Result<void> ActionRegistry::add_action(std::shared_ptr<const Action> action) {
  std::shared_ptr<const Action> shared = action;
  PluginEntry entry{std::string(action->name()), std::string(action->version()),
                    [shared](const Json& base, const Json& configuration) {
                      return shared->validate(base, configuration);
                    },
                    action->metadata_schema(), std::move(action)};
  return add_plugin(std::move(entry));
}

Result<void> ActionRegistry::set_action(std::shared_ptr<const Action> action) {
  auto it = plugins_.find(action->name());
  if (it == plugins_.end()) return no_runner(action->name());
  std::shared_ptr<const Action> shared = action;
  it->second.validate = [shared](const Json& base, const Json& configuration) {
    return shared->validate(base, configuration);
  };
  it->second.version = std::string(action->version());
  it->second.metadata_schema = action->metadata_schema();
  it->second.action = std::move(action);
  return {};
}

const Action* ActionRegistry::find_action(std::string_view name) const {
  auto it = plugins_.find(name);
  return it == plugins_.end() ? nullptr : it->second.action.get();
}

Result<void> ActionRegistry::set_validator(std::string_view name, ConfigValidator validate) {
  auto it = plugins_.find(name);
  if (it == plugins_.end()) return no_runner(name);
  it->second.validate = std::move(validate);
  return {};
}

Result<void> ActionRegistry::add_function(model::Function function) {
  if (auto free = check_free(function.name); !free) return free;
  std::string name = function.name;
  functions_.emplace(std::move(name), std::move(function));
  return {};
}

Result<void> ActionRegistry::add_functions(std::vector<model::Function> functions) {
  for (auto& f : functions) {
    if (auto added = add_function(std::move(f)); !added) return added;
  }
  return {};
}

std::vector<std::string> ActionRegistry::plugin_names() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : plugins_) names.push_back(name);
  return names;
}

bool ActionRegistry::has_plugin(std::string_view type) const { return plugins_.count(type) > 0; }

Result<void> ActionRegistry::validate_plugin_configuration(std::string_view type, const Json& base,
                                                           const Json& configuration) const {
  auto it = plugins_.find(type);
  if (it == plugins_.end()) return no_runner(type);
  if (it->second.validate) return it->second.validate(base, configuration);
  return validate_object(base, configuration);
}

std::optional<Json> ActionRegistry::plugin_metadata_schema(std::string_view type) const {
  auto it = plugins_.find(type);
  if (it == plugins_.end()) return std::nullopt;
  return it->second.metadata_schema;
}

const model::Function* ActionRegistry::find_function(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

}  // namespace utask::actions
