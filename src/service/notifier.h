#pragma once
// Task-event notifications (actions.md §8.2): what the service and the actors report after a
// change of a task or a step is committed, and the Notifier that delivers them. Reporting never
// blocks: a Notifier only queues (actions/notify/senders/dispatcher.h delivers).
//
// Who reports: TaskService after creating tasks (task_state_update, and task_validation for a
// task that waits for a human) and after WONTFIX; the task actor after each checkpoint that
// changed the task's state or a step's state (TaskEventTracker).

#include <map>
#include <string>
#include <vector>

#include "config/notify_config.h"

namespace utask::service {

// The task as a notification shows it.
struct TaskSnapshot {
  std::string id;
  std::string title;
  std::string state;
  std::string template_name;
  std::string requester;
  std::string resolver;       // "" when no resolution
  std::string resolution_id;  // "" when none
  int steps_done = 0;
  int steps_total = 0;
  std::map<std::string, std::string> tags;
  std::vector<std::string> potential_resolvers;  // on creation only
};

struct TaskEvent {
  config::NotifyAction action = config::NotifyAction::task_state_update;
  TaskSnapshot task;
  std::string step_name;   // task_step_update
  std::string step_state;  // task_step_update
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Queues the notifications of `events`, already committed. Never blocks, never fails
  // (delivery failures are logged by the implementation). Thread safe.
  virtual void notify(std::vector<TaskEvent> events) = 0;
};

}  // namespace utask::service
