#pragma once
// The SQL of a task listing (list_tasks), built apart from its execution so that the test-only
// plan check (explain.h) examines exactly the query list_tasks runs.

#include <string>

#include "model/error.h"
#include "persistence/sql/database.h"
#include "persistence/task_filter.h"

namespace utask::persistence {

struct TaskListingQuery {
  bool matches_nothing = false;  // an empty identity: no query to run
  std::string sql;               // selects kTaskColumns (task_rows.h), ordered, limited
  sql::Params params;
};

// Resolves the page key and the batch (not_found when either is unknown) and builds the query.
// REQUIRES: inside a transaction on `conn`.
// `driver_limit`: StoreOptions::listing_driver_limit.
Result<TaskListingQuery> build_task_listing(sql::Connection& conn, sql::Dialect dialect,
                                            const TaskFilter& filter, size_t driver_limit);

}  // namespace utask::persistence
