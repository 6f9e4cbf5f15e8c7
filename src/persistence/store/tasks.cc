// Tasks: creation (with batch, comments, resolutions and their steps, all or nothing), reads,
// batches and the counts of /unsecured/stats and /metrics. Updates and deletion are in
// task_update.cc, listing in task_listing.cc.

#include <map>

#include "persistence/store/resolution_rows.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

Result<int64_t> template_row_id(sql::Connection& conn, const std::string& name,
                                std::map<std::string, int64_t>& cache) {
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  auto rows = conn.query("SELECT id FROM template WHERE name = $1", {name});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::not_found("template " + name + " not found");
  return cache[name] = rows->front().integer(0);
}

Result<int64_t> batch_row_id(sql::Connection& conn, const std::string& public_id) {
  if (!looks_like_uuid(public_id)) return Error::not_found("batch " + public_id + " not found");
  auto rows = conn.query("SELECT id FROM batch WHERE public_id = $1", {lower_id(public_id)});
  if (!rows) return rows.error();
  if (rows->empty()) return Error::not_found("batch " + public_id + " not found");
  return rows->front().integer(0);
}

Result<TaskRecord> insert_task(sql::Connection& conn, const Columns& columns,
                               const NewTask& given, std::optional<int64_t> batch_row,
                               const std::optional<std::string>& batch_id, Timestamp now,
                               std::map<std::string, int64_t>& templates) {
  TaskRecord t = given.task;
  t.id = t.id.empty() ? new_public_id() : lower_id(t.id);
  t.created = t.last_activity = now;
  t.input_json = t.input_json.value_or("null");
  t.result_json = t.result_json.value_or("null");
  t.resolution_id.reset();
  t.resolver_username.clear();
  t.last_start.reset();
  t.last_stop.reset();
  auto template_row = template_row_id(conn, t.template_name, templates);
  if (!template_row) return template_row.error();
  if (batch_id) {
    t.batch_id = batch_id;
  } else if (t.batch_id) {
    auto row = batch_row_id(conn, *t.batch_id);
    if (!row) return row.error();
    batch_row = *row;
    t.batch_id = lower_id(*t.batch_id);
  }
  sql::Value parent_row = sql::null();
  if (t.parent_task_id) {
    auto row = task_row_id(conn, *t.parent_task_id);
    if (!row) return row.error();
    parent_row = *row;
    t.parent_task_id = lower_id(*t.parent_task_id);
  }
  auto input = columns.seal(*t.input_json, task_input_aad(t.id));
  if (!input) return input.error();
  auto result = columns.seal(*t.result_json, task_result_aad(t.id));
  if (!result) return result.error();
  auto rows = conn.query(
      "INSERT INTO task (public_id, template_id, batch_id, parent_task_id, title, state, "
      "requester_username, requester_groups, watcher_usernames, watcher_groups, "
      "resolver_usernames, resolver_groups, tags, steps_done, steps_total, created, "
      "last_activity, input, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
      "$12, $13, $14, $15, $16, $16, $17, $18) RETURNING id",
      {t.id, *template_row, sql::optional_value(batch_row), parent_row, t.title, t.state,
       t.requester_username, string_list_json(t.requester_groups),
       string_list_json(t.watcher_usernames), string_list_json(t.watcher_groups),
       string_list_json(t.resolver_usernames), string_list_json(t.resolver_groups),
       tags_json(t.tags), int64_t{t.steps_done}, int64_t{t.steps_total}, to_micros(now),
       std::move(*input), std::move(*result)});
  if (!rows) return rows.error();
  const int64_t task_row = rows->front().integer(0);
  if (auto w = insert_principals(conn, task_row, t); !w) return w.error();
  if (auto w = write_tags(conn, task_row, t.tags, false); !w) return w.error();
  if (given.comment) {
    auto c = insert_comment(conn, columns, task_row, t.id, *given.comment, now);
    if (!c) return c.error();
  }
  if (given.resolution) {
    auto rid = insert_resolution(conn, columns, task_row, *given.resolution, now);
    if (!rid) return rid.error();
    t.resolution_id = *rid;
    t.resolver_username = given.resolution->resolver_username;
    t.last_start = given.resolution->last_start;
    t.last_stop = given.resolution->last_stop;
  }
  return t;
}

}  // namespace

