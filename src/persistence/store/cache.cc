// SqlStore: the cache action's key/value store (migration 4, table `cache`, actions.md §16).
// Shared by every instance on the database; values are JSON text in clear by design.

#include "persistence/store/columns.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

Result<void> SqlStore::cache_put(const std::string& key, const CacheRow& row) {
  return db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto written = conn.execute(
        "INSERT INTO cache (key, value, expires_at) VALUES ($1, $2, $3) ON CONFLICT (key) "
        "DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
        {key, row.value_json, time_value(row.expires_at)});
    if (!written) return written.error();
    return {};
  });
}

Result<std::optional<CacheRow>> SqlStore::cache_get(const std::string& key) {
  std::optional<CacheRow> out;
  auto done = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    auto rows = conn.query("SELECT value, expires_at FROM cache WHERE key = $1", {key});
    if (!rows) return rows.error();
    if (rows->empty()) return {};
    auto read = guarded<bool>("reading cache entry " + key, [&]() -> Result<bool> {
      const sql::Row& r = rows->front();
      out = CacheRow{r.text(0), optional_time(r, 1)};
      return true;
    });
    if (!read) return read.error();
    return {};
  });
  if (!done) return done.error();
  return out;
}

Result<void> SqlStore::cache_erase(const std::string& key) {
  return db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto gone = conn.execute("DELETE FROM cache WHERE key = $1", {key});
    if (!gone) return gone.error();
    return {};
  });
}

Result<int64_t> SqlStore::cache_purge_expired(Timestamp now) {
  int64_t purged = 0;
  auto done = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) -> Result<void> {
    auto gone = conn.execute(
        "DELETE FROM cache WHERE expires_at IS NOT NULL AND expires_at < $1", {to_micros(now)});
    if (!gone) return gone.error();
    purged = *gone;
    return {};
  });
  if (!done) return done.error();
  return purged;
}

}  // namespace utask::persistence
