#include "persistence/schema/migrations.h"

#include <sodium.h>

#include <chrono>
#include <map>
#include <optional>

#include "persistence/crypto/cipher.h"
#include "persistence/schema/dialect_migrations.h"
#include "persistence/store.h"

namespace utask::persistence::schema {

namespace {

// The same text in both dialects; created by migrate() itself, outside the numbered list.
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " checksum TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

Result<bool> has_migrations_table(sql::Connection& c, sql::Dialect dialect) {
  const char* q = dialect == sql::Dialect::sqlite
                      ? "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1"
                      : "SELECT 1 FROM information_schema.tables"
                        " WHERE table_schema = current_schema() AND table_name = $1";
  auto rows = c.query(q, {std::string("schema_migrations")});
  if (!rows) return rows.error();
  return !rows->empty();
}

struct Applied {
  std::string name;
  std::string checksum;
};

// The rows of schema_migrations, by version (none when the table is absent).
Result<std::map<int, Applied>> read_applied(sql::Connection& c, sql::Dialect dialect) {
  std::map<int, Applied> applied;
  auto exists = has_migrations_table(c, dialect);
  if (!exists) return exists.error();
  if (!*exists) return applied;
  auto rows = c.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  if (!rows) return rows.error();
  for (const auto& row : *rows)
    applied[static_cast<int>(row.integer(0))] = Applied{row.text(1), row.text(2)};
  return applied;
}

// Refuses a database this binary must not write: a newer schema, or a released migration whose
// text differs from ours.
Result<void> check_known(const std::map<int, Applied>& applied,
                         const std::vector<Migration>& list) {
  const int latest = static_cast<int>(list.size());
  const int current = applied.empty() ? 0 : applied.rbegin()->first;
  if (current > latest)
    return Error::invalid_config("database schema version " + std::to_string(current) +
                                 " is newer than this binary (" + std::to_string(latest) + ")");
  for (const auto& [version, row] : applied) {
    if (version < 1) continue;
    const Migration& m = list[version - 1];
    if (row.checksum != checksum(m))
      return Error::invalid_config("schema migration " + std::to_string(version) + " (" +
                                   m.name + ") differs from this binary's: checksum " +
                                   row.checksum + " in the database, " + checksum(m) +
                                   " expected");
  }
  return {};
}

int64_t now_micros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

const std::vector<Migration>& migrations(sql::Dialect dialect) {
  return dialect == sql::Dialect::sqlite ? sqlite_migrations() : postgres_migrations();
}

std::string checksum(const Migration& migration) {
  (void)init_sodium();
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(migration.sql.data()),
                     migration.sql.size());
  char hex[2 * crypto_hash_sha256_BYTES + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

Result<int> migrate(sql::Database& db, MigrationMode mode) {
  const auto& list = migrations(db.dialect());
  const int latest = static_cast<int>(list.size());
  std::optional<int> found;  // the version before this call applied anything
  // One migration per exclusive() call: each commits with its schema_migrations row, and the
  // state is read again under the lock, so instances starting together apply each one once.
  for (;;) {
    bool done = false;
    auto r = db.exclusive([&](sql::Connection& c) -> Result<void> {
      if (mode == MigrationMode::apply) {
        if (auto created = c.execute_script(kCreateMigrationsTable); !created) return created;
      }
      auto applied = read_applied(c, db.dialect());
      if (!applied) return applied.error();
      if (auto known = check_known(*applied, list); !known) return known;
      const int current = applied->empty() ? 0 : applied->rbegin()->first;
      if (!found) found = current;
      if (current == latest) {
        done = true;
        return {};
      }
      if (mode == MigrationMode::check_only)
        return Error::invalid_config("database schema version " + std::to_string(current) +
                                     " is older than this binary (" + std::to_string(latest) +
                                     "): run `utask migrate`");
      const Migration& next = list[current];
      if (auto applied_ok = c.execute_script(next.sql); !applied_ok)
        return Error::internal("schema migration " + std::to_string(next.version) + " (" +
                               next.name + ") failed, rolled back: " +
                               applied_ok.error().message);
      auto row = c.execute(
          "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
          " VALUES ($1, $2, $3, $4)",
          {int64_t{next.version}, next.name, checksum(next), now_micros()});
      if (!row) return row.error();
      return {};
    });
    if (!r) return r.error();
    if (done) return *found;
  }
}

}  // namespace utask::persistence::schema
