#pragma once
// What resolutions.cc, leases.cc (and the task creation) share: reading a resolution row with
// its lease columns, inserting one with its steps, and applying a ResolutionChange to a locked
// row — the one write path of operators' edits, checkpoints and releases, so due_at
// (due_at.h), the fencing and the parent wake-up are computed in one place.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/error.h"
#include "persistence/changes.h"
#include "persistence/records.h"
#include "persistence/sql/database.h"
#include "persistence/store/columns.h"

namespace utask::persistence {

// A resolution row with what the API does not show.
struct ResolutionRow {
  int64_t row_id = 0;
  int64_t task_row_id = 0;
  ResolutionRecord record;  // without steps; encrypted members "null" unless decrypted
  std::optional<int64_t> lease_instance;
  std::optional<Timestamp> lease_expires;
  int64_t wake_seq_seen = 0;

  // A lease nobody may take: held and not yet expired at `now`.
  bool live_lease(Timestamp now) const {
    return lease_instance && lease_expires && *lease_expires > now;
  }
};

// Loads resolution `public_id` (any case) with its task's id and title; nullopt when absent.
// With `lock`, the row is locked for the transaction (FOR UPDATE on Postgres; SQLite's writer
// is serialised already). With `columns`, resolver_inputs and base_configurations are
// decrypted.
Result<std::optional<ResolutionRow>> load_resolution(sql::Connection& conn, sql::Dialect dialect,
                                                     const std::string& public_id, bool lock,
                                                     const Columns* columns);

// The resolution of task row `task_row_id`, as load_resolution.
Result<std::optional<ResolutionRow>> load_task_resolution(sql::Connection& conn,
                                                          sql::Dialect dialect, int64_t task_row_id,
                                                          bool lock, const Columns* columns);

// Every step of resolution row `row_id`, ordered by name, decrypted.
Result<std::vector<StepRecord>> load_steps(sql::Connection& conn, const Columns& columns,
                                           int64_t row_id, const std::string& public_id);

// Inserts `resolution` (an empty id gets a new one) for task row `task_row_id` with its steps,
// created = now, no lease, and its due_at. Returns the public id. conflict: the id is taken or
// the task already has a resolution.
Result<std::string> insert_resolution(sql::Connection& conn, const Columns& columns,
                                      int64_t task_row_id, const ResolutionRecord& resolution,
                                      Timestamp now);

// Upserts `steps` by name (with `replace`, the resolution's steps become exactly `steps`) and
// erases `erase` (ignored with `replace`).
Result<void> write_steps(sql::Connection& conn, const Columns& columns, int64_t row_id,
                         const std::string& public_id, const std::vector<StepRecord>& steps,
                         const std::vector<std::string>& erase, bool replace);

// How a write treats the lease columns.
enum class LeaseWrite {
  keep,     // operators' edit while no lease is held
  revoke,   // operators' edit that fences the holder out: generation + 1, lease cleared
  extend,   // checkpoint: expires = now + ttl
  release,  // release: lease cleared, wake_seq_seen = the lease's wake_seq
};

struct WriteContext {
  Timestamp now{};
  std::chrono::seconds ttl{60};
  LeaseWrite lease = LeaseWrite::keep;
  const Lease* holder = nullptr;  // extend / release: the caller's lease (fencing)
};

// Applies `change` to the locked `row`: the resolution's columns (next_retry earlier-only
// under a lease) and due_at, its steps, its task (state, steps_done, result, last_activity),
// the comment, and the parent wake-up. Under a lease the UPDATE is fenced on the generation and
// the holder: zero rows changed is lease_lost and the caller rolls back.
// Ignores change.require_state and change.revoke_lease (the caller decided `ctx.lease`).
Result<void> write_resolution_change(sql::Connection& conn, sql::Dialect dialect,
                                     const Columns& columns, const ResolutionRow& row,
                                     const ResolutionChange& change, const WriteContext& ctx);

// What the writes that follow a resolution's UPDATE need to know of its row.
struct WrittenRow {
  int64_t row_id = 0;
  int64_t task_row_id = 0;
  std::string public_id;
  std::string task_public_id;  // may be empty when the change seals nothing of the task
};

// The writes of `change` below the resolution row: its steps, its task (state, steps_done,
// result, last_activity…), the comment and the parent wake-up.
Result<void> write_dependents(sql::Connection& conn, sql::Dialect dialect, const Columns& columns,
                              const WrittenRow& row, const ResolutionChange& change,
                              Timestamp now);

// A lease holder's checkpoint without reading the row first (require_state and revoke_lease
// are ignored under a lease): the fence is the UPDATE of the resolution's changed columns, or a
// read under lock when none changed, conditional on the generation and the holder (no row:
// lease_lost, nothing written); then write_dependents(). The lease is left to the heartbeat
// (Store::heartbeat renews every lease of the instance). Postgres writes a plain checkpoint
// (steps and plain task columns) in one statement.
Result<void> write_checkpoint(sql::Connection& conn, sql::Dialect dialect, const Columns& columns,
                              const Lease& lease, const ResolutionChange& change, Timestamp now);

}  // namespace utask::persistence
