#pragma once
// The writes the Store accepts: each struct is applied in one transaction, all or nothing.
// An unset std::optional member leaves its column unchanged.
//
// Preconditions ("check, then conditional write"): callers read a record, decide (and word
// the API's exact error messages) from it, then write with a precondition naming what they
// saw. If another writer changed the row in between, the write fails with ErrorCode::conflict,
// message "<table> <id> is in state <STATE>", field "<table>.state", and changes nothing.

#include <optional>
#include <string>
#include <vector>

#include "persistence/records.h"

namespace utask::persistence {

// Holds when the state is in `allowed` (if non-empty) and not in `refused`.
struct StateCondition {
  std::vector<std::string> allowed;
  std::vector<std::string> refused;
};

struct NewComment {
  std::string username;
  std::string content;  // encrypted
};

// POST /task and POST /batch: every task with its initial comment and, for auto-runnable
// templates, its resolution (state TO_AUTORUN or TO_AUTORUN_DELAYED, steps included).
struct NewTask {
  TaskRecord task;  // read-only members ignored; created/last_activity set by the store
  std::optional<NewComment> comment;
  std::optional<ResolutionRecord> resolution;
};
struct TaskCreation {
  std::optional<Batch> batch;  // created first when set; every task joins it
  std::vector<NewTask> tasks;
};

// PUT /task/:id, POST /task/:id/wontfix and the engine's task-only writes.
struct TaskChange {
  std::optional<std::string> title;
  std::optional<std::string> state;
  std::optional<std::string> input_json;
  std::optional<std::vector<std::string>> watcher_usernames;
  std::optional<std::vector<std::string>> watcher_groups;
  std::optional<std::vector<std::string>> resolver_usernames;
  std::optional<Tags> tags;
  bool touch = true;  // last_activity = now
  std::optional<NewComment> comment;
  // Preconditions. `resolution` holds when the task has no resolution or its state passes.
  StateCondition require_state;
  std::optional<StateCondition> require_resolution;
  // Ends a child (WONTFIX): wake the resolution of task.parent_task_id, if any, as
  // ResolutionChange::wake_parent does with whole_batch = (the task is in a batch).
  bool wake_parent = false;
};

// POST /resolution.
struct ResolutionCreation {
  ResolutionRecord resolution;  // with every step, state TODO or TO_AUTORUN
  // Append the creator to the task's resolver_usernames (an admin resolving, api.md §5.6.1).
  std::optional<std::string> add_task_resolver;
  // start_over: the task's resolution is deleted first; it must be in one of these states.
  // Without it a task that already has a resolution gives conflict.
  std::optional<StateCondition> start_over;
  // The task must pass this (WONTFIX refused).
  StateCondition require_task_state;
};

// A change of a resolution, its steps and its task: the checkpoint of the engine (under a
// lease) and the operators' edits (pause, cancel, extend, hot-fix; under a precondition).
struct ResolutionChange {
  // The resolution.
  std::optional<std::string> state;
  std::optional<Timestamp> last_start;
  std::optional<Timestamp> last_stop;
  // next_retry may only move earlier within a run (engine.md §10.3); std::nullopt inside
  // means "clear". The store applies that rule, so a concurrent wake is never pushed back.
  std::optional<std::optional<Timestamp>> next_retry;
  std::optional<int> run_count;
  std::optional<int> run_max;
  std::optional<std::string> resolver_inputs_json;
  // Steps: upserted by name, erased by name. With replace_steps, put_steps is the whole map.
  std::vector<StepRecord> put_steps;
  std::vector<std::string> erase_steps;
  bool replace_steps = false;

  // Its task. (title, input and tags: the engine re-renders the title and fills input
  // defaults at the start of a run, and step results may set tags, engine.md §4.2, §4.8.)
  std::optional<std::string> task_state;
  std::optional<std::string> task_title;
  std::optional<std::string> task_input_json;
  std::optional<Tags> task_tags;  // rewrites the tags and their task_tag rows
  std::optional<int> steps_done;
  std::optional<std::string> task_result_json;
  bool touch_task = true;  // task.last_activity = now

  std::optional<NewComment> comment;  // on the task

  // A child's end wakes its parent, in this same transaction: the resolution of the task
  // `parent_task_id` gets wake_seq + 1 (docs/storage.md, "Waking a parent"). With
  // `whole_batch`, only when every task of the child's batch is DONE, CANCELLED or WONTFIX
  // once this change is applied.
  struct WakeParent {
    std::string parent_task_id;
    bool whole_batch = false;
  };
  std::optional<WakeParent> wake_parent;

  // Operators only (ignored under a lease): the resolution must pass this, and with
  // revoke_lease the generation moves on, so a holder's next checkpoint fails with lease_lost
  // (forced pause, cancel).
  StateCondition require_state;
  bool revoke_lease = false;
};

}  // namespace utask::persistence
