#pragma once
// The action interface: what a step's `action.type` does in the world. Builtin actions
// (src/actions/<name>/) and plugins (plugins/*.so) implement it; the engine calls it through the
// registry. Contract of actions.md §1: validation on the raw configuration at template load;
// execution on the rendered configuration, returning output, metadata and tags together with
// an error whose kind decides the step's state.
//
// Thread safety: an Action is shared by every step that names it and executed concurrently
// from I/O threads: execute() must be reentrant and keep no per-call state in members.

#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"
#include "model/json.h"

namespace utask::actions {

class ActionServices;  // engine services some actions need (subtask, batch, callback, tag)

// The kind of a failed execution → the step state (actions.md §1.5).
enum class ErrorKind {
  client,           // CLIENT_ERROR: not retried; the resolution blocks (BLOCKED_BADREQUEST)
  not_assigned,     // WAITING: re-run when woken (child ended, callback called, manual run)
  not_provisioned,  // TO_RETRY: retried by the collector with backoff
  server,           // SERVER_ERROR: retried per retry_pattern until max_retries
  fatal,            // FATAL_ERROR: never retried
};

struct ActionError {
  ErrorKind kind = ErrorKind::server;
  std::string message;
};

// What an execution returns. Output and metadata are kept on the step even with an error.
struct ActionResult {
  Json output;    // null when none
  Json metadata;  // null when none
  // Applied to the task when the step result is committed: a non-empty value sets the tag,
  // an empty one deletes it (actions.md §1.8).
  std::map<std::string, std::string> tags;
  std::optional<ActionError> error;
  // Added to the resolution's run_max when the result is applied (batch compensates the runs
  // its children's wake-ups consumed, actions.md §7).
  int64_t run_max_increase = 0;

  static ActionResult failure(ErrorKind kind, std::string message) {
    ActionResult r;
    r.error = ActionError{kind, std::move(message)};
    return r;
  }
};

struct ExecutionRequest {
  // Rendered (actions.md §1.3). The action decodes base_configuration first, then
  // configuration over it (actions.md §1.2; decode_typed_configuration in catalog.h):
  // only the action knows which of its fields merge key by key.
  Json base_configuration;  // null when the step names none
  Json configuration;
  Json context;        // the rendered context object, null when the action declares none
  std::string task_id;
  std::string resolution_id;
  std::string step_name;
  // Set by the engine when the task is cancelled or the instance shuts down: long actions
  // should poll it and return not_provisioned ("interrupted").
  const std::atomic<bool>* cancelled = nullptr;
  ActionServices* services = nullptr;  // null in unit tests of actions that need none
};

class Action {
 public:
  virtual ~Action() = default;
  virtual std::string_view name() const = 0;
  virtual std::string_view version() const = 0;

  // At template load, on the raw (unrendered) configuration: `base` is the step's base
  // configuration (null when none), `configuration` goes over it (actions.md §1.4). Strings
  // holding "{{" are checked after rendering instead. The message is the action's own.
  virtual Result<void> validate(const Json& base, const Json& configuration) const = 0;

  // The context object whose strings are templates the engine renders before execute()
  // (actions.md §1.7); null when the action needs none.
  virtual Json context_template(std::string_view step_name) const { return nullptr; }
  // Resource names this configuration needs (actions.md §1.9).
  virtual std::vector<std::string> resources(const Json& configuration) const { return {}; }
  // JSON schema of the metadata, for lint; nullopt when not published.
  virtual std::optional<Json> metadata_schema() const { return std::nullopt; }

  // Runs the action. May block (network, processes): the engine calls it on an I/O thread,
  // never on an actor scheduler thread. Never throws.
  virtual ActionResult execute(const ExecutionRequest& request) const = 0;
};

}  // namespace utask::actions
