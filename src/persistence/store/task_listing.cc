// list_tasks: one index per filter (docs/storage.md §3), keyset pagination on
// (last_activity DESC, id DESC), nothing decrypted.
//
// Shape of the query. The filters on task ids — a non-admin scope (a union of lookups:
// requester, task_principal rows, template_resolver rows → task(template_id)), each tag pair,
// the resolver and the watcher — can each be read two ways: as the set of ids its index gives,
// or as a condition checked on one task row through a primary key. A set is cheap when small
// and costly when large (every id is looked up and sorted before the page is cut); a walk of
// the listing order that checks the condition stops at the page size, so it is cheap when the
// filter matches many tasks and costly when it matches few. So each filter's set is counted up
// to the driver limit (an index-only read that stops there): the smallest set under the limit
// drives the query and the others are checked per row; when none is under it, the listing
// order (or the index of a condition on `task` itself: state, template, batch, requester,
// times) is walked with every filter checked per row.
// SQLite keeps the written join order of a CROSS JOIN, which pins the driving set as the outer
// loop; Postgres gets `t.id = ANY(ARRAY(<set>))`, an index condition on the primary key (a
// join could be planned as a hash join over a sequential scan of `task`). The page is cut on
// `task` alone before the joins that fill a TaskRecord read its rows.

#include "persistence/store/task_listing.h"

#include <functional>
#include <optional>
#include <set>
#include <vector>

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

// A set of ids `column` must belong to. Postgres reads `= ANY(ARRAY(subquery))` as an index
// condition on `column` (the array is computed first), where an IN could become a hash join
// over a sequential scan of the outer table.
std::string member_of(sql::Dialect d, const std::string& column, const std::string& ids) {
  return d == sql::Dialect::postgres ? column + " = ANY(ARRAY(" + ids + "))"
                                     : column + " IN (" + ids + ")";
}

// One lookup of a filter on task ids, both ways: `ids` selects task_id from its index, `check`
// is a condition on the task row `t`. Each adds its parameters to the builder it is given.
struct Lookup {
  std::function<std::string(QueryBuilder&)> ids;
  std::function<std::string(QueryBuilder&)> check;
};

// A filter on task ids: the union of its lookups (one for a tag, several for a scope).
using IdFilter = std::vector<Lookup>;

// `names` as "= $n" or "IN ($n, ...)".
std::string name_match(QueryBuilder& q, const std::set<std::string>& names) {
  return names.size() == 1 ? "= " + q.param(*names.begin()) : "IN (" + q.in_list(names) + ")";
}

Lookup requester_lookup(const std::string& username) {
  return {[=](QueryBuilder& q) {
            return "SELECT id AS task_id FROM task WHERE requester_username = " + q.param(username);
          },
          [=](QueryBuilder& q) { return "t.requester_username = " + q.param(username); }};
}

// Rows of task_principal; the check probes its primary key (role, name, task_id).
Lookup principal_lookup(const char* role, std::set<std::string> names) {
  const std::string r = role;
  return {[=](QueryBuilder& q) {
            return "SELECT task_id FROM task_principal WHERE role = '" + r + "' AND name " +
                   name_match(q, names);
          },
          [=](QueryBuilder& q) {
            return "EXISTS (SELECT 1 FROM task_principal p WHERE p.task_id = t.id AND p.role = '" +
                   r + "' AND p.name " + name_match(q, names) + ")";
          }};
}

// Tasks of the templates whose allowed resolvers name one of `names`.
Lookup template_resolver_lookup(sql::Dialect d, const char* kind, std::set<std::string> names) {
  const std::string k = kind;
  auto templates = [=](QueryBuilder& q) {
    return "SELECT template_id FROM template_resolver WHERE kind = '" + k + "' AND name " +
           name_match(q, names);
  };
  return {[=](QueryBuilder& q) {
            return "SELECT id AS task_id FROM task WHERE " + member_of(d, "template_id", templates(q));
          },
          [=](QueryBuilder& q) { return "t.template_id IN (" + templates(q) + ")"; }};
}

Lookup tag_lookup(const std::string& key, const std::string& value) {
  return {[=](QueryBuilder& q) {
            return "SELECT task_id FROM task_tag WHERE key = " + q.param(key) +
                   " AND value = " + q.param(value);
          },
          [=](QueryBuilder& q) {
            return "EXISTS (SELECT 1 FROM task_tag g WHERE g.task_id = t.id AND g.key = " +
                   q.param(key) + " AND g.value = " + q.param(value) + ")";
          }};
}

