#pragma once
// Conditions (engine.md §5): asserts, skip conditions (before the action), check conditions
// (after it), and the effects of `then`. Evaluated against the live data tree with the step's
// item and name, so `.iterator` and `.step.this` refer to the step.
//
// Differences from the original (DECISIONS.md): GT/LT/GE/LE compare 64-bit integers or
// doubles; a REGEXP/NOTREGEXP expected that does not compile after rendering fails the step
// (FATAL_ERROR) instead of crashing.

#include <set>
#include <string>
#include <string_view>

#include "engine/data_tree.h"
#include "model/task_template.h"

namespace utask::engine {

struct Cycle;

struct AssertResult {
  bool holds = false;
  std::optional<std::string> error;  // evaluation error: the condition neither holds nor not
  bool fatal = false;                // the error is the step's fault (regexp after rendering)
};

// §5.1 for one assert; `item` may be null, `step_name` empty.
AssertResult evaluate_assert(const model::Assert& assert, DataTree& tree, const Json* item,
                             std::string_view step_name);

enum class ConditionScope {
  skip,         // a regular step's (or a foreach child's) skip conditions
  skip_parent,  // a foreach parent's skip conditions flagged `foreach: parent`
  check,        // check conditions
};

struct ConditionRun {
  bool held = false;    // some condition held
  bool failed = false;  // an evaluation error ended the evaluation
  std::set<std::string> modified;  // steps whose state a condition (or the failure) set
};

// Evaluates the step's effective conditions of the scope in order (§5.2–§5.4): a holding
// condition applies `then` (target `this` = the step; unknown targets ignored; each target's
// error = the rendered message) and stops the evaluation when `final`; an evaluation error
// sets the step SERVER_ERROR (skip), AFTERRUN_ERROR (check) or FATAL_ERROR (fatal error) with
// the error text and stops. The rendered message overwrites the stored one (persisted).
ConditionRun run_conditions(Cycle& cycle, const std::string& step_name, ConditionScope scope);

}  // namespace utask::engine
