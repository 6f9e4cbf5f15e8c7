#pragma once
// What the engine asks its driver to run: one action call, fully prepared (engine.md §4.7.1):
// configurations rendered against the step's snapshot, context rendered, resources computed.
// The driver waits `delay`, acquires `resources`, calls `action->execute(request())` on an I/O
// thread and hands the ActionResult back to ResolutionEngine::apply_result with `id`.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "actions/action.h"
#include "model/json.h"

namespace utask::engine {

struct Execution {
  enum class Phase {
    pre_hook,  // the step's pre_hook (§9.2); its result leads to the main execution
    main,      // the step's action (the final plugin of its function chain)
  };

  uint64_t id = 0;  // unique within one ResolutionEngine
  std::string step_name;
  Phase phase = Phase::main;
  std::string action_type;                    // the plugin name, functions resolved
  const actions::Action* action = nullptr;    // from the registry; never null
  Json base_configuration;                    // rendered; null when the step names none
  Json configuration;                         // rendered
  Json context;                               // rendered context object; null when none
  std::vector<std::string> resources;         // sorted, unique: the action's ∪ the step's
  std::chrono::nanoseconds delay{0};          // the step's execution_delay, to wait first
  std::string task_id;
  std::string resolution_id;

  // The request for Action::execute (cancellation flag and services are the driver's).
  actions::ExecutionRequest request() const;
};

// The result a driver reports when it could not acquire `resources` (engine.md §4.7.2):
// output "{}" (a string), metadata "", a not-provisioned error "failed to acquire resources".
actions::ActionResult resources_unavailable();

}  // namespace utask::engine
