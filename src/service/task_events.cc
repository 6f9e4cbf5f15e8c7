#include "service/task_events.h"

namespace utask::service {

TaskSnapshot snapshot_of(const engine::ResolutionState& r) {
  TaskSnapshot s;
  s.id = r.task.id;
  s.title = r.task.title;
  s.state = r.task.state;
  s.template_name = r.task.template_name;
  s.requester = r.task.requester_username;
  s.resolver = r.resolver_username;
  s.resolution_id = r.id;
  s.steps_done = r.task.steps_done;
  s.steps_total = r.task.steps_total;
  s.tags = r.task.tags;
  return s;
}

TaskSnapshot snapshot_of(const persistence::TaskRecord& t) {
  TaskSnapshot s;
  s.id = t.id;
  s.title = t.title;
  s.state = t.state;
  s.template_name = t.template_name;
  s.requester = t.requester_username;
  s.resolver = t.resolver_username;
  s.resolution_id = t.resolution_id.value_or("");
  s.steps_done = t.steps_done;
  s.steps_total = t.steps_total;
  s.tags = t.tags;
  return s;
}

void TaskEventTracker::reset(const engine::ResolutionState& resolution) {
  task_state_ = resolution.task.state;
  step_states_.clear();
  for (const auto& [name, step] : resolution.steps) step_states_[name] = step.state;
}

std::vector<TaskEvent> TaskEventTracker::collect(const engine::ResolutionState& resolution,
                                                 const engine::Changes& changes) {
  std::vector<TaskEvent> events;
  if (changes.empty()) return events;
  const TaskSnapshot task = snapshot_of(resolution);
  for (const auto& name : changes.steps) {
    auto it = resolution.steps.find(name);
    if (it == resolution.steps.end()) continue;
    auto& last = step_states_[name];
    if (last == it->second.state) continue;
    last = it->second.state;
    events.push_back(TaskEvent{config::NotifyAction::task_step_update, task, name, last});
  }
  for (const auto& name : changes.removed_steps) step_states_.erase(name);
  if (resolution.task.state != task_state_) {
    task_state_ = resolution.task.state;
    events.push_back(TaskEvent{config::NotifyAction::task_state_update, task, {}, {}});
  }
  return events;
}

}  // namespace utask::service
