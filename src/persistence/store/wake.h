#pragma once
// Waking a parent inside the child's transaction (docs/storage.md §4.3): "a child's end
// durably wakes its parent". Used by checkpoint/release (ResolutionChange::wake_parent) and
// by update_task (TaskChange::wake_parent).

#include <string>

#include "model/error.h"
#include "persistence/records.h"
#include "persistence/sql/database.h"
#include "persistence/store/resolution_rows.h"

namespace utask::persistence {

// Locks the resolution row of task `parent_task_id` (FOR UPDATE on Postgres; SQLite's writer
// is already serialised), then sets wake_seq + 1 and, if the parent holds no lease (live or
// expired) and is WAITING, ERROR or TO_AUTORUN_DELAYED, due_at = now.
//
// With `whole_batch`, the wake happens only when every task of the batch of `child_task_id`
// (the child that ends) is DONE, CANCELLED or WONTFIX as seen inside this transaction, so the
// caller writes the child's end first; a child in no batch counts as a batch of one.
// A parent task that does not exist or has no resolution is not an error: nothing to wake.
// REQUIRES: inside a write transaction on `conn`.
Result<void> wake_parent_in_tx(sql::Connection& conn, sql::Dialect dialect,
                               const std::string& parent_task_id, bool whole_batch, Timestamp now,
                               const std::string& child_task_id);

// The wake-up itself, on a row already locked by the caller: wake_seq + 1 and, when the row
// is not leased, due_at as a woken row (due_at.h). A leased row keeps due_at = lease_expires:
// its release sees wake_seq moved past the lease's and makes it claimable at once.
Result<void> wake_locked_resolution(sql::Connection& conn, const ResolutionRow& row, Timestamp now);

}  // namespace utask::persistence
