#pragma once
// Test-only: the plan the database chooses for a task listing, so the shared suite can prove
// that every filter is served by an index (docs/storage.md §3) on both backends.

#include <string>
#include <vector>

#include "model/error.h"
#include "persistence/store.h"

namespace utask::persistence {

// Refreshes the planner's statistics (ANALYZE), then returns the plan of the query
// list_tasks(filter) runs: SQLite's EXPLAIN QUERY PLAN details or Postgres's EXPLAIN lines,
// one string per line; empty when the filter matches nothing without a query.
// REQUIRES: `store` was made by open_store (an SQL store); otherwise internal.
Result<std::vector<std::string>> explain_list_tasks(Store& store, const TaskFilter& filter);

}  // namespace utask::persistence
