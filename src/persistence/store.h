#pragma once
// Store: everything the engine and the API keep in the database, behind one interface, so
// neither ever sees SQL (STYLE §3, after LevelDB's DB). Two backends implement it — SQLite
// (embedded default) and PostgreSQL (a connection pool, many instances) — and one test suite
// runs against both. The data model, the lease protocol and the differences from the
// original's schema are in docs/storage.md.
//
// Contracts common to every method:
// - Thread safety: every method may be called concurrently from any thread. SQLite serialises
//   writers (BEGIN IMMEDIATE, busy timeout); Postgres takes a connection from the pool per call.
// - Each method is one transaction: on failure nothing it was asked to write is written.
// - Errors: not_found (a named row does not exist), conflict (a precondition failed, a
//   uniqueness rule, a live lease held by another instance), lease_lost (the lease's
//   generation moved on), transient (connection lost, serialisation failure, lock timeout:
//   retrying may succeed), invalid_config (a blob names a key the ring lacks; the database
//   schema is newer than this binary), internal (anything else: corrupt row, failed
//   authentication of a blob — the message names table, column and row, never a secret).
// - Ids in arguments are public UUIDs; a malformed one is simply not found.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/error.h"
#include "persistence/changes.h"
#include "persistence/records.h"
#include "persistence/task_filter.h"

namespace utask::persistence {

class KeyRing;

enum class ResolutionView { without_steps, with_steps };

// Which resolutions claim_next() may pick (the supervisor bounds recoveries separately).
struct ClaimKinds {
  bool autorun = true;
  bool retry = true;  // includes wake-ups
  bool recovery = true;
};

// One instance-wide setting (get_setting/set_setting): its value as JSON text, who set it last
// and when.
struct Setting {
  std::string key;
  std::string value_json;
  Timestamp updated{};
  std::string updated_by;
};

// One row of the cache action's table (actions.md §16): JSON text, optional expiry.
struct CacheRow {
  std::string value_json;
  std::optional<Timestamp> expires_at;
};

// One write of write_leased(): a checkpoint, or a release when `release` is set.
struct LeasedWrite {
  Lease lease;
  ResolutionChange change;
  bool release = false;
};

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // ---- Schema ------------------------------------------------------------------------------

  // The schema version of the database (the highest applied migration).
  virtual Result<int> schema_version() = 0;

  // ---- Templates and functions (synced from their directories at start) ----------------------

  // Makes the stored templates exactly `templates`: inserts new names, rewrites changed ones,
  // deletes the others, or archives them (archived, hidden, blocked) when tasks still reference
  // them. Safe when several instances sync at once (serialised by the store).
  virtual Result<SyncReport> sync_templates(const std::vector<TemplateRecord>& templates) = 0;
  virtual Result<SyncReport> sync_functions(const std::vector<FunctionRecord>& functions) = 0;
  // not_found when absent (archived templates are found).
  virtual Result<TemplateRecord> get_template(const std::string& name) = 0;
  // By name; hidden and archived ones only with include_hidden (admins).
  virtual Result<Page<TemplateRecord>> list_templates(const PageRequest& page,
                                                      bool include_hidden) = 0;
  virtual Result<FunctionRecord> get_function(const std::string& name) = 0;
  virtual Result<Page<FunctionRecord>> list_functions(const PageRequest& page) = 0;

  // ---- Tasks, batches, comments --------------------------------------------------------------

  // Creates the batch (if any), the tasks, their comments and resolutions, all or nothing.
  // Returns the tasks as stored (ids, times). not_found: a template name; conflict: an id taken.
  virtual Result<std::vector<TaskRecord>> create_tasks(const TaskCreation& creation) = 0;
  // With input and result. not_found when absent.
  virtual Result<TaskRecord> get_task(const std::string& task_id) = 0;
  // Without input and result. not_found: the `batch_id` or the page key does not exist.
  virtual Result<Page<TaskRecord>> list_tasks(const TaskFilter& filter) = 0;
  // Applies `change`, returns the task as stored. not_found, conflict (preconditions).
  virtual Result<TaskRecord> update_task(const std::string& task_id, const TaskChange& change) = 0;
  // Deletes the task with its comments, resolution and steps. conflict when the task state
  // fails `require` (the API refuses RUNNING and BLOCKED); the resolution's lease is revoked.
  virtual Result<void> delete_task(const std::string& task_id, const StateCondition& require) = 0;
  // GET /unsecured/stats: number of tasks per state.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> count_tasks_by_state() = 0;
  // GET /metrics: tasks per (group, state, template).
  virtual Result<std::vector<TaskCount>> count_tasks_by_group() = 0;

  virtual Result<Batch> get_batch(const std::string& batch_id) = 0;

