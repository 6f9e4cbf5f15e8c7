#pragma once
// Which task events a run's checkpoints produce (actions.md §8.2): the task's state changing
// value (task_state_update) and a step's state changing value (task_step_update). The task
// actor keeps one tracker per run, collects before writing a checkpoint and hands the events
// to the Notifier once the write succeeded — so nothing is announced that was not committed.

#include <map>
#include <string>
#include <vector>

#include "engine/resolution_engine.h"
#include "engine/resolution_state.h"
#include "persistence/records.h"
#include "service/notifier.h"

namespace utask::service {

TaskSnapshot snapshot_of(const engine::ResolutionState& resolution);
// A stored task (creation, WONTFIX): resolver and resolution from the joined columns.
TaskSnapshot snapshot_of(const persistence::TaskRecord& task);

class TaskEventTracker {
 public:
  // The states as loaded: what later changes are compared with.
  void reset(const engine::ResolutionState& resolution);
  // The events of `changes` since the previous call (or reset), and remembers the new states.
  std::vector<TaskEvent> collect(const engine::ResolutionState& resolution,
                                 const engine::Changes& changes);

 private:
  std::string task_state_;
  std::map<std::string, std::string> step_states_;
};

}  // namespace utask::service
