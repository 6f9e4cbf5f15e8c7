#pragma once
// The execution pipeline of one regular step (engine.md §4.7): building an execution from the
// step's action and its function chain (§4.7.1, §9), and post-processing the action's result
// (§4.7.3, §8.2). Works on a copy of the step and a snapshot of the data tree taken at
// dispatch; the copy replaces the stored step when the result is received (§4.13).

#include <optional>
#include <string>
#include <vector>

#include "actions/action.h"
#include "engine/data_tree.h"
#include "engine/execution.h"
#include "engine/step_state.h"
#include "model/error.h"
#include "model/task_template.h"

namespace utask::actions {
class ActionRegistry;
}

namespace utask::engine {

// One step between its dispatch and the reception of its result.
struct StepInFlight {
  StepState step;     // the copy the pipeline works on
  DataTree snapshot;  // §7.3, taken at dispatch
  // Output post-processings in application order (innermost function first, step last);
  // merge formats already rendered, template formats raw.
  std::vector<model::OutputSpec> outputs;
};

struct BuildInput {
  const model::Action* action = nullptr;  // the step's action, or its pre_hook
  const Json* base_configurations = nullptr;  // the resolution's, name → object
  // The base configuration used (§8.1): the step's own for the main action; the pre_hook's
  // for a pre_hook.
  std::string base_configuration;
  const actions::ActionRegistry* registry = nullptr;
  const Json* item = nullptr;  // the step's item (foreach child) or null
  std::string step_name;
  std::string task_id;
  std::string resolution_id;
};

// §4.7.1 against `tree`. With `outputs` (main action) the output specs of every level are
// collected there and a rendered merge format of the step's own action is written back into
// `*own_output` (persisted, §15.12); for a pre_hook pass nullptr (outputs ignored). Each
// function level's rendered configuration becomes `.function_args` in `tree`. Errors carry
// the original's texts (`could not find base configuration '<n>'`, `failed to template
// configuration: ...`, `failed to template base output: ...`, `failed to template merge
// output: merge output not a map`, `failed to template context: ...`).
Result<Execution> build_execution(const BuildInput& in, DataTree& tree,
                                  std::vector<model::OutputSpec>* outputs,
                                  std::optional<model::OutputSpec>* own_output);

// §4.7.3 on `flight.step` (state RUNNING): stores output, metadata, tags; applies the output
// post-processings (failure: FATAL_ERROR `unable to format output: ...`); classifies the
// error (client → CLIENT_ERROR, not assigned → WAITING, not provisioned → TO_RETRY, fatal →
// FATAL_ERROR, other → SERVER_ERROR, error text kept); else checks json_schema (FATAL_ERROR
// with the violations); else DONE with error cleared. try_count + 1 in every case.
void post_process(StepInFlight& flight, actions::ActionResult result);

// The step state an action error kind leads to (actions.md §1.5).
std::string_view state_for_error(actions::ErrorKind kind);

}  // namespace utask::engine