  virtual Result<Comment> add_comment(const std::string& task_id, const NewComment& comment) = 0;
  // not_found when the comment is absent or belongs to another task.
  virtual Result<Comment> get_comment(const std::string& task_id,
                                      const std::string& comment_id) = 0;
  // In creation order.
  virtual Result<std::vector<Comment>> list_comments(const std::string& task_id) = 0;
  // Sets content and updated = now. not_found as get_comment.
  virtual Result<Comment> update_comment(const std::string& task_id, const std::string& comment_id,
                                         const std::string& content) = 0;
  virtual Result<void> delete_comment(const std::string& task_id,
                                      const std::string& comment_id) = 0;

  // ---- Resolutions ---------------------------------------------------------------------------

  // POST /resolution. not_found (task), conflict (task state, an existing resolution without
  // start_over, start_over from a refused state). Returns the resolution with its steps.
  virtual Result<ResolutionRecord> create_resolution(const ResolutionCreation& creation) = 0;
  virtual Result<ResolutionRecord> get_resolution(const std::string& resolution_id,
                                                  ResolutionView view) = 0;
  // A resolution with its steps and its task, read in one transaction: what a run loads when
  // it starts (one snapshot, one round trip fewer than get_resolution + get_task). not_found.
  virtual Result<std::pair<ResolutionRecord, TaskRecord>> get_resolution_and_task(
      const std::string& resolution_id) = 0;
  // One step; not_found when the resolution or the step is absent.
  virtual Result<StepRecord> get_step(const std::string& resolution_id,
                                      const std::string& step_name) = 0;
  // Operators' edits (pause, cancel, extend, hot-fix, step state). Refused with conflict when
  // `change.require_state` fails, or when a live lease is held and revoke_lease is false.
  // Returns the resolution as stored (without steps).
  virtual Result<ResolutionRecord> update_resolution(const std::string& resolution_id,
                                                     const ResolutionChange& change) = 0;
  // Wakes the resolution of a waiting task from outside (callback, a child's WONTFIX):
  // wake_seq + 1; a WAITING, ERROR or TO_AUTORUN_DELAYED resolution becomes claimable now; one
  // that is running is claimable again as soon as its holder releases it. not_found.
  virtual Result<void> wake_resolution(const std::string& resolution_id) = 0;

  // ---- Callbacks (the `callback` action, actions.md §14) -----------------------------------

  // Stores a new, uncalled callback (id generated when empty). not_found: the task or the
  // resolution; conflict: the id is taken or the resolution is not the task's.
  virtual Result<CallbackRecord> create_callback(const CallbackRecord& callback) = 0;
  // not_found when absent.
  virtual Result<CallbackRecord> get_callback(const std::string& callback_id) = 0;
  // The call of a callback URL, under the callback's row lock: refused with conflict
  // ("callback has already been resolved") when already called, or when the task fails
  // `require_task` ("related task is not in a valid state: <STATE>", field "task.state");
  // else body and called = now are stored and the resolution is woken (wake_resolution) in
  // the same transaction. not_found when absent.
  virtual Result<CallbackRecord> mark_callback_called(const std::string& callback_id,
                                                      const std::string& body_json,
                                                      const StateCondition& require_task) = 0;

  // ---- Instances and leases (docs/storage.md, "Leases") --------------------------------------

  // Registers this process; the returned id is its instance id for its whole life.
  virtual Result<Instance> register_instance(const Instance& self) = 0;
  // Every heartbeat interval: heartbeat = now, and every lease the instance still holds
  // expires = now + lease_ttl. Returns those leases: a lease the caller believes it holds and
  // that is not in the list was lost (stop its actor). not_found: the instance row was
  // collected (the process was declared dead; it must stop executing and re-register).
  virtual Result<std::vector<Lease>> heartbeat(int64_t instance_id) = 0;
  virtual Result<std::vector<Instance>> list_instances() = 0;

  // Collectors: leases one claimable resolution (docs/storage.md, "Claiming"), earliest due
  // first, or nullopt when none is. The state is not changed; the engine's first checkpoint
  // moves it to RUNNING. Postgres: FOR UPDATE SKIP LOCKED; SQLite: BEGIN IMMEDIATE.
  Result<std::optional<Claim>> claim_next(int64_t instance_id, const ClaimKinds& kinds) {
    auto claims = claim(instance_id, kinds, 1);
    if (!claims) return claims.error();
    if (claims->empty()) return std::optional<Claim>();
    return std::optional<Claim>(std::move(claims->front()));
  }
  // The same for up to `max` resolutions in one transaction, earliest due first: a burst of
  // new tasks is leased in a few round trips instead of one commit per task.
  virtual Result<std::vector<Claim>> claim(int64_t instance_id, const ClaimKinds& kinds,
                                           size_t max) = 0;
  // POST /resolution/:id/run and other explicit starts: leases this resolution whatever its
  // state (the engine refuses DONE/CANCELLED itself, then releases). conflict when another
  // live lease holds it (message names the holder); not_found.
  virtual Result<Lease> acquire_lease(const std::string& resolution_id, int64_t instance_id) = 0;
  // Writes `change` atomically iff the resolution's generation is still lease.generation.
  // lease_lost otherwise: nothing is written and the caller must stop without further writes.
  // Ignores the operator-only members of `change`. The lease is not extended: heartbeat()
  // renews every lease of the instance, so a checkpoint writes no lease columns.
  virtual Result<void> checkpoint(const Lease& lease, const ResolutionChange& change) = 0;
  // The last checkpoint of a run: as checkpoint(), then the lease ends in the same
  // transaction. If wake-ups arrived during the run (wake_seq moved past lease.wake_seq), the
  // resolution is claimable at once. lease_lost as checkpoint().
  virtual Result<void> release(const Lease& lease, const ResolutionChange& change) = 0;

