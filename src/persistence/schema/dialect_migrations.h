#pragma once
// The migration lists of each dialect (sqlite_schema.cc, postgres_schema.cc). Internal to
// schema/: callers use migrations(dialect) from migrations.h.

#include <vector>

#include "persistence/schema/migrations.h"

namespace utask::persistence::schema {

const std::vector<Migration>& sqlite_migrations();
const std::vector<Migration>& postgres_migrations();

}  // namespace utask::persistence::schema
