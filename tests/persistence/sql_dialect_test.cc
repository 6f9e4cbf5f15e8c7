// What only one backend has: SQLite's file sharing and pragmas, Postgres's pool, retries,
// parameter typing and password scrubbing.

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <latch>
#include <mutex>
#include <thread>

#include "persistence/postgres/pg_connection.h"
#include "persistence/sql_database_fixture.h"

namespace utask::testing {
namespace {

using persistence::sql::Bytes;
using persistence::sql::Connection;
using persistence::sql::Params;
using persistence::sql::TxKind;
using persistence::sql::Value;

// ---- Postgres parameter typing and message scrubbing (no server needed) ---------------------

TEST(PostgresTypedSql, CastsEachNonNullParameterOutsideQuotes) {
  struct Case {
    const char* sql;
    Params params;
    const char* typed;
    size_t used;
  };
  const std::vector<Case> cases = {
      {"SELECT $1 + $2", {int64_t{1}, int64_t{2}}, "SELECT CAST($1 AS BIGINT) + CAST($2 AS BIGINT)", 2},
      {"x = $1 AND y = $2", {std::string("a"), Bytes{"b"}},
       "x = CAST($1 AS TEXT) AND y = CAST($2 AS BYTEA)", 2},
      {"x = $1", {persistence::sql::null()}, "x = $1", 1},
      {"'$1' || \"$2\" || $1", {int64_t{1}, int64_t{2}}, "'$1' || \"$2\" || CAST($1 AS BIGINT)", 1},
      {"'it''s $1' -- $2\n$10", Params(10, Value(int64_t{0})),
       "'it''s $1' -- $2\nCAST($10 AS BIGINT)", 10},
      {"a$1 $3", {int64_t{1}}, "a$1 $3", 3},  // part of a word; $3 not given
  };
  for (const auto& c : cases) {
    size_t used = 0;
    EXPECT_EQ(persistence::sql::typed_sql(c.sql, c.params, used), c.typed) << c.sql;
    EXPECT_EQ(used, c.used) << c.sql;
  }
}

TEST(PostgresScrub, RemovesEverySecretOccurrence) {
  EXPECT_EQ(persistence::sql::scrub("a pw b pw%21", {"pw%21", "pw"}), "a *** b ***");
  EXPECT_EQ(persistence::sql::scrub("nothing here", {"", "pw"}), "nothing here");
}

// ---- SQLite only -----------------------------------------------------------------------------

class SqliteBackend : public SqlDatabaseTest {
 protected:
  void SetUp() override {
    SqlDatabaseTest::SetUp();
    create_item_table();
  }
};

TEST_P(SqliteBackend, TwoProcessesOnOneFileBothCommit) {
  constexpr int kEach = 30;
  db_.reset();  // the children open their own connections; none is shared across fork
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int code = 0;
      try {
        auto db = open();
        for (int i = 0; i < kEach && code == 0; ++i) {
          auto r = db->transact(TxKind::write, [&](Connection& c) -> Result<void> {
            auto n = c.execute("INSERT INTO item (id, i) VALUES ($1, $2)",
                               {int64_t{p * 1000 + i}, int64_t{p}});
            if (!n) return n.error();
            return {};
          });
          if (!r) code = 1;
        }
      } catch (...) {
        code = 2;
      }
      _exit(code);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "status " << status;
  }
  db_ = open();
  EXPECT_EQ(count(), 2 * kEach);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM item WHERE i = 1")[0].integer(0), kEach);
}

TEST_P(SqliteBackend, TheFileIsInWalModeWithForeignKeys) {
  EXPECT_EQ(rows("PRAGMA journal_mode")[0].text(0), "wal");
  EXPECT_EQ(rows("PRAGMA foreign_keys")[0].integer(0), 1);
  EXPECT_EQ(rows("PRAGMA synchronous")[0].integer(0), 1);  // NORMAL
}

TEST_P(SqliteBackend, InMemoryWorksOnOneConnection) {
  auto mem = persistence::sql::open_sqlite({.path = ":memory:"});
  ASSERT_TRUE(mem.ok());
  auto& db = **mem;
  ASSERT_TRUE(db.transact(TxKind::write, [](Connection& c) {
                  return c.execute_script("CREATE TABLE t (x BIGINT); INSERT INTO t VALUES (5);");
                }).ok());
  int64_t x = 0;
  ASSERT_TRUE(db.transact(TxKind::read, [&](Connection& c) -> Result<void> {
                  auto r = c.query("SELECT x FROM t");
                  if (!r) return r.error();
                  x = (*r)[0].integer(0);
                  return {};
                }).ok());
  EXPECT_EQ(x, 5);
}

TEST_P(SqliteBackend, AnUnopenableFileIsTransient) {
  auto db = persistence::sql::open_sqlite({.path = (dir_.path() / "missing" / "x.db").string()});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::transient) << db.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, SqliteBackend, ::testing::Values(Backend::sqlite),
                         backend_name);

// ---- Postgres only ---------------------------------------------------------------------------