  // Group commit: several checkpoints and releases (of different resolutions) in one
  // transaction, so one commit — one fsync — serves them all. Each write is fenced on its own
  // under a savepoint: one that fails (lease_lost, a conflict) is undone alone and the others
  // commit. Returns one result per write, in order; if the transaction itself fails, every
  // write gets its error.
  virtual std::vector<Result<void>> write_leased(const std::vector<LeasedWrite>& writes) = 0;

  // ---- Maintenance ---------------------------------------------------------------------------

  // Deletes tasks in DONE, CANCELLED or WONTFIX whose last_activity is before `older_than`
  // (with comments, resolutions, steps), batches with no task left, and instances dead for
  // longer than twice the lease TTL that hold no lease. Idempotent; any instance may run it.
  virtual Result<GcReport> collect_garbage(Timestamp older_than) = 0;

  // Re-encrypts with the ring's newest key at most `max_rows` rows still under an older key,
  // table after table, each row read and rewritten under its row lock (so no concurrent
  // checkpoint is lost). Progress is stored: calls resume where the last one stopped, on any
  // instance. A decryption error stops the rotation at that row (progress kept).
  virtual Result<KeyRotationProgress> rotate_keys(size_t max_rows) = 0;
  virtual Result<std::optional<KeyRotationProgress>> key_rotation_progress() = 0;

  // Instance-wide settings shared by every instance on this database (the admin console's
  // maintenance mode). get_setting: nullopt when never set. set_setting writes (inserts or
  // replaces) the JSON text `value_json` with updated = now; invalid_input for an empty key or
  // a value that is not one JSON value.
  virtual Result<std::optional<Setting>> get_setting(const std::string& key) = 0;
  virtual Result<Setting> set_setting(const std::string& key, const std::string& value_json,
                                      const std::string& updated_by) = 0;

  // The cache action's key/value store shared by every instance (actions.md §16, table
  // `cache`, migration 4), in clear by design: a cache templates share, not a secret store.
  // cache_get returns the row as stored, expired or not (the action expires lazily).
  virtual Result<void> cache_put(const std::string& key, const CacheRow& row) = 0;
  virtual Result<std::optional<CacheRow>> cache_get(const std::string& key) = 0;
  virtual Result<void> cache_erase(const std::string& key) = 0;  // no error when absent
  // Deletes the rows whose expiry is before `now`; how many.
  virtual Result<int64_t> cache_purge_expired(Timestamp now) = 0;

  // GET /unsecured/mon/ping: a round trip to the database.
  virtual Result<void> ping() = 0;
};

enum class MigrationMode {
  apply,       // apply pending migrations (serve, utask migrate)
  check_only,  // refuse (invalid_config) a database that is not exactly at this binary's version
};

struct StoreOptions {
  // `sqlite:PATH` (created when absent; `sqlite::memory:` for tests) or `postgres://...`
  // (libpq URI; `postgresql://` too).
  std::string url;
  // Shared, immutable; required.
  std::shared_ptr<const KeyRing> key_ring;
  // Postgres connections (SQLite uses one writer and this many readers).
  size_t pool_size = 8;
  MigrationMode migrations = MigrationMode::apply;
  // Lease duration; heartbeats should come every third of it.
  std::chrono::seconds lease_ttl{60};
  // The store's clock (tests pass a fake one; no sleeps). Null = system clock corrected by the
  // database clock's offset measured at open (Postgres), so instances agree on time.
  std::function<Timestamp()> clock;
  // list_tasks: a scope or id filter (tag, resolver, watcher) matching fewer tasks than this
  // drives the query from its own index; one matching more is checked task by task while the
  // listing order is walked (docs/storage.md §3). Tests lower it to reach both plans.
  size_t listing_driver_limit = 5000;
};

// Opens the store named by options.url, checks and (with MigrationMode::apply) migrates its
// schema. Errors: invalid_config (unknown scheme, no key ring, a schema newer than this binary,
// a pending migration with check_only), transient (database unreachable), internal (a
// migration failed; it was rolled back).
Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);

// The schema version this binary writes (the number of its migrations).
int latest_schema_version();

// The schema version of the database at options.url as it is, without creating, checking or
// migrating the schema (0: none yet); `utask migrate` reports it before migrating. Errors as
// open_store's (the key ring is not needed).
Result<int> stored_schema_version(const StoreOptions& options);

}  // namespace utask::persistence
