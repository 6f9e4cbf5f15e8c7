#pragma once
// SQLite behind sql::Database: the embedded default. One writer connection (behind a mutex;
// BEGIN IMMEDIATE) and a small pool of readers, all in WAL mode with a busy timeout, so several
// threads and several processes can share one file. foreign_keys=ON, synchronous=NORMAL (WAL
// keeps committed transactions across a process crash; a power loss may drop the last ones).

#include <chrono>
#include <memory>
#include <string>

#include "model/error.h"
#include "persistence/sql/database.h"

namespace utask::persistence::sql {

struct SqliteOptions {
  std::string path;  // a file (created with its directory's permissions) or ":memory:"
  size_t readers = 4;
  std::chrono::milliseconds busy_timeout{10000};
};

// Errors: transient (cannot open the file), internal.
Result<std::unique_ptr<Database>> open_sqlite(const SqliteOptions& options);

}  // namespace utask::persistence::sql