// The tasks a non-admin `all`, `own` or `resolvable` scope lets the viewer see (api.md
// §5.3.2).
IdFilter scope_filter(sql::Dialect d, const Viewer& viewer, TaskScope scope) {
  const std::set<std::string> groups(viewer.groups.begin(), viewer.groups.end());
  IdFilter out;
  if (scope == TaskScope::own || scope == TaskScope::all) {
    out.push_back(requester_lookup(viewer.username));
    out.push_back(principal_lookup("watcher_user", {viewer.username}));
  }
  if (scope == TaskScope::resolvable || scope == TaskScope::all) {
    out.push_back(principal_lookup("resolver_user", {viewer.username}));
    out.push_back(template_resolver_lookup(d, "user", {viewer.username}));
    if (!groups.empty()) {
      out.push_back(principal_lookup("resolver_group", groups));
      out.push_back(template_resolver_lookup(d, "group", groups));
    }
  }
  if (scope == TaskScope::all && !groups.empty()) {
    out.push_back(principal_lookup("watcher_group", groups));
  }
  return out;
}

// The filter's ids: a UNION, or a UNION ALL where duplicates do not matter (counting up to a
// limit: a UNION would be computed whole before the limit applies).
std::string filter_ids(QueryBuilder& q, const IdFilter& f, bool all) {
  std::string out;
  for (const auto& l : f) out += (out.empty() ? "" : all ? " UNION ALL " : " UNION ") + l.ids(q);
  return out;
}

std::string filter_check(QueryBuilder& q, const IdFilter& f) {
  std::string out;
  for (const auto& l : f) out += (out.empty() ? "" : " OR ") + l.check(q);
  return "(" + out + ")";
}

// How many ids the filter's lookups give, counted up to `limit` (duplicates counted again).
Result<size_t> bounded_count(sql::Connection& conn, const IdFilter& f, size_t limit) {
  QueryBuilder q;
  // Built before take_params(): the order of evaluation of a call's arguments is unspecified.
  const std::string sql = "SELECT COUNT(*) FROM (" + filter_ids(q, f, /*all=*/true) + " LIMIT " +
                          q.param(static_cast<int64_t>(limit)) + ") d";
  auto rows = conn.query(sql, q.take_params());
  if (!rows) return rows.error();
  return static_cast<size_t>(rows->front().integer(0));
}

}  // namespace

Result<TaskListingQuery> build_task_listing(sql::Connection& conn, sql::Dialect dialect,
                                            const TaskFilter& f, size_t driver_limit) {
  TaskListingQuery out;
  const bool unrestricted = f.viewer.admin && f.scope == TaskScope::all;
  if (f.viewer.username.empty() && !unrestricted) {
    out.matches_nothing = true;
    return out;
  }
  std::vector<IdFilter> id_filters;
  if (!unrestricted) id_filters.push_back(scope_filter(dialect, f.viewer, f.scope));
  for (const auto& [key, value] : f.tags) id_filters.push_back({tag_lookup(key, value)});
  if (f.resolver) id_filters.push_back({principal_lookup("resolver_user", {*f.resolver})});
  if (f.watcher) id_filters.push_back({principal_lookup("watcher_user", {*f.watcher})});
  // The smallest set under the limit drives; none when every one reaches it.
  std::optional<size_t> driver;
  size_t smallest = driver_limit;
  for (size_t i = 0; i < id_filters.size(); ++i) {
    auto n = guarded<size_t>("counting a listing filter",
                             [&] { return bounded_count(conn, id_filters[i], driver_limit); });
    if (!n) return n.error();
    if (*n < smallest) smallest = *n, driver = i;
  }

  QueryBuilder q;
  for (size_t i = 0; i < id_filters.size(); ++i) {
    if (i != driver) q.where(filter_check(q, id_filters[i]));
  }
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
  if (!driver) {
    page += "task t WHERE 1 = 1";
  } else if (dialect == sql::Dialect::postgres) {
    page += "task t WHERE " + member_of(dialect, "t.id", filter_ids(q, id_filters[*driver], false));
  } else {
    page += "(" + filter_ids(q, id_filters[*driver], false) + ") s CROSS JOIN task t WHERE t.id = s.task_id";
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
      auto query = build_task_listing(conn, dialect(), filter, options_.listing_driver_limit);
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
