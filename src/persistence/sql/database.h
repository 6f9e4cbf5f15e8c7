#pragma once
// A SQL database as the store sees it: transactions over a connection, parameters bound
// positionally as $1, $2 … in both backends (SQLite binds "$N" by name), and the few places
// where the dialects differ. Implementations: sqlite/sqlite_database.h,
// postgres/postgres_database.h. Nothing outside src/persistence includes this.
//
// Thread safety: Database is safe to use from any thread; a Connection belongs to one
// transaction on one thread and is only valid inside transact()'s callback.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "model/error.h"
#include "persistence/sql/value.h"

namespace utask::persistence::sql {

enum class Dialect { sqlite, postgres };

class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one statement and returns its rows (empty for statements without RETURNING).
  // Errors: conflict (unique or foreign-key violation; message names the constraint),
  // transient (lock/busy timeout, serialisation failure, deadlock, lost connection), internal
  // (syntax, anything else; message quotes the backend's error, never a parameter).
  virtual Result<Rows> query(std::string_view sql, const Params& params = {}) = 0;
  // As query(), returning the number of rows changed (sqlite3_changes / affected_rows).
  virtual Result<int64_t> execute(std::string_view sql, const Params& params = {}) = 0;
  // Several statements without parameters (migrations).
  virtual Result<void> execute_script(std::string_view sql) = 0;
};

enum class TxKind {
  read,   // a consistent snapshot; SQLite: a reader connection; Postgres: READ ONLY
  write,  // SQLite: BEGIN IMMEDIATE on the writer connection; Postgres: READ COMMITTED
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;

  // Runs `body` in one transaction: commits if it returns success, rolls back otherwise (and
  // if it throws, rethrowing). Returns body's error, or the commit's. Nested calls are a bug.
  // Postgres retries the whole body (at most 3 times) on a serialisation failure or deadlock;
  // both backends return transient when a lock is not obtained within their timeout.
  virtual Result<void> transact(TxKind kind,
                                const std::function<Result<void>(Connection&)>& body) = 0;

  // Postgres only: a session-level advisory lock held while `body` runs on its own
  // connection (migrations at start). SQLite runs body under BEGIN IMMEDIATE instead, so the
  // effect — one process at a time — is the same.
  virtual Result<void> exclusive(const std::function<Result<void>(Connection&)>& body) = 0;
};

}  // namespace utask::persistence::sql
