#pragma once
// What tasks.cc, task_listing.cc and comments.cc share: the SELECT that reads a task with
// its joined names (template, batch, parent, resolution), the row → TaskRecord conversion,
// the lookup of a task's row id, and the guard that turns a misread column into an error.

#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "model/error.h"
#include "persistence/changes.h"
#include "persistence/records.h"
#include "persistence/sql/database.h"
#include "persistence/store/columns.h"

namespace utask::persistence {

// `SELECT <kTaskColumns> FROM <kTaskFrom>`: the task is aliased `t`; column 0 is its row id.
// Append kTaskDataColumns to the select list for input and result (read_task_row's with_data).
extern const char* const kTaskColumns;
extern const char* const kTaskDataColumns;
extern const char* const kTaskFrom;

// The task of a row selected as above. With `columns`, input and result (the two columns after
// kTaskColumns) are decrypted; without, they stay nullopt (listings decrypt nothing).
Result<TaskRecord> read_task_row(const sql::Row& row, const Columns* columns);
// The task of row `task_row` with its (decrypted) input and result; not_found when absent.
// REQUIRES: inside a transaction on `conn`.
Result<TaskRecord> load_task_by_row(sql::Connection& conn, const Columns& columns, int64_t task_row);

// A public id as stored: lower-case (callers may pass any case).
std::string lower_id(std::string id);

// The row id of task `public_id`; not_found ("task <id> not found") when absent or malformed.
Result<int64_t> task_row_id(sql::Connection& conn, const std::string& public_id);

// The filter rows of a task (docs/storage.md §2): replaces the rows of `role` in
// task_principal with `names` (deduplicated), and all task_tag rows with `tags`.
// Roles: watcher_user, watcher_group, resolver_user, resolver_group.
Result<void> write_principals(sql::Connection& conn, int64_t task_row, const char* role,
                              const std::vector<std::string>& names, bool replace);
Result<void> write_tags(sql::Connection& conn, int64_t task_row, const Tags& tags, bool replace);
// A new task's rows of every role in one INSERT (creation writes no other rows first).
Result<void> insert_principals(sql::Connection& conn, int64_t task_row, const TaskRecord& task);

// Inserts a comment on task row `task_row` (public id `task_id`), content encrypted, created =
// updated = now. REQUIRES: inside a write transaction.
Result<Comment> insert_comment(sql::Connection& conn, const Columns& columns, int64_t task_row,
                               const std::string& task_id, const NewComment& comment,
                               Timestamp now);

// Runs `body` and turns the logic_error a misread column throws (sql/value.h) into internal.
template <class T, class F>
Result<T> guarded(std::string_view what, F&& body) {
  try {
    return std::forward<F>(body)();
  } catch (const std::exception& e) {
    return Error::internal(std::string(what) + ": " + e.what());
  }
}

// The error of a failed StateCondition (changes.h): "<table> <id> is in state <STATE>".
bool state_passes(const std::string& state, const StateCondition& cond);
Error state_conflict(const std::string& table, const std::string& id, const std::string& state);

}  // namespace utask::persistence
