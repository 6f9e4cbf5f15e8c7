#include "persistence/store/sql_store.h"

#include <chrono>
#include <utility>

namespace utask::persistence {

SqlStore::SqlStore(std::unique_ptr<sql::Database> db, StoreOptions options)
    : db_(std::move(db)), options_(std::move(options)), columns_(options_.key_ring) {}

// The options' clock (tests: a fake one; Postgres: the process clock corrected by the
// database's offset, set by open_store), else the system clock. Microseconds: the precision
// both backends keep.
Timestamp SqlStore::now() const {
  if (options_.clock) return options_.clock();
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

}  // namespace utask::persistence
