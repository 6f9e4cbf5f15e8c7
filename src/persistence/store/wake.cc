#include "persistence/store/wake.h"

#include "persistence/store/due_at.h"
#include "persistence/store/resolution_rows.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

constexpr const char* kUnfinished = "state NOT IN ('DONE', 'CANCELLED', 'WONTFIX')";

// True when every task of the child's batch has ended, as this transaction sees it (a child
// in no batch: its batch_id is NULL, which equals nothing, so the count is 0).
Result<bool> batch_finished(sql::Connection& conn, const std::string& child_task_id) {
  auto rows = conn.query(std::string("SELECT COUNT(*) FROM task WHERE batch_id = "
                                     "(SELECT batch_id FROM task WHERE public_id = $1) AND ") +
                             kUnfinished,
                         {lower_id(child_task_id)});
  if (!rows) return rows.error();
  return guarded<bool>("counting a batch",
                       [&]() -> Result<bool> { return rows->front().integer(0) == 0; });
}

}  // namespace

Result<void> wake_parent_in_tx(sql::Connection& conn, sql::Dialect dialect,
                               const std::string& parent_task_id, bool whole_batch, Timestamp now,
                               const std::string& child_task_id) {
  auto parent = conn.query("SELECT id FROM task WHERE public_id = $1", {lower_id(parent_task_id)});
  if (!parent) return parent.error();
  if (parent->empty()) return {};
  auto parent_row = guarded<int64_t>(
      "reading a task id", [&]() -> Result<int64_t> { return parent->front().integer(0); });
  if (!parent_row) return parent_row.error();

  // Lock first: two children of one batch ending together are serialised here, so the later
  // one sees the other's end in the count below.
  auto res = load_task_resolution(conn, dialect, *parent_row, /*lock=*/true, nullptr);
  if (!res) return res.error();
  if (!*res) return {};
  const ResolutionRow& row = **res;

  if (whole_batch) {
    auto finished = batch_finished(conn, child_task_id);
    if (!finished) return finished.error();
    if (!*finished) return {};
  }

  return wake_locked_resolution(conn, row, now);
}

Result<void> wake_locked_resolution(sql::Connection& conn, const ResolutionRow& row,
                                    Timestamp now) {
  std::optional<Timestamp> due_at = row.lease_expires;
  if (!row.lease_instance) {
    due_at = compute_due_at({.state = row.record.state,
                             .leased = false,
                             .lease_expires = std::nullopt,
                             .created = row.record.created,
                             .next_retry = row.record.next_retry,
                             .last_start = row.record.last_start,
                             .woken = true,
                             .now = now});
  }
  auto woke =
      conn.execute("UPDATE resolution SET wake_seq = wake_seq + 1, due_at = $1 WHERE id = $2",
                   {time_value(due_at), row.row_id});
  if (!woke) return woke.error();
  return {};
}

}  // namespace utask::persistence
