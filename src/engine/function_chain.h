#pragma once
// A step's action type may name a function, which names another function or a plugin
// (engine.md §9.1). This file follows that chain once, for everything derived from it:
// effective conditions, custom states and pre_hook, and the final plugin.

#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/task_template.h"

namespace utask::actions {
class ActionRegistry;
class Action;
}  // namespace utask::actions

namespace utask::engine {

struct FunctionChain {
  std::vector<const model::Function*> functions;  // outermost (the step's type) first
  std::string plugin;                             // the final plugin's name
  const actions::Action* action = nullptr;        // its executable action (null: none)
};

// Follows `type` through the registry. Errors: an unknown type (`No runner for type '<t>'`),
// a cycle (`invalid cyclic import in function for "<name>"`).
Result<FunctionChain> resolve_function_chain(std::string_view type,
                                             const actions::ActionRegistry& registry);

// Innermost function's conditions first, then outer functions', then the step's own.
// `step_first_index` receives the index of the step's first own condition.
std::vector<model::Condition> effective_conditions(const model::Step& step,
                                                   const actions::ActionRegistry& registry,
                                                   size_t* step_first_index = nullptr);

// The step's custom states, then each function's (outermost first), without repeats.
std::vector<std::string> effective_custom_states(const model::Step& step,
                                                 const actions::ActionRegistry& registry);

// The step's pre_hook, replaced by any function's pre_hook found down the chain.
std::optional<model::Action> effective_pre_hook(const model::Step& step,
                                                const actions::ActionRegistry& registry);

}  // namespace utask::engine
