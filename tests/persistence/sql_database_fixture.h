#pragma once
// A raw sql::Database per test on each backend, below the Store (sql_database_test.cc,
// migrations_test.cc): SQLite in a fresh temp dir, Postgres in a fresh database of the test
// cluster (support/postgres_cluster.h).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "persistence/postgres/postgres_database.h"
#include "persistence/sql/database.h"
#include "persistence/sqlite/sqlite_database.h"
#include "persistence/store_fixture.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

namespace utask::testing {

class SqlDatabaseTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::postgres) {
      database_ = create_postgres_database();
      url_ = postgres_url(database_);
    }
    db_ = open();
  }
  void TearDown() override {
    db_.reset();
    if (!database_.empty()) drop_postgres_database(database_);
  }

  // Another Database on the same data (a second instance), with short lock waits so lock
  // tests end quickly.
  std::unique_ptr<persistence::sql::Database> open(std::chrono::milliseconds lock_wait =
                                                       std::chrono::milliseconds(10000),
                                                   size_t pool = 4) {
    Result<std::unique_ptr<persistence::sql::Database>> db =
        GetParam() == Backend::sqlite
            ? persistence::sql::open_sqlite(
                  {.path = sqlite_path(), .readers = pool, .busy_timeout = lock_wait})
            : persistence::sql::open_postgres({.url = url_,
                                               .pool_size = pool,
                                               .acquire_timeout = lock_wait,
                                               .lock_timeout = lock_wait});
    if (!db) throw std::runtime_error("open: " + db.error().message);
    return std::move(*db);
  }

  std::string sqlite_path() const { return (dir_.path() / "test.db").string(); }
  bool sqlite() const { return GetParam() == Backend::sqlite; }
  const char* blob_type() const { return sqlite() ? "BLOB" : "BYTEA"; }
  const std::string& url() const { return url_; }

  // One statement in its own write transaction.
  Result<void> exec(const std::string& sql, const persistence::sql::Params& params = {}) {
    return db_->transact(persistence::sql::TxKind::write,
                         [&](persistence::sql::Connection& c) -> Result<void> {
                           auto r = c.execute(sql, params);
                           if (!r) return r.error();
                           return {};
                         });
  }
  // The rows of one query in a read transaction; fails the test on error.
  persistence::sql::Rows rows(const std::string& sql, const persistence::sql::Params& params = {}) {
    persistence::sql::Rows out;
    auto r = db_->transact(persistence::sql::TxKind::read,
                           [&](persistence::sql::Connection& c) -> Result<void> {
                             auto q = c.query(sql, params);
                             if (!q) return q.error();
                             out = std::move(*q);
                             return {};
                           });
    EXPECT_TRUE(r.ok()) << r.error().message;
    return out;
  }

  // item(id, i BIGINT, s TEXT, b BLOB/BYTEA, u TEXT UNIQUE): the table the backend tests use.
  void create_item_table() {
    auto r = exec(std::string("CREATE TABLE item (id BIGINT PRIMARY KEY, i BIGINT, s TEXT, b ") +
                  blob_type() + ", u TEXT UNIQUE)");
    ASSERT_TRUE(r.ok()) << r.error().message;
  }
  int64_t count(const std::string& table = "item") {
    auto r = rows("SELECT COUNT(*) FROM " + table);
    return r.empty() ? -1 : r[0].integer(0);
  }

  TempDir dir_;
  std::string database_, url_;
  std::unique_ptr<persistence::sql::Database> db_;
};

}  // namespace utask::testing

#define UTASK_SQL_TEST_SUITE(Suite)                                                           \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                   \
                           ::testing::Values(::utask::testing::Backend::sqlite,               \
                                             ::utask::testing::Backend::postgres),            \
                           ::utask::testing::backend_name)
