#pragma once
// The runtime resolution (engine.md §3.2, api.md §6.3) with the task fields the engine reads
// and writes during a run (§3.1, §11): everything one execution cycle needs besides the
// template, the action registry and the instance configuration. The actors load it from the
// store, hand it to a ResolutionEngine, and persist what Changes names.
//
// Creation (§3.1, §3.2) lives here too, so the API, the CLI and tests build tasks and
// resolutions the same way.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/step_state.h"
#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"

namespace utask::engine {

// Task states (engine.md §3.3).
namespace task_state {
inline constexpr std::string_view kTodo = "TODO";
inline constexpr std::string_view kDelayed = "DELAYED";
inline constexpr std::string_view kRunning = "RUNNING";
inline constexpr std::string_view kWaiting = "WAITING";
inline constexpr std::string_view kBlocked = "BLOCKED";
inline constexpr std::string_view kDone = "DONE";
inline constexpr std::string_view kCancelled = "CANCELLED";
inline constexpr std::string_view kWontfix = "WONTFIX";
}  // namespace task_state

// Resolution states (engine.md §3.4).
namespace resolution_state {
inline constexpr std::string_view kTodo = "TODO";
inline constexpr std::string_view kToAutorun = "TO_AUTORUN";
inline constexpr std::string_view kToAutorunDelayed = "TO_AUTORUN_DELAYED";
inline constexpr std::string_view kAutorunning = "AUTORUNNING";
inline constexpr std::string_view kRetry = "RETRY";
inline constexpr std::string_view kRunning = "RUNNING";
inline constexpr std::string_view kWaiting = "WAITING";
inline constexpr std::string_view kError = "ERROR";
inline constexpr std::string_view kCrashed = "CRASHED";
inline constexpr std::string_view kBlockedBadRequest = "BLOCKED_BADREQUEST";
inline constexpr std::string_view kBlockedFatal = "BLOCKED_FATAL";
inline constexpr std::string_view kBlockedDeadlock = "BLOCKED_DEADLOCK";
inline constexpr std::string_view kBlockedMaxRetries = "BLOCKED_MAXRETRIES";
inline constexpr std::string_view kBlockedToCheck = "BLOCKED_TOCHECK";
inline constexpr std::string_view kPaused = "PAUSED";
inline constexpr std::string_view kCancelled = "CANCELLED";
inline constexpr std::string_view kDone = "DONE";
}  // namespace resolution_state

// The task as the engine sees it (api.md §6.1 fields it reads or writes).
struct TaskState {
  std::string id;
  std::string title;
  std::string template_name;
  std::string state = "TODO";
  std::string requester_username;
  std::vector<std::string> requester_groups;
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
  std::vector<std::string> resolver_usernames;
  std::vector<std::string> resolver_groups;
  Time created{};
  Time last_activity{};
  Json input = Json::object();   // validated requester inputs (defaults filled at validation)
  Json result = Json::object();  // result_format until the resolution ends DONE, then rendered
  std::map<std::string, std::string> tags;
  int steps_done = 0;
  int steps_total = 0;
  std::optional<std::string> batch_id;
};

struct ResolutionState {
  std::string id;
  std::string resolver_username;
  std::vector<std::string> resolver_groups;  // the resolver's groups, for `.task.resolver_groups`
  std::string state = "TODO";
  std::optional<int64_t> instance_id;
  Time created{};
  std::optional<Time> last_start;
  std::optional<Time> last_stop;
  std::optional<Time> next_retry;  // unset = none (stored as NULL, api.md §6.3 note)
  int64_t run_count = 0;
  int64_t run_max = model::kDefaultRetryMax;
  Json resolver_inputs = Json::object();
  Json base_configurations = Json::object();  // snapshot of the template's, name → object
  std::map<std::string, StepState> steps;     // by name (foreach children included)
  TaskState task;
};

// api.md §6.3 shape (steps included; resolver inputs included: callers strip them for
// non-managers). The task is not part of it.
Json resolution_to_json(const ResolutionState& resolution);

// What the API needs to create a task (§3.1) from a template.
struct TaskRequest {
  std::string id;  // public id; the caller generates it
  std::string requester_username;
  std::vector<std::string> requester_groups;
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
  std::vector<std::string> resolver_usernames;
  std::vector<std::string> resolver_groups;
  Json input = Json::object();
  std::map<std::string, std::string> tags;  // override the template's
  std::optional<std::string> batch_id;
};

// §3.1: inputs validated (declared ones kept, defaults filled), title and tags rendered with
// the raw request inputs, result = result_format, steps_total. Errors: an input check
// (invalid_input, the original's message) or a title/tag rendering error
// ("Templating error: ..."). `config_items` is the `.config` tree; `region` `.task.region`.
Result<TaskState> create_task(const model::TaskTemplate& tmpl, const TaskRequest& request,
                              Time now, const Json& config_items = Json::object(),
                              std::string_view region = "default");

// §3.2: refused when the task is WONTFIX (`Task is in state WONTFIX`); steps copied from the
// template with state TODO, run_max = retry_max or 100, base configurations copied, resolver
// inputs validated (defaults added, undeclared kept). `autorun` gives TO_AUTORUN, else TODO.
Result<ResolutionState> create_resolution(const model::TaskTemplate& tmpl, TaskState task,
                                          std::string id, std::string resolver_username,
                                          const Json& resolver_inputs, bool autorun, Time now);

}  // namespace utask::engine
