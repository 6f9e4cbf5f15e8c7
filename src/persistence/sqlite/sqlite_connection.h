#pragma once
// One sqlite3 handle with its prepared-statement cache, as an sql::Connection. Internal to
// sqlite/: only sqlite_database.cc uses it.
//
// Thread safety: none; the database hands a connection to one transaction at a time.

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "persistence/sql/database.h"

struct sqlite3;
struct sqlite3_stmt;

namespace utask::persistence::sql {

class SqliteConnection final : public Connection {
 public:
  // Opens `path` (created if absent) with WAL, the busy timeout, foreign keys and
  // synchronous=NORMAL; `read_only` sets query_only so a reader cannot write by mistake.
  // Errors: transient (cannot open), internal (a pragma failed).
  static Result<std::unique_ptr<SqliteConnection>> open(const std::string& path, int busy_ms,
                                                        bool read_only);
  ~SqliteConnection() override;

  Result<Rows> query(std::string_view sql, const Params& params) override;
  Result<int64_t> execute(std::string_view sql, const Params& params) override;
  Result<void> execute_script(std::string_view sql) override;

  // BEGIN / COMMIT / ROLLBACK without going through the cache.
  Result<void> run(const char* statement);

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  // The cached statement for `sql`, prepared on first use.
  Result<sqlite3_stmt*> prepare(std::string_view sql);
  Result<void> bind(sqlite3_stmt* stmt, std::string_view sql, const Params& params);
  // Steps `stmt` to completion; collects rows into `rows` when non-null.
  Result<void> step_all(sqlite3_stmt* stmt, std::string_view sql, Rows* rows);
  Error error(int rc, std::string_view sql) const;

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace utask::persistence::sql
