#pragma once
// The records the Store exchanges with the engine and the API (docs/storage.md has the tables).
//
// Conventions, for every record:
// - Ids are public UUIDs in canonical lower-case text. Internal row ids never leave the store.
//   An empty id in a record given to a create method means "generate one" (random, version 4);
//   the created record (or the Result) carries it.
// - JSON values travel as JSON text (`*_json` members), already serialised by the caller with
//   model/json.h, so numbers keep the text they were written with. The store never parses
//   them: it encrypts, stores and returns the same bytes. "null" is the text of an unset value.
// - Members marked "encrypted" are sealed with the key ring before they reach the database
//   and come back in clear; nothing else is encrypted.
// - Times are UTC with microsecond precision (Postgres keeps no more), taken from the store's
//   clock (StoreOptions::clock), never from the database's NOW().

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace utask::persistence {

using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;
using Tags = std::map<std::string, std::string>;

// A template as synced from the templates directory. `definition_json` is the whole template
// in its API shape (api.md §6.8); the other members are the columns queries need.
struct TemplateRecord {
  std::string name;  // normalised (trimmed, lower-case); the key
  std::string description;
  std::string definition_json;
  std::vector<std::string> allowed_resolver_usernames;  // for the `resolvable` task listing
  std::vector<std::string> allowed_resolver_groups;     // and the metrics' group fallback
  bool hidden = false;
  bool blocked = false;
  bool archived = false;  // out of the directory but still referenced by tasks (read only)
};

// A function of the functions directory (api.md §6.10), synced like templates.
struct FunctionRecord {
  std::string name;
  std::string definition_json;
};

// What a template or function sync did (sync_templates, sync_functions).
struct SyncReport {
  int inserted = 0;
  int updated = 0;    // definition changed
  int unchanged = 0;
  int deleted = 0;
  int archived = 0;   // not in the directory any more, kept because tasks reference it
};

struct Batch {
  std::string id;
  Timestamp created{};
};

struct Comment {
  std::string id;
  std::string task_id;
  std::string username;
  Timestamp created{};
  Timestamp updated{};
  std::string content;  // encrypted
};

// A task (api.md §6.1). Listing queries return it without input and result (nullopt).
struct TaskRecord {
  std::string id;
  std::string template_name;
  std::optional<std::string> batch_id;
  std::optional<std::string> parent_task_id;  // the `_utask_parent_task_id` tag's value; the
                                              // caller sets both, the store indexes this one
  std::string title;
  std::string state;  // TODO, DELAYED, RUNNING, WAITING, BLOCKED, DONE, CANCELLED, WONTFIX
  std::string requester_username;
  std::vector<std::string> requester_groups;
  std::vector<std::string> watcher_usernames;
  std::vector<std::string> watcher_groups;
  std::vector<std::string> resolver_usernames;
  std::vector<std::string> resolver_groups;
  Tags tags;
  int steps_done = 0;
  int steps_total = 0;
  Timestamp created{};
  Timestamp last_activity{};
  std::optional<std::string> input_json;   // encrypted; nullopt in listings
  std::optional<std::string> result_json;  // encrypted; nullopt in listings
  // Read only, joined from the resolution (api.md §6.1 shows them on the task).
  std::optional<std::string> resolution_id;
  std::string resolver_username;
  std::optional<Timestamp> last_start;
  std::optional<Timestamp> last_stop;
};

// One step of a resolution, one row each (api.md §6.5). `step_json` is the whole Step object;
// `state` repeats its state in clear so queries (blocked-task errors, metrics) need no key.
struct StepRecord {
  std::string name;
  std::string state;
  std::string step_json;  // encrypted
};

// A resolution (api.md §6.3) plus the lease columns, which the API does not show.
struct ResolutionRecord {
  std::string id;
  std::string task_id;
  std::string task_title;  // read only, joined from the task
  std::string resolver_username;
  std::string state;  // a resolution state (engine.md §3.4)
  std::optional<int64_t> instance_id;  // the instance that last held a lease on it
  Timestamp created{};
  std::optional<Timestamp> last_start;
  std::optional<Timestamp> last_stop;
  std::optional<Timestamp> next_retry;
  int run_count = 0;
  int run_max = 0;
  std::string resolver_inputs_json = "null";      // encrypted
  std::string base_configurations_json = "null";  // encrypted (may hold credentials)
  // Loaded only when asked (ResolutionView::with_steps); ordered by name.
  std::vector<StepRecord> steps;
  // Read only: the lease generation and the wake-up counter (docs/storage.md, "Leases").
  int64_t generation = 0;
  int64_t wake_seq = 0;
};

// A running process of the fleet (one row per process start).
struct Instance {
  int64_t id = 0;  // shown as a resolution's instance_id
  std::string hostname;
  int64_t pid = 0;
  std::string version;
  Timestamp started{};
  Timestamp heartbeat{};
};

// The right to run one resolution. Only the holder of the newest generation may write the
// resolution's state; every write under a lease names it and fails with lease_lost otherwise.
struct Lease {
  std::string resolution_id;
  int64_t instance_id = 0;
  int64_t generation = 0;  // fencing token: strictly increases at every acquisition or revocation
  Timestamp expires{};
  int64_t wake_seq = 0;  // the resolution's wake-up counter seen at acquisition
};

// Why claim_next() picked a resolution; the engine needs it to apply crash recovery.
enum class ClaimReason {
  autorun,   // TO_AUTORUN
  retry,     // ERROR, TO_AUTORUN_DELAYED or WAITING whose next_retry has come
  wake,      // WAITING (or ERROR...) woken by a child, a callback or an operator
  recovery,  // RUNNING or CRASHED under an expired lease: its holder died or stalled
};

struct Claim {
  Lease lease;
  ClaimReason reason = ClaimReason::autorun;
  std::string state;  // the resolution state at the claim (unchanged by claiming)
};

// Progress of a key rotation, kept in the database so it resumes after a restart, on any
// instance.
struct KeyRotationProgress {
  std::string target_key_id;  // hex of the newest key's id
  std::string table;          // the table being rotated; empty when done
  int64_t rows_reencrypted = 0;
  int64_t rows_left_estimate = 0;
  bool done = false;
  Timestamp started{};
  std::optional<Timestamp> finished;
};

struct GcReport {
  int64_t tasks = 0;
  int64_t batches = 0;
  int64_t instances = 0;
};

// A callback URL of the `callback` action (actions.md §14). The token, schema and body are
// secrets: encrypted, with the callback's public id in their AAD.
struct CallbackRecord {
  std::string id;  // public UUID; empty in create_callback = generate one
  std::string task_id;
  std::string resolution_id;
  std::string resolver_username;
  std::string token;                 // encrypted; the secret the caller presents (?t=)
  std::string schema_json = "null";  // encrypted; JSON Schema or "null"
  std::optional<std::string> body_json;  // encrypted; nullopt until called
  Timestamp created{};
  Timestamp updated{};
  std::optional<Timestamp> called;
};

}  // namespace utask::persistence