Result<std::vector<TaskRecord>> SqlStore::create_tasks(const TaskCreation& creation) {
  std::vector<TaskRecord> out;
  auto tx = db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    out.clear();
    return guarded<void>("create_tasks", [&]() -> Result<void> {
      const Timestamp t = now();
      std::optional<int64_t> batch_row;
      std::optional<std::string> batch_id;
      if (creation.batch) {
        batch_id = creation.batch->id.empty() ? new_public_id() : lower_id(creation.batch->id);
        auto rows = conn.query("INSERT INTO batch (public_id, created) VALUES ($1, $2) "
                               "RETURNING id",
                               {*batch_id, to_micros(t)});
        if (!rows) return rows.error();
        batch_row = rows->front().integer(0);
      }
      std::map<std::string, int64_t> templates;
      out.reserve(creation.tasks.size());
      for (const auto& task : creation.tasks) {
        auto created = insert_task(conn, columns_, task, batch_row, batch_id, t, templates);
        if (!created) return created.error();
        out.push_back(std::move(*created));
      }
      return {};
    });
  });
  if (!tx) return tx.error();
  return out;
}

Result<TaskRecord> SqlStore::get_task(const std::string& task_id) {
  std::optional<TaskRecord> found;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    return guarded<void>("get_task", [&]() -> Result<void> {
      if (!looks_like_uuid(task_id)) return {};
      auto rows = conn.query(std::string("SELECT ") + kTaskColumns + kTaskDataColumns +
                                 " FROM " + kTaskFrom + " WHERE t.public_id = $1",
                             {lower_id(task_id)});
      if (!rows) return rows.error();
      if (rows->empty()) return {};
      auto task = read_task_row(rows->front(), &columns_);
      if (!task) return task.error();
      found = std::move(*task);
      return {};
    });
  });
  if (!tx) return tx.error();
  if (!found) return Error::not_found("task " + task_id + " not found");
  return std::move(*found);
}

Result<Batch> SqlStore::get_batch(const std::string& batch_id) {
  std::optional<Batch> found;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    return guarded<void>("get_batch", [&]() -> Result<void> {
      if (!looks_like_uuid(batch_id)) return {};
      auto rows = conn.query("SELECT public_id, created FROM batch WHERE public_id = $1",
                             {lower_id(batch_id)});
      if (!rows) return rows.error();
      if (!rows->empty()) {
        found = Batch{rows->front().text(0), from_micros(rows->front().integer(1))};
      }
      return {};
    });
  });
  if (!tx) return tx.error();
  if (!found) return Error::not_found("batch " + batch_id + " not found");
  return std::move(*found);
}

Result<std::vector<std::pair<std::string, int64_t>>> SqlStore::count_tasks_by_state() {
  std::vector<std::pair<std::string, int64_t>> out;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    out.clear();
    return guarded<void>("count_tasks_by_state", [&]() -> Result<void> {
      auto rows =
          conn.query("SELECT state, COUNT(*) FROM task GROUP BY state ORDER BY state");
      if (!rows) return rows.error();
      for (const auto& r : *rows) out.emplace_back(r.text(0), r.integer(1));
      return {};
    });
  });
  if (!tx) return tx.error();
  return out;
}

// The groups of a task are its resolver_groups, else its template's allowed_resolver_groups,
// else the one group "" (api.md §5.8; an empty list counts as unset, docs/storage.md §7).
// The three cases are disjoint, each served by the filter rows.
Result<std::vector<TaskCount>> SqlStore::count_tasks_by_group() {
  static const char* const kSql =
      "SELECT p.name, t.state, tp.name, COUNT(*) FROM task_principal p "
      "JOIN task t ON t.id = p.task_id JOIN template tp ON tp.id = t.template_id "
      "WHERE p.role = 'resolver_group' GROUP BY p.name, t.state, tp.name "
      "UNION ALL "
      "SELECT r.name, t.state, tp.name, COUNT(*) FROM task t "
      "JOIN template tp ON tp.id = t.template_id "
      "JOIN template_resolver r ON r.template_id = t.template_id AND r.kind = 'group' "
      "WHERE NOT EXISTS (SELECT 1 FROM task_principal p WHERE p.task_id = t.id "
      "AND p.role = 'resolver_group') GROUP BY r.name, t.state, tp.name "
      "UNION ALL "
      "SELECT '', t.state, tp.name, COUNT(*) FROM task t "
      "JOIN template tp ON tp.id = t.template_id "
      "WHERE NOT EXISTS (SELECT 1 FROM task_principal p WHERE p.task_id = t.id "
      "AND p.role = 'resolver_group') AND NOT EXISTS (SELECT 1 FROM template_resolver r "
      "WHERE r.template_id = t.template_id AND r.kind = 'group') GROUP BY t.state, tp.name "
      "ORDER BY 1, 2, 3";
  std::vector<TaskCount> out;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    out.clear();
    return guarded<void>("count_tasks_by_group", [&]() -> Result<void> {
      auto rows = conn.query(kSql);
      if (!rows) return rows.error();
      for (const auto& r : *rows) {
        out.push_back({r.text(0), r.text(1), r.text(2), r.integer(3)});
      }
      return {};
    });
  });
  if (!tx) return tx.error();
  return out;
}

}  // namespace utask::persistence
