#pragma once
// What operators do to a resolution between runs (engine.md §13, api.md §5.6.3–5.6.10), as
// pure checks and edits of a ResolutionState. Refusals are conflict errors with the API's
// messages; callers persist the result and add the comments.

#include <string>
#include <string_view>
#include <vector>

#include "engine/resolution_state.h"
#include "model/error.h"

namespace utask::actions {
class ActionRegistry;
}

namespace utask::engine {

// `pause`: refused in CANCELLED, RUNNING, DONE unless forced
// (`Can't pause resolution while in state <STATE>`); state PAUSED, task unchanged.
Result<void> pause(ResolutionState& resolution, bool force);

// `cancel`: refused in CANCELLED, RUNNING, DONE (`Can't cancel resolution: state <STATE>`);
// resolution and task CANCELLED, last_activity = now.
Result<void> cancel(ResolutionState& resolution, Time now);

// `extend`: only from BLOCKED_MAXRETRIES
// (`Cannot extend a resolution which is not in state 'BLOCKED_MAXRETRIES'`);
// run_max += retry_max (100 when absent), state ERROR, next_retry = now.
Result<void> extend(ResolutionState& resolution, std::optional<int64_t> retry_max, Time now);

// The states a step may be given: builtin step states (ANY excluded) and the step's
// effective custom states (its own, then those of its function chain, §9.1).
std::vector<std::string> effective_custom_states(const StepState& step,
                                                 const actions::ActionRegistry& registry);

// `PUT .../step/<name>/state`: resolution must be PAUSED
// (`Cannot update a resolution which is not in state 'PAUSED'`), the step must exist
// (not_found `given stepName "<name>" for this resolution not found`), the state must be
// builtin or one of its custom states (`invalid state provided: "<state>" is not allowed`).
Result<void> set_step_state(ResolutionState& resolution, std::string_view step,
                            std::string state, const actions::ActionRegistry& registry);

// `PUT /resolution/<id>` with resolver_inputs: PAUSED required; replaced without validation.
Result<void> set_resolver_inputs(ResolutionState& resolution, Json resolver_inputs);

}  // namespace utask::engine
