#pragma once
// PostgreSQL behind sql::Database, through libpqxx 6.4: a pool of connections opened lazily up
// to pool_size; a call waits for a free connection (bounded by acquire_timeout → transient).
// A connection that broke is dropped and replaced on the next call.

#include <chrono>
#include <memory>
#include <string>

#include "model/error.h"
#include "persistence/sql/database.h"

namespace utask::persistence::sql {

struct PostgresOptions {
  std::string url;  // libpq URI: postgres://user:password@host:port/db?sslmode=...
  size_t pool_size = 8;
  std::chrono::milliseconds acquire_timeout{10000};
  std::chrono::milliseconds statement_timeout{30000};
  std::chrono::milliseconds lock_timeout{10000};
};

// Opens one connection to check the URL. Errors: invalid_config (malformed URL), transient
// (server unreachable, authentication failed — the message never repeats the password).
Result<std::unique_ptr<Database>> open_postgres(const PostgresOptions& options);

}  // namespace utask::persistence::sql
