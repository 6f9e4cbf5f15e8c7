#pragma once
// The engine's runtime state (engine/resolution_state.h) ↔ the store's records
// (persistence/records.h, changes.h). One place decides how a run's Changes become a
// checkpoint, so the actors, the API's operator edits and `utask run` persist alike.

#include <optional>
#include <string>

#include "engine/resolution_engine.h"
#include "engine/resolution_state.h"
#include "model/error.h"
#include "persistence/changes.h"
#include "persistence/records.h"

namespace utask::persistence {
class Store;
}

namespace utask::service {

// The reserved tag naming a child task's parent (actions.md §1.8).
inline constexpr const char* kParentTaskTag = "_utask_parent_task_id";

// A JSON value as stored (null for an absent or empty text); internal error naming `what`
// when the text does not parse.
Result<Json> parse_stored_json(const std::optional<std::string>& text, const char* what);

// Task + resolution (with steps) as the engine needs them. Errors: the store's, or internal
// when a stored JSON value does not parse (names the field).
Result<engine::ResolutionState> to_resolution_state(const persistence::TaskRecord& task,
                                                    const persistence::ResolutionRecord& resolution);
// Loads both from the store (get_resolution with steps, then get_task).
Result<engine::ResolutionState> load_resolution_state(persistence::Store& store,
                                                      const std::string& resolution_id);

persistence::TaskRecord to_task_record(const engine::TaskState& task);
persistence::ResolutionRecord to_resolution_record(const engine::ResolutionState& resolution);
persistence::StepRecord to_step_record(const engine::StepState& step);

// The checkpoint of `changes` made to `resolution`: changed steps, removed steps, the
// resolution's run columns and the task's columns. When the task has ended (DONE, CANCELLED,
// WONTFIX) and has a parent, the parent is woken in the same transaction (whole batch when the
// task is in a batch).
//
// `written`: the task as the store has it (what the previous checkpoint wrote), when the
// caller keeps it: then only the task columns that differ are written, and last_activity moves
// only when something did — a step transition that leaves the task alone costs no task write
// (the task row is a key of five indexes, docs/storage.md §3).
persistence::ResolutionChange to_change(const engine::ResolutionState& resolution,
                                        const engine::Changes& changes,
                                        const engine::TaskState* written = nullptr);

// Everything of `resolution` as one change (operators' edits that replace the state).
persistence::ResolutionChange to_full_change(const engine::ResolutionState& resolution);

}  // namespace utask::service
