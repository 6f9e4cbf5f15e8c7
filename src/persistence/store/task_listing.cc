// list_tasks: one index per filter (docs/storage.md §3), keyset pagination on
// (last_activity DESC, id DESC), nothing decrypted.
//
// Shape of the query. A scope other than an admin's `all` is a union of index lookups giving
// task ids (requester, task_principal rows, template_resolver rows → task(template_id)); that
// set drives the query: it is joined to `task` by primary key, then filtered, sorted and cut.
// Without a scope, the first tag pair (or the resolver / watcher filter) drives the same way;
// otherwise the conditions on `task` itself (state, template, batch, requester, times) pick
// their index, ordered like the listing, and the walk stops at the page size.
// SQLite keeps the written join order of a CROSS JOIN, which pins the driving set as the outer
// loop; Postgres gets `t.id = ANY(ARRAY(<set>))`, an index condition on the primary key (a
// join could be planned as a hash join over a sequential scan of `task`). The page is cut on
// `task` alone before the joins that fill a TaskRecord read its rows.

#include "persistence/store/task_listing.h"

#include <set>

#include "persistence/store/columns.h"
#include "persistence/store/sql_store.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

namespace {

class QueryBuilder {
 public:
  // "$N" of a new parameter.
  std::string param(sql::Value v) {
    params_.push_back(std::move(v));
    return "$" + std::to_string(params_.size());
  }
  std::string in_list(const std::set<std::string>& values) {
    std::string out;
    for (const auto& v : values) out += (out.empty() ? "" : ", ") + param(v);
    return out;
  }
  void where(const std::string& condition) { where_ += " AND " + condition; }
  const std::string& conditions() const { return where_; }
  sql::Params take_params() { return std::move(params_); }

 private:
  sql::Params params_;
  std::string where_;
};

std::string principal_ids(QueryBuilder& q, const char* role, const std::string& name) {
  return "SELECT task_id FROM task_principal WHERE role = '" + std::string(role) +
         "' AND name = " + q.param(name);
}

std::string principal_ids(QueryBuilder& q, const char* role, const std::set<std::string>& names) {
  return "SELECT task_id FROM task_principal WHERE role = '" + std::string(role) +
         "' AND name IN (" + q.in_list(names) + ")";
}

// A set of ids `column` must belong to. Postgres reads `= ANY(ARRAY(subquery))` as an index
// condition on `column` (the array is computed first), where an IN could become a hash join
// over a sequential scan of the outer table.
std::string member_of(sql::Dialect d, const std::string& column, const std::string& ids) {
  return d == sql::Dialect::postgres ? column + " = ANY(ARRAY(" + ids + "))"
                                     : column + " IN (" + ids + ")";
}

std::string template_resolver_ids(QueryBuilder& q, sql::Dialect d, const char* kind,
                                  const std::string& names) {
  return "SELECT id AS task_id FROM task WHERE " +
         member_of(d, "template_id",
                   "SELECT template_id FROM template_resolver WHERE kind = '" +
                       std::string(kind) + "' AND name " + names);
}

// The task ids a non-admin `all`, `own` or `resolvable` scope lets the viewer see (api.md
// §5.3.2): a UNION of lookups, each served by a primary key or an index.
std::string scope_ids(QueryBuilder& q, sql::Dialect d, const Viewer& viewer, TaskScope scope) {
  const std::set<std::string> groups(viewer.groups.begin(), viewer.groups.end());
  std::vector<std::string> parts;
  if (scope == TaskScope::own || scope == TaskScope::all) {
    parts.push_back("SELECT id AS task_id FROM task WHERE requester_username = " + q.param(viewer.username));
    parts.push_back(principal_ids(q, "watcher_user", viewer.username));
  }
  if (scope == TaskScope::resolvable || scope == TaskScope::all) {
    parts.push_back(principal_ids(q, "resolver_user", viewer.username));
    parts.push_back(template_resolver_ids(q, d, "user", "= " + q.param(viewer.username)));
    if (!groups.empty()) {
      parts.push_back(principal_ids(q, "resolver_group", groups));
      parts.push_back(template_resolver_ids(q, d, "group", "IN (" + q.in_list(groups) + ")"));
    }
  }
  if (scope == TaskScope::all && !groups.empty()) {
    parts.push_back(principal_ids(q, "watcher_group", groups));
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : " UNION ") + p;
  return out;
}

std::string tag_ids(QueryBuilder& q, const std::string& key, const std::string& value) {
  return "SELECT task_id FROM task_tag WHERE key = " + q.param(key) +
         " AND value = " + q.param(value);
}

}  // namespace

