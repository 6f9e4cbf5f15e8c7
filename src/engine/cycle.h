#pragma once
// Internal to the engine: the state one run works on, shared by the files that implement the
// cycle (dispatch, conditions, foreach, pruning, reception). Owned by ResolutionEngine::Impl;
// nothing outside src/engine includes it.
//
// Invariant: every change of a step goes through touch(), so the live data tree and the
// Changes record always agree with the ResolutionState.

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "engine/data_tree.h"
#include "engine/dependencies.h"
#include "engine/resolution_engine.h"
#include "engine/resolution_state.h"

namespace utask::values {
class Variables;
}

namespace utask::engine {

struct Cycle {
  Cycle(ResolutionState& resolution, const EngineContext& context);
  ~Cycle();

  ResolutionState& res;
  const EngineContext& ctx;
  const actions::ActionRegistry& registry;
  std::unique_ptr<values::Variables> variables;  // the template's, at run time
  TemplateCache templates;
  std::optional<DataTree> live;  // built by begin_run
  DependencyIndex index;
  // §4.5: steps that may not be dispatched again in this run.
  std::set<std::string> executed;
  // Steps whose skip conditions held or failed at their last dispatch (no check conditions).
  std::set<std::string> skipped;
  // Foreach children already contracted: their late results are discarded (§4.8 step 1).
  std::set<std::string> contracted;
  Changes changes;
  Time now{};  // the time of the latest call that gave one

  StepState* find(std::string_view name);
  // Records that `name` changed: live tree entry refreshed, row marked for the checkpoint.
  void touch(const std::string& name);
  // Sets a step's state (and error when given); touches it.
  void set_state(const std::string& name, std::string state,
                 std::optional<std::string> error = std::nullopt);
  void remove(const std::string& name);
  void reindex();
};

}  // namespace utask::engine
