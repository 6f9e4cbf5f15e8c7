#pragma once
// Which steps may be dispatched now (engine.md §4.5). Given the steps modified since the last
// pass, the candidates are their dependents (every step when none was modified), plus steps
// set to RETRY_NOW after running in this run, plus children a foreach just created. A
// candidate is eligible when its state is runnable, it is not in the run's executed set and
// its dependencies hold (a foreach step that is not EXPANDED ignores its own old children
// unless one is RUNNING). Children of an eligible foreach step are left out.

#include <set>
#include <string>
#include <vector>

#include "engine/dependencies.h"
#include "engine/step_state.h"

namespace utask::engine {

struct EligibilityInput {
  const std::map<std::string, StepState>* steps = nullptr;
  const DependencyIndex* index = nullptr;
  std::set<std::string>* executed = nullptr;  // RETRY_NOW candidates are taken out of it
  std::set<std::string> modified;             // empty: every step is a candidate
  std::set<std::string> new_children;         // created by an expansion in this pass
};

// The eligible steps, in name order.
std::vector<std::string> eligible_steps(EligibilityInput in);

}  // namespace utask::engine
