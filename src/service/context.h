#pragma once
// What every service of this folder works with: the store, the templates, the action
// registry, the admin lists, the clock and whoever starts runs. Built once by `utask serve`
// (or `utask run`, or a test) and shared; constant afterwards.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "engine/step_state.h"
#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"
#include "service/authorization.h"
#include "service/notifier.h"

namespace utask::actions {
class ActionRegistry;
}
namespace utask::persistence {
class Store;
}

namespace utask::service {

class RunStarter;  // resolution_service.h

// The template of a task by name (the loaded library, else the store's definition).
// not_found when unknown.
using TemplateLookup =
    std::function<Result<std::shared_ptr<const model::TaskTemplate>>(const std::string& name)>;

struct ServiceContext {
  persistence::Store* store = nullptr;              // required; outlives the services
  TemplateLookup templates;                         // required
  const actions::ActionRegistry* registry = nullptr;  // required for hot-fixes and step states
  std::vector<std::string> admin_usernames;         // utask-cfg (api.md §2.3)
  std::vector<std::string> admin_groups;
  Json config_items = Json::object();  // `.config` of title and tag templates
  std::string region = "default";
  std::function<engine::Time()> clock;  // default: system clock
  RunStarter* runner = nullptr;         // null: nothing is started or woken (tests)
  Notifier* notifier = nullptr;         // task events (actions.md §8.2); null: none sent

  engine::Time now() const;
  Caller caller(std::string username, std::vector<std::string> groups) const;
  // The template `name`: not_found `template "<name>" not found` when unknown or empty.
  Result<std::shared_ptr<const model::TaskTemplate>> find_template(const std::string& name) const;
  // runner->wake() when there is a runner.
  void wake() const;
  // notifier->notify() when there is a notifier; call after the change was committed.
  void notify(std::vector<TaskEvent> events) const;
};

}  // namespace utask::service
