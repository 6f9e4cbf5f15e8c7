// SqlStore: callbacks of the `callback` action (actions.md §14). Token, schema and body are
// encrypted with (callback, <column>, <public id>) as AAD; a callback goes with its task and
// resolution (ON DELETE CASCADE). The call itself (mark_callback_called) locks the row, checks
// and writes in one transaction, and wakes the resolution there, so a call is never lost.

#include "persistence/store/resolution_rows.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"
#include "persistence/store/wake.h"

namespace utask::persistence {

namespace {

Aad callback_aad(const char* column, const std::string& id) { return {"callback", column, id}; }

constexpr const char* kCallbackColumns =
    "c.public_id, t.public_id, r.public_id, c.resolver_username, c.created, c.updated, c.called, "
    "c.secret, c.json_schema, c.body, c.id, t.state, r.public_id";

Error callback_not_found(const std::string& id) {
  return Error::not_found("callback " + id + " not found");
}

struct CallbackRow {
  int64_t row_id = 0;
  std::string task_state;
  CallbackRecord record;
};

Result<CallbackRow> read_callback(const sql::Row& r, const Columns& columns) {
  CallbackRow row;
  auto read = guarded<bool>("reading a callback", [&]() -> Result<bool> {
    CallbackRecord& c = row.record;
    c.id = r.text(0);
    c.task_id = r.text(1);
    c.resolution_id = r.text(2);
    c.resolver_username = r.text(3);
    c.created = from_micros(r.integer(4));
    c.updated = from_micros(r.integer(5));
    c.called = optional_time(r, 6);
    row.row_id = r.integer(10);
    row.task_state = r.text(11);
    return true;
  });
  if (!read) return read.error();
  CallbackRecord& c = row.record;
  auto token = columns.open(r, 7, callback_aad("secret", c.id));
  if (!token) return token.error();
  c.token = std::move(*token);
  auto schema = columns.open(r, 8, callback_aad("json_schema", c.id));
  if (!schema) return schema.error();
  c.schema_json = std::move(*schema);
  auto body = columns.open_optional(r, 9, callback_aad("body", c.id));
  if (!body) return body.error();
  c.body_json = std::move(*body);
  return row;
}

// The callback `id` with its task's state; nullopt when absent. `lock`: FOR UPDATE (Postgres;
// SQLite's writer is serialised already).
Result<std::optional<CallbackRow>> load_callback(sql::Connection& conn, sql::Dialect dialect,
                                                 const Columns& columns, const std::string& id,
                                                 bool lock) {
  if (!looks_like_uuid(id)) return std::optional<CallbackRow>();
  std::string sql = std::string("SELECT ") + kCallbackColumns +
                    " FROM callback c JOIN task t ON t.id = c.task_id "
                    "JOIN resolution r ON r.id = c.resolution_id WHERE c.public_id = $1";
  if (lock && dialect == sql::Dialect::postgres) sql += " FOR UPDATE OF c";
  auto rows = conn.query(sql, {lower_id(id)});
  if (!rows) return rows.error();
  if (rows->empty()) return std::optional<CallbackRow>();
  auto row = read_callback(rows->front(), columns);
  if (!row) return row.error();
  return std::optional<CallbackRow>(std::move(*row));
}

}  // namespace

Result<CallbackRecord> SqlStore::create_callback(const CallbackRecord& callback) {
  const Timestamp t = now();
  CallbackRecord out = callback;
  out.id = callback.id.empty() ? new_public_id() : lower_id(callback.id);
  out.task_id = lower_id(callback.task_id);
  out.resolution_id = lower_id(callback.resolution_id);
  out.created = out.updated = t;
  out.called.reset();
  out.body_json.reset();
  if (!looks_like_uuid(out.id)) return Error::invalid_input("callback id is not a UUID: " + out.id);
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto task = task_row_id(conn, out.task_id);
    if (!task) return task.error();
    auto resolution = load_resolution(conn, dialect(), out.resolution_id, false, nullptr);
    if (!resolution) return resolution.error();
    if (!*resolution) return Error::not_found("resolution " + out.resolution_id + " not found");
    if ((*resolution)->task_row_id != *task) {
      return Error{ErrorCode::conflict,
                   "resolution " + out.resolution_id + " is not the resolution of task " + out.task_id,
                   "callback.resolution_id"};
    }
    auto secret = columns_.seal(out.token, callback_aad("secret", out.id));
    if (!secret) return secret.error();
    auto schema = columns_.seal(out.schema_json, callback_aad("json_schema", out.id));
    if (!schema) return schema.error();
    auto insert = conn.execute(
        "INSERT INTO callback (public_id, task_id, resolution_id, resolver_username, created, "
        "updated, called, secret, json_schema, body) VALUES ($1, $2, $3, $4, $5, $5, NULL, $6, $7, NULL)",
        {out.id, *task, (*resolution)->row_id, out.resolver_username, to_micros(t),
         std::move(*secret), std::move(*schema)});
    if (!insert) return insert.error();
    return {};
  });
  if (!tx) return tx.error();
  return out;
}

Result<CallbackRecord> SqlStore::get_callback(const std::string& callback_id) {
  std::optional<CallbackRecord> found;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto row = load_callback(conn, dialect(), columns_, callback_id, false);
    if (!row) return row.error();
    if (!*row) return callback_not_found(callback_id);
    found = std::move((*row)->record);
    return {};
  });
  if (!tx) return tx.error();
  return std::move(*found);
}

Result<CallbackRecord> SqlStore::mark_callback_called(const std::string& callback_id,
                                                      const std::string& body_json,
                                                      const StateCondition& require_task) {
  const Timestamp t = now();
  std::optional<CallbackRecord> called;
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto row = load_callback(conn, dialect(), columns_, callback_id, true);
    if (!row) return row.error();
    if (!*row) return callback_not_found(callback_id);
    CallbackRow& cb = **row;
    if (cb.record.called) {
      return Error{ErrorCode::conflict, "callback has already been resolved", "callback.called"};
    }
    if (!state_passes(cb.task_state, require_task)) {
      return Error{ErrorCode::conflict, "related task is not in a valid state: " + cb.task_state,
                   "task.state"};
    }
    auto body = columns_.seal(body_json, callback_aad("body", cb.record.id));
    if (!body) return body.error();
    auto update = conn.execute("UPDATE callback SET body = $1, called = $2, updated = $2 WHERE id = $3",
                               {std::move(*body), to_micros(t), cb.row_id});
    if (!update) return update.error();
    auto resolution = load_resolution(conn, dialect(), cb.record.resolution_id, true, nullptr);
    if (!resolution) return resolution.error();
    if (*resolution) {
      auto woken = wake_locked_resolution(conn, **resolution, t);
      if (!woken) return woken.error();
    }
    cb.record.body_json = body_json;
    cb.record.called = t;
    cb.record.updated = t;
    called = std::move(cb.record);
    return {};
  });
  if (!tx) return tx.error();
  return std::move(*called);
}

}  // namespace utask::persistence
