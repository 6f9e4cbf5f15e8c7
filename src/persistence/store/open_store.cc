// open_store(): the URL → a backend, the schema migrated, the SqlStore built.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

#include "persistence/postgres/postgres_database.h"
#include "persistence/schema/migrations.h"
#include "persistence/sqlite/sqlite_database.h"
#include "persistence/store/sql_store.h"

namespace utask::persistence {

namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kSqliteMemory = "sqlite::memory:";

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The scheme of `url` when it looks like one (letters, digits, + - .), for the error message;
// anything else is not repeated, since a malformed URL may carry a password.
std::string printable_scheme(std::string_view url) {
  const size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 32) return {};
  for (char c : url.substr(0, colon)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '-' || c == '.';
    if (!ok) return {};
  }
  return std::string(url.substr(0, colon));
}

// The password of a postgres:// URL (user:password@host), percent-encoded as written.
std::string url_password(std::string_view url) {
  const size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  const std::string_view rest = url.substr(start + 3);
  const size_t at = rest.rfind('@', rest.find('/'));
  if (at == std::string_view::npos) return {};
  const std::string_view userinfo = rest.substr(0, at);
  const size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return {};
  return std::string(userinfo.substr(colon + 1));
}

// Belt and braces over the backend's own care: no error leaving open_store quotes the
// password, whatever a driver put in its message.
Error redact(Error error, const std::string& password) {
  if (password.empty()) return error;
  for (size_t at; (at = error.message.find(password)) != std::string::npos;) {
    error.message.replace(at, password.size(), "***");
  }
  return error;
}

using Micros = std::chrono::microseconds;

Timestamp system_now() {
  return std::chrono::time_point_cast<Micros>(std::chrono::system_clock::now());
}

// The database clock minus ours, read once: the midpoint of the round trip is compared with
// the server's clock_timestamp(), so instances on hosts with drifting clocks agree on leases.
Result<Micros> postgres_clock_offset(sql::Database& db) {
  Micros offset{0};
  auto done = db.transact(sql::TxKind::read, [&](sql::Connection& conn) -> Result<void> {
    const Timestamp before = system_now();
    auto rows =
        conn.query("SELECT CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)");
    const Timestamp after = system_now();
    if (!rows) return rows.error();
    if (rows->empty()) return Error::internal("clock query returned no row");
    try {
      const Timestamp mid = before + (after - before) / 2;
      offset = Micros(rows->front().integer(0)) - mid.time_since_epoch();
    } catch (const std::exception& e) {
      return Error::internal(std::string("reading the database clock: ") + e.what());
    }
    return {};
  });
  if (!done) return done.error();
  return offset;
}

Result<std::unique_ptr<sql::Database>> open_backend(const StoreOptions& options) {
  const std::string& url = options.url;
  if (url == kSqliteMemory) return sql::open_sqlite({.path = ":memory:"});
  if (starts_with(url, "postgres://") || starts_with(url, "postgresql://")) {
    return sql::open_postgres({.url = url, .pool_size = options.pool_size});
  }
  if (starts_with(url, kSqlitePrefix)) {
    const std::string path = url.substr(kSqlitePrefix.size());
    if (path.empty()) {
      return Error::invalid_config("database URL sqlite: names no file (sqlite:PATH)", "database");
    }
    return sql::open_sqlite({.path = path, .readers = options.pool_size});
  }
  const std::string scheme = printable_scheme(url);
  return Error::invalid_config(
      (scheme.empty() ? std::string("database URL has no recognised scheme")
                      : "unsupported database URL scheme \"" + scheme + "\"") +
          " (expected sqlite:PATH, sqlite::memory: or postgres://)",
      "database");
}

}  // namespace

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
  if (!options.key_ring) return Error::invalid_config("the store needs a key ring");
  const std::string password = url_password(options.url);
  auto db = open_backend(options);
  if (!db) return redact(db.error(), password);
  auto migrated = schema::migrate(**db, options.migrations);
  if (!migrated) return redact(migrated.error(), password);

  StoreOptions opts = options;
  if (!opts.clock && (*db)->dialect() == sql::Dialect::postgres) {
    auto offset = postgres_clock_offset(**db);
    if (!offset) return redact(offset.error(), password);
    opts.clock = [offset = *offset] { return system_now() + offset; };
  }
  return std::unique_ptr<Store>(std::make_unique<SqlStore>(std::move(*db), std::move(opts)));
}

int latest_schema_version() {
  return static_cast<int>(schema::migrations(sql::Dialect::sqlite).size());
}

}  // namespace utask::persistence
