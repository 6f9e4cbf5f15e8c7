#pragma once
// ActionServices: what the actions that reach beyond their step (subtask, batch, callback)
// may ask of the engine's world — create child tasks, read tasks and batches, create and read
// callbacks — without seeing the store, the actors or the API. The service layer implements it
// (service/action_services_impl.h) over the Store; tests of actions may use a fake.
//
// Contracts common to every method:
// - Thread safety: called concurrently from I/O threads; implementations are reentrant.
// - Each creating method is one store transaction: on failure nothing was created.
// - Errors (utask::Error codes): invalid_input — a user's mistake the action reports as a
//   client error (bad child input, blocked template, unparsable delay); not_found — a named
//   task, batch, callback or template does not exist; forbidden — the requester may not create
//   a task from that template; transient — the database failed, retrying may succeed;
//   internal — anything else. Messages are the original's where actions.md gives one.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

using ServiceTime = std::chrono::sys_time<std::chrono::microseconds>;

// Who asks: a child task is created with its parent's requester identity, which is also the
// identity checked for the right to create it and to auto-run it (actions.md §6 step 2).
struct Requester {
  std::string username;
  std::vector<std::string> groups;
};

// A task as actions see it (subtask's output, actions.md §6).
struct TaskView {
  std::string id;
  std::string state;  // a task state: TODO, DELAYED, RUNNING, WAITING, BLOCKED, DONE...
  Json result;        // the task's result; null when it has none
  std::optional<std::string> resolver_username;  // the resolution's resolver; nullopt: none
  std::string requester_username;
  bool has_resolution = false;  // TODO with and without resolution map to different messages
  std::optional<std::string> batch_id;
};

// One child task (subtask). The implementation adds the tag `_utask_parent_task_id` =
// parent_task_id and records the parent; `tags` must not hold that key (invalid_input).
struct ChildTaskRequest {
  std::string template_name;
  std::string parent_task_id;
  Requester requester;
  Json input = Json::object();  // validated against the child template
  std::map<std::string, std::string> tags;
  std::optional<std::string> comment;  // initial comment, written as the requester
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
  std::vector<std::string> resolver_usernames;
  std::vector<std::string> resolver_groups;
  // Start delay when the child is auto-run (state DELAYED until then); ignored otherwise.
  std::optional<std::chrono::microseconds> delay;
};

// A wave of children of one batch (batch action, actions.md §7): every input gives one child
// with the same template, tags, comment and watchers, no extra resolvers and no delay.
struct BatchWaveRequest {
  // The batch's public id. Empty: a new batch is created and its id returned. Non-empty: the
  // batch is created with that id when it does not exist (it was collected, actions.md §7
  // step 5), else the children join it.
  std::string batch_id;
  std::string template_name;
  std::string parent_task_id;
  Requester requester;
  std::vector<Json> inputs;  // each an object, already merged with the common inputs
  std::map<std::string, std::string> tags;
  std::optional<std::string> comment;
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
};

struct BatchWave {
  std::string batch_id;
  std::vector<TaskView> tasks;  // in the order of the inputs
};

// A callback (actions.md §14). The token and body are secrets: encrypted at rest.
struct CallbackView {
  std::string id;     // public UUID
  std::string token;  // secret UUID the caller must present (?t=)
  std::string task_id;
  std::string resolution_id;
  std::string resolver_username;
  Json schema;  // compiled-and-normalised JSON Schema, null when none
  std::optional<ServiceTime> called;  // nullopt until the URL was called
  Json body;                          // the posted object; null until called
  ServiceTime created{};
};

struct NewCallbackRequest {
  std::string task_id;
  std::string resolution_id;
  std::string resolver_username;  // the task's requester
  Json schema;                    // null when none; the action has normalised and compiled it
};

class ActionServices {
 public:
  virtual ~ActionServices() = default;

  // Creates one child task with POST /task's checks and auto-run decision: the child gets a
  // resolution at once only when its template is auto-runnable and the requester may run it
  // (admin, template resolution manager, allow_all_resolver_usernames); with `delay` that
  // resolution starts at now + delay (state DELAYED). Errors: not_found (template:
  // `sub-task template "<name>" not found`), invalid_input (inputs, blocked template
  // "Template not available (blocked)", reserved tag), forbidden, transient, internal.
  virtual Result<TaskView> create_child_task(const ChildTaskRequest& request) = 0;

  // Creates every child of `request.inputs` in one transaction (none on failure), auto-run
  // as create_child_task. Errors as create_child_task.
  virtual Result<BatchWave> create_batch_wave(const BatchWaveRequest& request) = 0;

  // The task `task_id` now. not_found when absent.
  virtual Result<TaskView> get_task(const std::string& task_id) = 0;

  // The states of every task of the batch, in no particular order. not_found when the batch
  // does not exist (any more).
  virtual Result<std::vector<std::string>> batch_task_states(const std::string& batch_id) = 0;

  // run_max += delta on a resolution no run holds. Errors: not_found; conflict while a live
  // lease holds it — which includes the calling step's own run, whose checkpoints write
  // run_max from the engine's state: batch's compensation of its wake-ups (actions.md §7
  // step 5) on its own resolution has to go through the engine, not through this method.
  virtual Result<void> add_run_max(const std::string& resolution_id, int delta) = 0;

  // Creates a callback with new random id and token, not called, empty body. not_found (task
  // or resolution).
  virtual Result<CallbackView> create_callback(const NewCallbackRequest& request) = 0;
  // not_found when absent.
  virtual Result<CallbackView> get_callback(const std::string& callback_id) = 0;
  // The public URL of a callback: `<base><prefix>/<id>?t=<token>` (callback-config).
  virtual std::string callback_url(std::string_view callback_id, std::string_view token) const = 0;

  // Whether a template of that name exists (archived ones included); load-time checks of
  // subtask and batch. Errors: transient, internal (never not_found).
  virtual Result<bool> template_exists(const std::string& template_name) = 0;
};

}  // namespace utask::actions
