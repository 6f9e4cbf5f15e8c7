#pragma once
// The schema, as numbered migrations compiled into the binary, one list per dialect with the
// same numbers and names (docs/storage.md §2 and §6). Migration N's SQL never changes once
// released: a checksum mismatch is refused at open.

#include <string>
#include <vector>

#include "model/error.h"
#include "persistence/sql/database.h"

namespace utask::persistence {

enum class MigrationMode;  // store.h

namespace schema {

struct Migration {
  int version = 0;     // 1, 2, 3…
  std::string name;    // e.g. "initial"
  std::string sql;     // statements for the dialect
};

const std::vector<Migration>& migrations(sql::Dialect dialect);

// SHA-256 of the migration's SQL, hex.
std::string checksum(const Migration& migration);

// Brings the database to the binary's version (apply) or checks it is there (check_only).
// Returns the version found before applying. Errors: invalid_config ("database schema version
// N is newer than this binary (M)", a checksum mismatch naming the migration, a pending
// migration under check_only), transient, internal (a migration failed; rolled back).
Result<int> migrate(sql::Database& db, MigrationMode mode);

}  // namespace schema
}  // namespace utask::persistence