Result<TaskListingQuery> build_task_listing(sql::Connection& conn, sql::Dialect dialect,
                                            const TaskFilter& f) {
  TaskListingQuery out;
  const bool unrestricted = f.viewer.admin && f.scope == TaskScope::all;
  if (f.viewer.username.empty() && !unrestricted) {
    out.matches_nothing = true;
    return out;
  }
  QueryBuilder q;
  // The driving set of task ids, if any, and the remaining id filters.
  std::string driver;
  std::vector<std::string> id_filters;
  if (!unrestricted) driver = scope_ids(q, dialect, f.viewer, f.scope);
  for (const auto& [key, value] : f.tags) id_filters.push_back(tag_ids(q, key, value));
  if (f.resolver) id_filters.push_back(principal_ids(q, "resolver_user", *f.resolver));
  if (f.watcher) id_filters.push_back(principal_ids(q, "watcher_user", *f.watcher));
  if (driver.empty() && !id_filters.empty()) {
    driver = id_filters.front();
    id_filters.erase(id_filters.begin());
  }
  for (const auto& ids : id_filters) q.where("t.id IN (" + ids + ")");

  if (f.state) q.where("t.state = " + q.param(*f.state));
  if (f.template_name) {
    q.where("t.template_id = (SELECT id FROM template WHERE name = " +
            q.param(*f.template_name) + ")");
  }
  if (f.batch_id) {
    auto rows = looks_like_uuid(*f.batch_id)
                    ? conn.query("SELECT id FROM batch WHERE public_id = $1",
                                 {lower_id(*f.batch_id)})
                    : Result<sql::Rows>(sql::Rows{});
    if (!rows) return rows.error();
    if (rows->empty()) return Error::not_found("batch " + *f.batch_id + " not found");
    q.where("t.batch_id = " + q.param(rows->front().integer(0)));
  }
  if (f.requester) q.where("t.requester_username = " + q.param(*f.requester));
  if (f.after) q.where("t.last_activity > " + q.param(to_micros(*f.after)));
  if (f.before) q.where("t.last_activity < " + q.param(to_micros(*f.before)));
  if (!f.page.after.empty()) {
    auto rows = looks_like_uuid(f.page.after)
                    ? conn.query("SELECT last_activity, id FROM task WHERE public_id = $1",
                                 {lower_id(f.page.after)})
                    : Result<sql::Rows>(sql::Rows{});
    if (!rows) return rows.error();
    if (rows->empty()) return Error::not_found("task " + f.page.after + " not found");
    const std::string at = q.param(rows->front().integer(0));
    q.where("(t.last_activity, t.id) < (" + at + ", " + q.param(rows->front().integer(1)) + ")");
  }
  const std::string limit = q.param(static_cast<int64_t>(f.page.limit));

  // The page is chosen on `task` alone; the joins (template, batch, parent, resolution) then
  // read only the page's rows.
  std::string page = "SELECT t.id, t.last_activity FROM ";
  if (driver.empty()) {
    page += "task t WHERE 1 = 1";
  } else if (dialect == sql::Dialect::postgres) {
    page += "task t WHERE " + member_of(dialect, "t.id", driver);
  } else {
    page += "(" + driver + ") s CROSS JOIN task t WHERE t.id = s.task_id";
  }
  page += q.conditions() + " ORDER BY t.last_activity DESC, t.id DESC LIMIT " + limit;
  out.sql = std::string("SELECT ") + kTaskColumns + " FROM (" + page + ") p CROSS JOIN " +
            kTaskFrom + " WHERE t.id = p.id ORDER BY t.last_activity DESC, t.id DESC";
  out.params = q.take_params();
  return out;
}

Result<Page<TaskRecord>> SqlStore::list_tasks(const TaskFilter& filter) {
  Page<TaskRecord> out;
  auto tx = db_->transact(sql::TxKind::read, [&](sql::Connection& conn) {
    out = {};
    return guarded<void>("list_tasks", [&]() -> Result<void> {
      auto query = build_task_listing(conn, dialect(), filter);
      if (!query) return query.error();
      if (query->matches_nothing) return {};
      auto rows = conn.query(query->sql, query->params);
      if (!rows) return rows.error();
      out.items.reserve(rows->size());
      for (const auto& r : *rows) {
        auto task = read_task_row(r, nullptr);
        if (!task) return task.error();
        out.items.push_back(std::move(*task));
      }
      return {};
    });
  });
  if (!tx) return tx.error();
  if (!out.items.empty() && out.items.size() >= filter.page.limit) {
    out.next = out.items.back().id;
  }
  return out;
}

}  // namespace utask::persistence
