// stored_schema_version(): what `utask migrate` reports before migrating. It reads
// schema_migrations without creating, checking or migrating anything.

#include "persistence/postgres/postgres_database.h"
#include "persistence/sqlite/sqlite_database.h"
#include "persistence/store.h"

namespace utask::persistence {
namespace {

constexpr std::string_view kSqlite = "sqlite:";

bool starts_with(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

Result<std::unique_ptr<sql::Database>> open_database(const StoreOptions& options) {
  const auto& url = options.url;
  if (starts_with(url, kSqlite)) {
    sql::SqliteOptions sqlite;
    sqlite.path = url.substr(kSqlite.size());
    sqlite.readers = 1;
    return sql::open_sqlite(sqlite);
  }
  if (starts_with(url, "postgres://") || starts_with(url, "postgresql://")) {
    sql::PostgresOptions postgres;
    postgres.url = url;
    postgres.pool_size = 1;
    return sql::open_postgres(postgres);
  }
  const auto colon = url.find(':');
  return Error::invalid_config("unknown store scheme \"" +
                               (colon == std::string::npos ? url : url.substr(0, colon)) +
                               "\": use sqlite:PATH or postgres://...");
}

}  // namespace

Result<int> stored_schema_version(const StoreOptions& options) {
  auto db = open_database(options);
  if (!db) return db.error();
  const bool sqlite = (*db)->dialect() == sql::Dialect::sqlite;
  int version = 0;
  auto read = (*db)->transact(sql::TxKind::read, [&](sql::Connection& c) -> Result<void> {
    auto exists = c.query(sqlite ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                   "name = 'schema_migrations'"
                                 : "SELECT count(*) FROM information_schema.tables WHERE "
                                   "table_schema = current_schema() AND "
                                   "table_name = 'schema_migrations'");
    if (!exists) return exists.error();
    if (exists->empty() || exists->front().integer(0) == 0) return {};
    auto max = c.query("SELECT max(version) FROM schema_migrations");
    if (!max) return max.error();
    if (!max->empty()) version = static_cast<int>(max->front().optional_integer(0).value_or(0));
    return {};
  });
  if (!read) return read.error();
  return version;
}

}  // namespace utask::persistence
