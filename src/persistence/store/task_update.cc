// Task writes after creation: update_task (PUT /task, wontfix, the engine's task-only writes)
// and delete_task. Both check their preconditions on the row locked inside the transaction
// (changes.h: "check, then conditional write"), so a concurrent writer cannot slip between.

#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"
#include "persistence/store/wake.h"

namespace utask::persistence {

namespace {

// The task row, locked for the rest of the transaction, with what preconditions need.
struct LockedTask {
  int64_t row = 0;
  std::string state;
  bool in_batch = false;
  std::optional<std::string> parent_id;
  std::optional<std::string> resolution_id;
  std::optional<std::string> resolution_state;
};

Result<LockedTask> lock_task(sql::Connection& conn, sql::Dialect d, const std::string& task_id) {
  if (!looks_like_uuid(task_id)) return Error::not_found("task " + task_id + " not found");
  // Postgres: FOR UPDATE OF t (the outer-joined rows cannot be locked). SQLite: the writer
  // connection is already exclusive (BEGIN IMMEDIATE).
  auto rows = conn.query(
      "SELECT t.id, t.state, t.batch_id, pt.public_id, r.public_id, r.state FROM task t "
      "LEFT JOIN task pt ON pt.id = t.parent_task_id "
      "LEFT JOIN resolution r ON r.task_id = t.id WHERE t.public_id = $1" +
          std::string(d == sql::Dialect::postgres ? " FOR UPDATE OF t" : ""),
      {lower_id(task_id)});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::not_found("task " + task_id + " not found");
  const sql::Row& r = rows->front();
  return LockedTask{r.integer(0),         r.text(1),          !r.is_null(2),
                    r.optional_text(3),   r.optional_text(4), r.optional_text(5)};
}

Result<void> apply_task_change(sql::Connection& conn, const Columns& columns,
                               const std::string& id, const LockedTask& task,
                               const TaskChange& change, Timestamp now) {
  std::string set;
  sql::Params params{task.row};
  auto assign = [&](const char* column, sql::Value v) {
    params.push_back(std::move(v));
    set += (set.empty() ? "" : ", ") + std::string(column) + " = $" +
           std::to_string(params.size());
  };
  if (change.title) assign("title", *change.title);
  if (change.state) assign("state", *change.state);
  if (change.input_json) {
    auto blob = columns.seal(*change.input_json, task_input_aad(id));
    if (!blob) return blob.error();
    assign("input", std::move(*blob));
  }
  std::pair<const char*, const std::optional<std::vector<std::string>>*> lists[] = {
      {"watcher_user", &change.watcher_usernames},
      {"watcher_group", &change.watcher_groups},
      {"resolver_user", &change.resolver_usernames},
  };
  const char* list_columns[] = {"watcher_usernames", "watcher_groups", "resolver_usernames"};
  for (size_t i = 0; i < std::size(lists); ++i) {
    const auto& [role, names] = lists[i];
    if (!*names) continue;
    assign(list_columns[i], string_list_json(**names));
    if (auto w = write_principals(conn, task.row, role, **names, true); !w) return w;
  }
  if (change.tags) {
    assign("tags", tags_json(*change.tags));
    if (auto w = write_tags(conn, task.row, *change.tags, true); !w) return w;
  }
  if (change.touch) assign("last_activity", to_micros(now));
  if (!set.empty()) {
    auto up = conn.execute("UPDATE task SET " + set + " WHERE id = $1", params);
    if (!up) return up.error();
  }
  if (change.comment) {
    auto c = insert_comment(conn, columns, task.row, id, *change.comment, now);
    if (!c) return c.error();
  }
  return {};
}

}  // namespace

Result<TaskRecord> SqlStore::update_task(const std::string& task_id, const TaskChange& change) {
  std::optional<TaskRecord> updated;
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    return guarded<void>("update_task", [&]() -> Result<void> {
      auto task = lock_task(conn, dialect(), task_id);
      if (!task) return task.error();
      const std::string id = lower_id(task_id);
      if (!state_passes(task->state, change.require_state)) {
        return state_conflict("task", id, task->state);
      }
      if (change.require_resolution && task->resolution_state &&
          !state_passes(*task->resolution_state, *change.require_resolution)) {
        return state_conflict("resolution", *task->resolution_id, *task->resolution_state);
      }
      const Timestamp t = now();
      if (auto a = apply_task_change(conn, columns_, id, *task, change, t); !a) return a;
      if (change.wake_parent && task->parent_id) {
        auto w = wake_parent_in_tx(conn, dialect(), *task->parent_id, task->in_batch, t, id);
        if (!w) return w;
      }
      auto record = load_task_by_row(conn, columns_, task->row);
      if (!record) return record.error();
      updated = std::move(*record);
      return {};
    });
  });
  if (!tx) return tx.error();
  return std::move(*updated);
}

// The resolution's lease is revoked before the cascade removes the row: a holder's next
// checkpoint then finds no row with its generation and stops (lease_lost).
Result<void> SqlStore::delete_task(const std::string& task_id, const StateCondition& require) {
  return db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    return guarded<void>("delete_task", [&]() -> Result<void> {
      auto task = lock_task(conn, dialect(), task_id);
      if (!task) return task.error();
      if (!state_passes(task->state, require)) {
        return state_conflict("task", lower_id(task_id), task->state);
      }
      auto revoke = conn.execute(
          "UPDATE resolution SET lease_generation = lease_generation + 1, "
          "lease_instance = NULL, lease_expires = NULL, due_at = NULL WHERE task_id = $1",
          {task->row});
      if (!revoke) return revoke.error();
      auto del = conn.execute("DELETE FROM task WHERE id = $1", {task->row});
      if (!del) return del.error();
      return {};
    });
  });
}

}  // namespace utask::persistence
