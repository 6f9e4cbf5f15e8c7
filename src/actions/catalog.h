#pragma once
// The action registry: every action `type` a step may name — builtin actions, plugins and the
// functions of the functions directory — in one namespace, as in the original (plugins.md §1):
// a name is registered once; a second registration is refused with the original's message
// `Step executor conflict! '<name>' executor registered twice`.
//
// It is the model::ActionCatalog that lint uses. What it knows of a plugin at this point is
// what lint needs: its name, how it checks a configuration at template load (actions.md §1.4)
// and its metadata schema. Execution comes with the action interface (src/actions/action.h).
//
// Thread safety: build it at startup, then share it read-only.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/action.h"
#include "actions/template_directory.h"
#include "model/action_catalog.h"
#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"

namespace utask::actions {

class CacheStore;  // cache/cache_store.h
namespace notify {
class Dispatcher;  // notify/senders/dispatcher.h
}

// Checks a raw (unrendered) configuration: `base` is the step's base configuration (null when
// none), decoded first, then `configuration` over it. The error message is the action's own
// (lint prefixes it with "Invalid executor action: ").
using ConfigValidator = std::function<Result<void>(const Json& base, const Json& configuration)>;

struct PluginEntry {
  std::string name;
  std::string version;
  ConfigValidator validate;              // empty: see ActionRegistry::validate_plugin_configuration
  std::optional<Json> metadata_schema;  // lints `.step.X.metadata.*` references (§2.5)
  // What runs it; null until the action's folder provides one (the engine then fails the
  // step with `No executable action for type '<name>'`).
  std::shared_ptr<const Action> action;
};

// What the builtin actions need from the process's settings.
struct BuiltinOptions {
  std::string scripts_path = "./scripts";  // --scripts-path: the folder of `script`'s files
  // The configuration items (`.config` of templates, config.md): `apiovh` reads the item its
  // `credentials` names, at template load and at execution. Empty: no item.
  Json config_items = Json::object();
  // notify-config's backends, for `notify`; null: none configured.
  std::shared_ptr<notify::Dispatcher> notify;
  // Where `cache` keeps its entries; null: in this process's memory (`utask run`).
  std::shared_ptr<CacheStore> cache;
};

class ActionRegistry final : public model::ActionCatalog {
 public:
  ActionRegistry() = default;

  // Every builtin action of actions.md (echo, http, subtask, script, callback, tag, batch,
  // notify, ssh, email, ping, apiovh, cache), each executable with its own rules.
  static ActionRegistry with_builtins(const BuiltinOptions& options = {});

  // How subtask and batch tell, at template load, whether the template they name exists (the
  // store's templates and those loaded with it). Until set, those names are not checked.
  // Copies of this registry share the lookup.
  void set_template_lookup(TemplateExists exists) { templates_->set(std::move(exists)); }

  // Fails (conflict) when the name is taken by a plugin or a function, or is empty.
  Result<void> add_plugin(PluginEntry plugin);
  // Where an action registers its configuration rules. Fails (not_found) for an unknown name.
  Result<void> set_validator(std::string_view name, ConfigValidator validate);

  // Registers an executable action under its name(), its validate() as the validator and
  // its metadata schema. Fails (conflict) when the name is taken by a plugin or a function.
  Result<void> add_action(std::shared_ptr<const Action> action);
  // Provides the executable action of a plugin already registered (by its name()).
  // Fails (not_found) for an unknown name.
  Result<void> set_action(std::shared_ptr<const Action> action);
  // The executable action of a plugin, or nullptr (unknown name, function, or none yet).
  const Action* find_action(std::string_view name) const;

  // Fails (conflict) when the name is taken by a plugin or a function.
  Result<void> add_function(model::Function function);
  // Adds each function; stops at the first conflict.
  Result<void> add_functions(std::vector<model::Function> functions);

  std::vector<std::string> plugin_names() const;  // sorted
  const std::map<std::string, model::Function, std::less<>>& functions() const {
    return functions_;
  }

  // model::ActionCatalog
  bool has_plugin(std::string_view type) const override;
  // A plugin without validator accepts a configuration that decodes as an object (null, or an
  // object) — what any typed configuration requires.
  Result<void> validate_plugin_configuration(std::string_view type, const Json& base,
                                             const Json& configuration) const override;
  std::optional<Json> plugin_metadata_schema(std::string_view type) const override;
  const model::Function* find_function(std::string_view name) const override;

 private:
  Result<void> check_free(std::string_view name) const;

  std::map<std::string, PluginEntry, std::less<>> plugins_;
  std::map<std::string, model::Function, std::less<>> functions_;
  std::shared_ptr<TemplateDirectory> templates_ = std::make_shared<TemplateDirectory>();
};

// Decodes `base` then `configuration` as the original decodes JSON into an action's typed
// configuration (engine.md §8.1): keys match field names case-insensitively (exact first),
// unknown keys are ignored, a JSON type that does not fit the field is an error
// (`failed to unmarshal configuration: json: cannot unmarshal string into Go struct field
// Config.unmarshal of type bool`, or `... base configuration: ...`), object fields merge key by
// key, other fields are replaced, null resets object/any fields and leaves scalars. Returns the
// merged object with the fields' canonical names.
enum class FieldType { any, object, boolean, string, number };
struct ConfigField {
  std::string_view name;
  FieldType type;
};
Result<Json> decode_typed_configuration(const Json& base, const Json& configuration,
                                        const std::vector<ConfigField>& fields);

}  // namespace utask::actions