class PostgresBackend : public SqlDatabaseTest {
 protected:
  void SetUp() override {
    SqlDatabaseTest::SetUp();
    create_item_table();
  }
};

TEST_P(PostgresBackend, ABrokenConnectionIsReplacedAndTheBodyRetried) {
  int attempts = 0;
  auto r = db_->transact(TxKind::write, [&](Connection& c) -> Result<void> {
    if (++attempts == 1) {
      auto killed = c.query("SELECT pg_terminate_backend(pg_backend_pid())");
      if (!killed) return killed.error();
    }
    auto n = c.execute("INSERT INTO item (id) VALUES ($1)", {int64_t{attempts}});
    if (!n) return n.error();
    return {};
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(rows("SELECT id FROM item")[0].integer(0), 2);
}

TEST_P(PostgresBackend, ADeadlockIsRetried) {
  ASSERT_TRUE(exec("INSERT INTO item (id, i) VALUES (1, 0), (2, 0)").ok());
  std::latch both_hold_one(2);
  std::atomic<int> attempts{0};
  std::mutex mu;
  std::string failures;  // guarded by mu
  auto worker = [&](int64_t first, int64_t second) {
    bool waited = false;
    auto note = [&](const Error& e) {
      std::lock_guard lock(mu);
      failures += e.message + "\n";
      return e;
    };
    return db_->transact(TxKind::write, [&, first, second](Connection& c) -> Result<void> {
      ++attempts;
      if (auto r = c.execute("UPDATE item SET i = i + 1 WHERE id = $1", {first}); !r)
        return note(r.error());
      if (!waited) {  // only the first attempts meet: then each waits for the other's row
        waited = true;
        both_hold_one.arrive_and_wait();
      }
      if (auto r = c.execute("UPDATE item SET i = i + 1 WHERE id = $1", {second}); !r)
        return note(r.error());
      return {};
    });
  };
  Result<void> a, b;
  std::thread ta([&] { a = worker(1, 2); });
  std::thread tb([&] { b = worker(2, 1); });
  ta.join();
  tb.join();
  EXPECT_TRUE(a.ok()) << a.error().message;
  EXPECT_TRUE(b.ok()) << b.error().message;
  // The victim ran again (its retry may even deadlock once more with the other's waiting
  // statement, hence no exact count).
  EXPECT_GE(attempts, 3) << failures;
  EXPECT_NE(failures.find("deadlock detected"), std::string::npos) << failures;
  EXPECT_EQ(rows("SELECT SUM(i) FROM item")[0].integer(0), 4);
}

TEST_P(PostgresBackend, AnExhaustedPoolIsTransient) {
  auto small = open(std::chrono::milliseconds(50), 1);
  Result<void> inner;
  ASSERT_TRUE(small->transact(TxKind::read, [&](Connection&) -> Result<void> {
                     inner = small->transact(TxKind::read,
                                             [](Connection&) -> Result<void> { return {}; });
                     return {};
                   })
                  .ok());
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, ErrorCode::transient);
  EXPECT_NE(inner.error().message.find("pool"), std::string::npos) << inner.error().message;
}

TEST_P(PostgresBackend, MessagesNeverShowThePassword) {
  // Port 1 on loopback refuses connections: the error comes from libpq.
  auto db = persistence::sql::open_postgres(
      {.url = "postgres://someone:S3cr%65tPw@127.0.0.1:1/nothing?connect_timeout=5"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::transient);
  EXPECT_EQ(db.error().message.find("S3cr"), std::string::npos) << db.error().message;
  // Wrong password (the cluster trusts every local user, so use an unknown database).
  auto bad = persistence::sql::open_postgres(
      {.url = "postgresql://postgres:Hunter2Pw@" + url().substr(url().find('@') + 1) + "_absent"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::transient);
  EXPECT_EQ(bad.error().message.find("Hunter2Pw"), std::string::npos) << bad.error().message;
}

TEST_P(PostgresBackend, AMalformedUrlIsAConfigurationError) {
  auto db = persistence::sql::open_postgres({.url = "postgres://u:Pw1234@host/db?nonsense=1"});
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::invalid_config) << db.error().message;
  EXPECT_EQ(db.error().message.find("Pw1234"), std::string::npos) << db.error().message;
}

TEST_P(PostgresBackend, ReadTransactionsSeeOneSnapshot) {
  ASSERT_TRUE(exec("INSERT INTO item (id, i) VALUES (1, 1)").ok());
  int64_t first = 0, second = 0;
  ASSERT_TRUE(db_->transact(TxKind::read, [&](Connection& c) -> Result<void> {
                   first = (*c.query("SELECT i FROM item"))[0].integer(0);
                   std::thread writer([&] { EXPECT_TRUE(exec("UPDATE item SET i = 2").ok()); });
                   writer.join();
                   second = (*c.query("SELECT i FROM item"))[0].integer(0);
                   return {};
                 })
                  .ok());
  EXPECT_EQ(first, 1);
  EXPECT_EQ(second, 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, PostgresBackend, ::testing::Values(Backend::postgres),
                         backend_name);

}  // namespace
}  // namespace utask::testing
