#include "persistence/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <charconv>
#include <string>

namespace utask::persistence::sql {

namespace {

constexpr size_t kMaxCachedStatements = 512;

// The start of a statement, to name it in errors (parameters are never quoted).
std::string excerpt(std::string_view sql) {
  std::string out;
  for (char c : sql) {
    if (out.size() >= 80) return out + "…";
    if (c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  return out;
}

// "$N" → N; 0 when the name has another form.
size_t parameter_number(const char* name) {
  if (name == nullptr || name[0] != '$') return 0;
  std::string_view digits(name + 1);
  size_t n = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return 0;
  return n;
}

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                 int busy_ms, bool read_only) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  if (path.rfind("file:", 0) == 0) flags |= SQLITE_OPEN_URI;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Error{ErrorCode::transient, "sqlite: cannot open " + path + ": " + msg, {}};
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_ms);
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  // journal_mode=WAL needs the write lock once per file; the busy timeout covers a concurrent
  // opener. In-memory databases stay in their "memory" journal mode.
  std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";
  // The one writer keeps 16 MiB of pages (SQLite's default: 2 MiB): the rows checkpoints
  // rewrite stay in memory instead of being read back from the file at each transaction.
  if (!read_only) pragmas = "PRAGMA journal_mode=WAL; PRAGMA cache_size=-16384; " + pragmas;
  if (read_only) pragmas += " PRAGMA query_only=ON;";
  if (auto r = conn->execute_script(pragmas); !r) return r.error();
  return conn;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Error SqliteConnection::error(int rc, std::string_view sql) const {
  std::string msg = "sqlite: " + std::string(sqlite3_errmsg(db_));
  if (!sql.empty()) msg += " (in: " + excerpt(sql) + ")";
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return {ErrorCode::transient, msg, {}};
    case SQLITE_CONSTRAINT:
      if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ||
          rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        return {ErrorCode::conflict, msg, {}};
      return {ErrorCode::internal, msg, {}};
    default:
      return {ErrorCode::internal, msg, {}};
  }
}

Result<sqlite3_stmt*> SqliteConnection::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = statements_.find(key); it != statements_.end()) return it->second;
  // The store's statements are a fixed set; a statement built per call (an IN list of
  // varying length) must not grow the cache without bound.
  if (statements_.size() >= kMaxCachedStatements) {
    for (auto& [text, stmt] : statements_) sqlite3_finalize(stmt);
    statements_.clear();
  }
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
  if (rc != SQLITE_OK) return error(rc, sql);
  if (stmt == nullptr) return Error::internal("sqlite: empty statement");
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';') {
      sqlite3_finalize(stmt);
      return Error::internal("sqlite: several statements in one query (in: " + excerpt(sql) +
                             ")");
    }
  }
  statements_.emplace(std::move(key), stmt);
  return stmt;
}

Result<void> SqliteConnection::bind(sqlite3_stmt* stmt, std::string_view sql,
                                    const Params& params) {
  static const char kEmpty[] = "";
  int count = sqlite3_bind_parameter_count(stmt);
  for (int i = 1; i <= count; ++i) {
    size_t n = parameter_number(sqlite3_bind_parameter_name(stmt, i));
    if (n == 0 || n > params.size())
      return Error::internal("sqlite: parameter " + std::to_string(i) + " of " + excerpt(sql) +
                             " is not given (write $1..$" + std::to_string(params.size()) + ")");
    const Value& v = params[n - 1];
    int rc = SQLITE_OK;
    if (std::holds_alternative<std::monostate>(v)) {
      rc = sqlite3_bind_null(stmt, i);
    } else if (const auto* k = std::get_if<int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, i, *k);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      rc = sqlite3_bind_text64(stmt, i, s->empty() ? kEmpty : s->data(), s->size(),
                               SQLITE_STATIC, SQLITE_UTF8);
    } else {
      const auto& b = std::get<Bytes>(v).data;
      // A zero-length blob bound from a pointer would read back as NULL.
      rc = b.empty() ? sqlite3_bind_zeroblob(stmt, i, 0)
                     : sqlite3_bind_blob64(stmt, i, b.data(), b.size(), SQLITE_STATIC);
    }
    if (rc != SQLITE_OK) return error(rc, sql);
  }
  return {};
}

Result<void> SqliteConnection::step_all(sqlite3_stmt* stmt, std::string_view sql, Rows* rows) {
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return {};
    if (rc != SQLITE_ROW) return error(sqlite3_extended_errcode(db_), sql);
    if (rows == nullptr) continue;
    int columns = sqlite3_column_count(stmt);
    std::vector<Value> cells;
    cells.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          cells.emplace_back(std::monostate{});
          break;
        case SQLITE_INTEGER:
          cells.emplace_back(static_cast<int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_BLOB: {
          const void* p = sqlite3_column_blob(stmt, c);
          int size = sqlite3_column_bytes(stmt, c);
          cells.emplace_back(Bytes{p ? std::string(static_cast<const char*>(p), size) : ""});
          break;
        }
        default: {  // TEXT, and FLOAT as its text (the schema has no floating-point column)
          const unsigned char* p = sqlite3_column_text(stmt, c);
          int size = sqlite3_column_bytes(stmt, c);
          cells.emplace_back(p ? std::string(reinterpret_cast<const char*>(p), size) : "");
        }
      }
    }
    rows->emplace_back(std::move(cells));
  }
}

Result<Rows> SqliteConnection::query(std::string_view sql, const Params& params) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  Rows rows;
  Result<void> r = bind(*stmt, sql, params);
  if (r) r = step_all(*stmt, sql, &rows);
  sqlite3_reset(*stmt);
  sqlite3_clear_bindings(*stmt);
  if (!r) return r.error();
  return rows;
}

Result<int64_t> SqliteConnection::execute(std::string_view sql, const Params& params) {
  auto stmt = prepare(sql);
  if (!stmt) return stmt.error();
  Result<void> r = bind(*stmt, sql, params);
  if (r) r = step_all(*stmt, sql, nullptr);
  sqlite3_reset(*stmt);
  sqlite3_clear_bindings(*stmt);
  if (!r) return r.error();
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

Result<void> SqliteConnection::execute_script(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error(sqlite3_extended_errcode(db_), sql);
  return {};
}

Result<void> SqliteConnection::run(const char* statement) {
  int rc = sqlite3_exec(db_, statement, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return error(sqlite3_extended_errcode(db_), statement);
  return {};
}

}  // namespace utask::persistence::sql
