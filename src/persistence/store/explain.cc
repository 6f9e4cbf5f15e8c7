#include "persistence/store/explain.h"

#include "persistence/store/sql_store.h"
#include "persistence/store/task_listing.h"
#include "persistence/store/task_rows.h"

namespace utask::persistence {

Result<std::vector<std::string>> explain_list_tasks(Store& store, const TaskFilter& filter) {
  auto* sql_store = dynamic_cast<SqlStore*>(&store);
  if (!sql_store) return Error::internal("explain_list_tasks needs an SQL store");
  const bool sqlite = sql_store->dialect() == sql::Dialect::sqlite;
  std::vector<std::string> plan;
  auto tx = sql_store->db_->transact(sql::TxKind::write, [&](sql::Connection& conn) {
    return guarded<void>("explain_list_tasks", [&]() -> Result<void> {
      if (auto a = conn.execute("ANALYZE"); !a) return a.error();
      auto query = build_task_listing(conn, sql_store->dialect(), filter,
                                      sql_store->options_.listing_driver_limit);
      if (!query) return query.error();
      if (query->matches_nothing) return {};
      auto rows = conn.query((sqlite ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + query->sql,
                             query->params);
      if (!rows) return rows.error();
      for (const auto& r : *rows) plan.push_back(r.text(sqlite ? 3 : 0));
      return {};
    });
  });
  if (!tx) return tx.error();
  return plan;
}

}  // namespace utask::persistence
