#pragma once
// The end of a run (engine.md §4.10–§4.12): the resolution state its steps call for, the run
// budget, next_retry, the task state and steps_done.

#include <string>

#include "engine/resolution_state.h"

namespace utask::engine {

// §4.10 table and priority CRASHED > BLOCKED_FATAL > BLOCKED_BADREQUEST > ERROR > WAITING >
// BLOCKED_DEADLOCK; DONE when no step contributes. `shutting_down`: TODO counts as CRASHED.
std::string resolution_state_from_steps(const ResolutionState& resolution, bool shutting_down);

// Final steps that are not foreach children.
int count_steps_done(const ResolutionState& resolution);

// The task state for a resolution end state: DONE → DONE, WAITING → WAITING, BLOCKED_* →
// BLOCKED, ERROR / CRASHED → RUNNING (retries left).
std::string task_state_for(std::string_view resolution_state);

// Applies the end to `resolution` (state, next_retry, last_stop, task state, steps_done;
// ERROR/CRASHED with run_count >= run_max become BLOCKED_MAXRETRIES). The task result is the
// caller's (it needs the live tree). Returns the final resolution state.
std::string apply_end_of_cycle(ResolutionState& resolution, const std::string& state, Time now);

}  // namespace utask::engine
