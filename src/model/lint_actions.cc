// The action chain of a step or function and its effective pre_hook (engine.md §2.2 items 2
// and 3, §9). A chain is: the action, then, while its type names a function, that function's
// action with the function's configuration, down to a plugin.

#include <set>

#include "model/json.h"

#include "model/lint_internal.h"

namespace utask::model::lint_detail {
namespace {

// gjson-like lookup of a dotted path: object keys, or array indexes given as numbers.
bool json_path_exists(const Json& doc, std::string_view path) {
  const Json* node = &doc;
  while (true) {
    const auto dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (node->is_object()) {
      auto it = node->find(key);
      if (it == node->end()) return false;
      node = &*it;
    } else if (node->is_array()) {
      if (key.empty() || key.find_first_not_of("0123456789") != std::string::npos) return false;
      const size_t index = std::stoul(key);
      if (index >= node->size()) return false;
      node = &(*node)[index];
    } else {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    path = path.substr(dot + 1);
  }
}

struct FunctionLevel {
  const Function* function;
  std::string prefix;  // `function "<inner>": function "<outer>": ` including this function
};

struct ChainCheck {
  std::vector<std::string> errors;
  std::vector<FunctionLevel> functions;  // outermost first
};

// Validates every level of the chain of `action`. `base` is the step's base configuration
// (null if none): the original hands it to the validator of every level.
ChainCheck check_chain(const Action& action, const Json& base, const ActionCatalog& catalog) {
  ChainCheck out;
  std::string prefix;
  std::set<std::string, std::less<>> visited;
  std::string_view type = action.type;
  const Json* configuration = &action.configuration;
  while (true) {
    if (catalog.has_plugin(type)) {
      auto valid = catalog.validate_plugin_configuration(type, base, *configuration);
      if (!valid) out.errors.push_back(prefix + valid.error().message);
      return out;
    }
    const Function* f = catalog.find_function(type);
    if (!f) {
      out.errors.push_back(prefix + "No runner for type '" + std::string(type) + "'");
      return out;
    }
    if (!visited.insert(f->name).second) {
      out.errors.push_back(prefix + "invalid cyclic import in function for \"" + f->name + "\"");
      return out;
    }
    for (const auto& arg : f->required_args) {
      if (!json_path_exists(*configuration, arg)) {
        out.errors.push_back(prefix + "missing function_args \"" + arg + "\"");
      }
    }
    prefix = "function \"" + f->name + "\": " + prefix;
    out.functions.push_back({f, prefix});
    type = f->action.type;
    configuration = &f->action.configuration;
  }
}

// The base configuration an action names, or null. Reports a name with no entry.
Json base_configuration_of(const TaskTemplate* tmpl, const Action& action, std::string& error) {
  if (action.base_configuration.empty()) return Json();
  if (tmpl) {
    auto it = tmpl->base_configurations.find(action.base_configuration);
    if (it != tmpl->base_configurations.end()) return it->second;
  }
  error = "BaseConfiguration key not found: \"" + action.base_configuration + "\"";
  return Json();
}

// The action and its effective pre_hook: `own_pre_hook` is the step's (or the function's)
// pre_hook; a function down the chain may bring one when there is none yet.
void check_action_and_pre_hook(const TaskTemplate* tmpl, const Action& action,
                               const std::optional<Action>& own_pre_hook,
                               const ActionCatalog& catalog, const std::string& subject,
                               Sink& sink) {
  std::string base_error;
  const Json base = base_configuration_of(tmpl, action, base_error);
  if (!base_error.empty()) {
    sink.error(subject, "base-configuration", "Invalid executor action: " + base_error);
  }
  const ChainCheck chain = check_chain(action, base, catalog);
  for (const auto& e : chain.errors) {
    sink.error(subject, "action", "Invalid executor action: " + e);
  }
  const Action* pre_hook = own_pre_hook ? &*own_pre_hook : nullptr;
  for (const auto& level : chain.functions) {
    if (!level.function->pre_hook) continue;
    if (pre_hook) {
      sink.error(subject, "pre-hook-override",
                 "Invalid executor action: " + level.prefix + "pre_hook override");
    } else {
      pre_hook = &*level.function->pre_hook;
    }
  }
  if (!pre_hook) return;

  std::string hook_base_error;
  const Json hook_base = base_configuration_of(tmpl, *pre_hook, hook_base_error);
  if (!hook_base_error.empty()) {
    sink.error(subject, "pre-hook-action", "Invalid prehook action: " + hook_base_error);
  }
  const ChainCheck hook = check_chain(*pre_hook, hook_base, catalog);
  for (const auto& e : hook.errors) {
    sink.error(subject, "pre-hook-action", "Invalid prehook action: " + e);
  }
  for (const auto& level : hook.functions) {
    if (level.function->pre_hook) {
      sink.error(subject, "pre-hook-on-pre-hook", "Invalid prehook on a prehook");
      break;
    }
  }
}

}  // namespace

void lint_step_actions(const TaskTemplate& tmpl, const Step& step, const ActionCatalog& catalog,
                       Sink& sink) {
  check_action_and_pre_hook(&tmpl, step.action, step.pre_hook, catalog, step_subject(step.name),
                            sink);
}

void lint_function_actions(const Function& function, const ActionCatalog& catalog, Sink& sink) {
  // A function's own base_configuration is ignored at run time (§8.1): not looked up here.
  Action action = function.action;
  action.base_configuration.clear();
  std::optional<Action> pre_hook = function.pre_hook;
  if (pre_hook) pre_hook->base_configuration.clear();
  const std::string subject = "function " + function.name;
  if (!action.configuration.is_null() && !action.configuration.is_object()) {
    sink.error(subject, "function-configuration", "function configuration must be an object");
  }
  check_action_and_pre_hook(nullptr, action, pre_hook, catalog, subject, sink);
}

}  // namespace utask::model::lint_detail
