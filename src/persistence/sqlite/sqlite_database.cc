#include "persistence/sqlite/sqlite_database.h"

#include <condition_variable>
#include <mutex>
#include <vector>

#include "persistence/sqlite/sqlite_connection.h"

namespace utask::persistence::sql {

namespace {

// Runs `body` between `begin` and COMMIT on `conn`; ROLLBACK when body fails or throws.
Result<void> run_transaction(SqliteConnection& conn, const char* begin,
                             const std::function<Result<void>(Connection&)>& body) {
  if (auto r = conn.run(begin); !r) return r;
  Result<void> result;
  try {
    result = body(conn);
  } catch (...) {
    (void)conn.run("ROLLBACK");
    throw;
  }
  if (result) result = conn.run("COMMIT");
  // After a failed COMMIT the transaction may still be open (SQLITE_BUSY): end it.
  if (!result) (void)conn.run("ROLLBACK");
  return result;
}

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers)
      : writer_(std::move(writer)), readers_(std::move(readers)) {
    for (auto& r : readers_) free_.push_back(r.get());
  }

  Dialect dialect() const override { return Dialect::sqlite; }

  Result<void> transact(TxKind kind,
                        const std::function<Result<void>(Connection&)>& body) override {
    // ":memory:" has no readers: one database lives in one connection.
    if (kind == TxKind::write || readers_.empty()) return exclusive(body);
    SqliteConnection* reader = acquire_reader();
    struct Giveback {
      SqliteDatabase* db;
      SqliteConnection* conn;
      ~Giveback() { db->release_reader(conn); }
    } giveback{this, reader};
    return run_transaction(*reader, "BEGIN", body);
  }

  Result<void> exclusive(const std::function<Result<void>(Connection&)>& body) override {
    std::lock_guard lock(writer_mu_);
    return run_transaction(*writer_, "BEGIN IMMEDIATE", body);
  }

 private:
  SqliteConnection* acquire_reader() {
    std::unique_lock lock(readers_mu_);
    readers_cv_.wait(lock, [&] { return !free_.empty(); });
    SqliteConnection* conn = free_.back();
    free_.pop_back();
    return conn;
  }
  void release_reader(SqliteConnection* conn) {
    {
      std::lock_guard lock(readers_mu_);
      free_.push_back(conn);
    }
    readers_cv_.notify_one();
  }

  // The one connection that writes; writer_mu_ serialises its transactions within the process,
  // BEGIN IMMEDIATE and the busy timeout across processes.
  std::mutex writer_mu_;
  std::unique_ptr<SqliteConnection> writer_;

  // Constant after construction.
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  // Guarded by readers_mu_: the readers not in use.
  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<SqliteConnection*> free_;
};

}  // namespace

Result<std::unique_ptr<Database>> open_sqlite(const SqliteOptions& options) {
  int busy_ms = static_cast<int>(options.busy_timeout.count());
  auto writer = SqliteConnection::open(options.path, busy_ms, /*read_only=*/false);
  if (!writer) return writer.error();
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  bool in_memory = options.path.empty() || options.path == ":memory:" ||
                   options.path.find("mode=memory") != std::string::npos;
  if (!in_memory) {
    for (size_t i = 0; i < options.readers; ++i) {
      auto reader = SqliteConnection::open(options.path, busy_ms, /*read_only=*/true);
      if (!reader) return reader.error();
      readers.push_back(std::move(*reader));
    }
  }
  return std::unique_ptr<Database>(new SqliteDatabase(std::move(*writer), std::move(readers)));
}

}  // namespace utask::persistence::sql
