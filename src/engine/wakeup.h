#pragma once
// What happens around a run rather than inside it, as pure decisions for the actors:
// admission refused for lack of the template's resource (engine.md §4.3) and the wake-up of a
// parent task when a child task ends (§10.4).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "engine/resolution_state.h"

namespace utask::engine {

// The tag a child task carries (subtask, batch): its parent's task id.
inline constexpr std::string_view kParentTaskTag = "_utask_parent_task_id";

// §4.3: how long a resolution waits when its template's resource could not be acquired.
inline constexpr std::chrono::minutes kTemplateResourceRetryDelay{10};

// §4.3: the resource `template:<name>` was not acquired: task BLOCKED, resolution
// TO_AUTORUN_DELAYED with next_retry = now + 10 min.
void refuse_admission(ResolutionState& resolution, Time now);

// §10.4, the child's side: the parent task id when `child` has ended (DONE, WONTFIX,
// CANCELLED) and carries the parent tag; nullopt otherwise. For a task of a batch the caller
// also checks that every task of the batch has ended.
std::optional<std::string> parent_to_wake(const TaskState& child);

// §10.4, the parent's side: the parent task is BLOCKED, RUNNING or WAITING and its resolution
// is neither CRASHED nor PAUSED. Waking sets the parent resolution's next_retry to now (the
// store keeps an earlier one, §10.3); its state is not changed.
bool parent_accepts_wakeup(std::string_view parent_task_state,
                           std::string_view parent_resolution_state);

}  // namespace utask::engine
