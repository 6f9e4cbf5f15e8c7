// sql::Database on both backends: parameters and cells, transactions, error mapping and
// concurrency (what only one backend has: sql_dialect_test.cc).

#include <atomic>
#include <limits>
#include <set>
#include <stdexcept>
#include <thread>

#include "persistence/sql_database_fixture.h"

namespace utask::testing {
namespace {

using persistence::sql::Bytes;
using persistence::sql::Connection;
using persistence::sql::Params;
using persistence::sql::Row;
using persistence::sql::TxKind;
using persistence::sql::Value;

class SqlBackend : public SqlDatabaseTest {
 protected:
  void SetUp() override {
    SqlDatabaseTest::SetUp();
    create_item_table();
  }
};

// ---- Values ----------------------------------------------------------------------------------

// A cell as text for comparisons and messages: its kind and content, bytes in hex.
std::string describe(const Value& v) {
  if (std::holds_alternative<std::monostate>(v)) return "NULL";
  if (const auto* n = std::get_if<int64_t>(&v)) return "int " + std::to_string(*n);
  if (const auto* s = std::get_if<std::string>(&v)) return "text '" + *s + "'";
  std::string hex = "bytes x";
  for (unsigned char c : std::get<Bytes>(v).data) {
    hex += "0123456789abcdef"[c >> 4];
    hex += "0123456789abcdef"[c & 0xf];
  }
  return hex;
}

struct RoundTrip {
  const char* name;
  Value i, s, b;
};

TEST_P(SqlBackend, EveryParameterTypeRoundTrips) {
  const std::string nul_bytes("\0\x01\xff\0z", 5);
  const std::vector<RoundTrip> cases = {
      {"limits_max", std::numeric_limits<int64_t>::max(), std::string("héllo ✓"), Bytes{nul_bytes}},
      {"limits_min", std::numeric_limits<int64_t>::min(), std::string("it's \"quoted\" $1"),
       Bytes{std::string(1, '\0')}},
      {"zero_empty", int64_t{0}, std::string(), Bytes{}},
      {"nulls", persistence::sql::null(), persistence::sql::null(), persistence::sql::null()},
  };
  int64_t id = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(exec("INSERT INTO item (id, i, s, b) VALUES ($1, $2, $3, $4)", {++id, c.i, c.s, c.b})
                    .ok());
    auto r = rows("SELECT i, s, b FROM item WHERE id = $1", {id});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(describe(r[0].cell(0)), describe(c.i));
    EXPECT_EQ(describe(r[0].cell(1)), describe(c.s));
    EXPECT_EQ(describe(r[0].cell(2)), describe(c.b));
  }
}

TEST_P(SqlBackend, EmptyTextIsNotNull) {
  ASSERT_TRUE(exec("INSERT INTO item (id, s) VALUES (1, $1)", {std::string()}).ok());
  ASSERT_TRUE(exec("INSERT INTO item (id, s) VALUES (2, $1)", {persistence::sql::null()}).ok());
  EXPECT_EQ(rows("SELECT id FROM item WHERE s IS NULL")[0].integer(0), 2);
  auto r = rows("SELECT s FROM item ORDER BY id");
  EXPECT_EQ(r[0].optional_text(0), std::optional<std::string>(""));
  EXPECT_EQ(r[1].optional_text(0), std::nullopt);
}

TEST_P(SqlBackend, ParametersTypeAsTheirValuesInExpressions) {
  // Postgres sends parameters untyped: without the backend's casts `$1 + $2` is ambiguous.
  auto r = rows("SELECT $1 + $2, $3, $2 < $1", {int64_t{40}, int64_t{2}, std::string("x")});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].integer(0), 42);
  EXPECT_EQ(r[0].text(1), "x");
  EXPECT_TRUE(r[0].boolean(2));
  // A parameter repeated; a NULL one takes its type from its first use, or from a cast where
  // that use gives none (`$n IS NULL`).
  ASSERT_TRUE(exec("INSERT INTO item (id, i) VALUES ($1, $1 * 2)", {int64_t{7}}).ok());
  struct Case {
    const char* sql;
    Value param;
    size_t rows;
  };
  const char* const kFirstUse = "SELECT i FROM item WHERE id = $1 AND (i = $2 OR $2 IS NULL)";
  const char* const kCast = "SELECT i FROM item WHERE id = $1 AND CAST($2 AS BIGINT) IS NULL";
  for (const Case& c : {Case{kFirstUse, persistence::sql::null(), 1},
                        Case{kFirstUse, int64_t{14}, 1}, Case{kFirstUse, int64_t{15}, 0},
                        Case{kCast, persistence::sql::null(), 1}, Case{kCast, int64_t{14}, 0}}) {
    SCOPED_TRACE(std::string(c.sql) + " with " + describe(c.param));
    EXPECT_EQ(rows(c.sql, {int64_t{7}, c.param}).size(), c.rows);
  }
}

TEST_P(SqlBackend, AMissingParameterIsAnInternalError) {
  auto r = exec("INSERT INTO item (id, i) VALUES ($1, $2)", {int64_t{1}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::internal) << r.error().message;
}

TEST_P(SqlBackend, RowAccessorsRefuseTheWrongType) {
  Row row({persistence::sql::null(), int64_t{3}, std::string("t"), Bytes{"b"}});
  EXPECT_TRUE(row.is_null(0));
  EXPECT_THROW(row.integer(0), std::logic_error);
  EXPECT_EQ(row.optional_integer(0), std::nullopt);
  EXPECT_EQ(row.optional_integer(1), 3);
  EXPECT_THROW(row.text(1), std::logic_error);
  EXPECT_THROW(row.integer(2), std::logic_error);
  EXPECT_EQ(row.text(3), "b");  // bytes read as text
  EXPECT_TRUE(row.boolean(1));
  EXPECT_THROW(row.cell(4), std::out_of_range);
}

// ---- Transactions ----------------------------------------------------------------------------

TEST_P(SqlBackend, ExecuteReturnsTheRowsChanged) {
  ASSERT_TRUE(exec("INSERT INTO item (id, i) VALUES (1, 1), (2, 1), (3, 2)").ok());
  int64_t changed = -1;
  ASSERT_TRUE(db_->transact(TxKind::write, [&](Connection& c) -> Result<void> {
                   auto n = c.execute("UPDATE item SET s = 'x' WHERE i = $1", {int64_t{1}});
                   if (!n) return n.error();
                   changed = *n;
                   return {};
                 })
                  .ok());
  EXPECT_EQ(changed, 2);
}

TEST_P(SqlBackend, CommitsOnSuccessRollsBackOnError) {
  ASSERT_TRUE(exec("INSERT INTO item (id) VALUES (1)").ok());
  auto failed = db_->transact(TxKind::write, [&](Connection& c) -> Result<void> {
    if (auto r = c.execute("INSERT INTO item (id) VALUES (2)"); !r) return r.error();
    return Error{ErrorCode::conflict, "changed my mind", {}};
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().message, "changed my mind");
  EXPECT_EQ(count(), 1);
}

TEST_P(SqlBackend, RollsBackAndRethrowsWhenTheBodyThrows) {
  EXPECT_THROW((void)db_->transact(TxKind::write,
                                   [&](Connection& c) -> Result<void> {
                                     (void)c.execute("INSERT INTO item (id) VALUES (2)");
                                     throw std::runtime_error("boom");
                                   }),
               std::runtime_error);
  EXPECT_EQ(count(), 0);
  // The connection is usable afterwards.
  EXPECT_TRUE(exec("INSERT INTO item (id) VALUES (3)").ok());
  EXPECT_EQ(count(), 1);
}

TEST_P(SqlBackend, ReadTransactionsCannotWrite) {
  auto r = db_->transact(TxKind::read, [&](Connection& c) -> Result<void> {
    auto n = c.execute("INSERT INTO item (id) VALUES (1)");
    if (!n) return n.error();
    return {};
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(count(), 0);
}

TEST_P(SqlBackend, ScriptsRunSeveralStatements) {
  ASSERT_TRUE(db_->transact(TxKind::write, [&](Connection& c) {
                   return c.execute_script(
                       "INSERT INTO item (id) VALUES (1); INSERT INTO item (id) VALUES (2);");
                 })
                  .ok());
  EXPECT_EQ(count(), 2);
}

// ---- Errors ----------------------------------------------------------------------------------

TEST_P(SqlBackend, UniqueViolationIsAConflictThatQuotesNoValue) {
  ASSERT_TRUE(exec("INSERT INTO item (id, u) VALUES (1, $1)", {std::string("s3cret-value")}).ok());
  auto r = exec("INSERT INTO item (id, u) VALUES (2, $1)", {std::string("s3cret-value")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict) << r.error().message;
  EXPECT_NE(r.error().message.find("u"), std::string::npos);
  EXPECT_EQ(r.error().message.find("s3cret-value"), std::string::npos) << r.error().message;
}

TEST_P(SqlBackend, ForeignKeyViolationIsAConflict) {
  ASSERT_TRUE(exec("CREATE TABLE child (id BIGINT PRIMARY KEY,"
                   " item_id BIGINT NOT NULL REFERENCES item (id))")
                  .ok());
  ASSERT_TRUE(exec("INSERT INTO item (id) VALUES (1)").ok());
  EXPECT_TRUE(exec("INSERT INTO child (id, item_id) VALUES (1, 1)").ok());
  auto r = exec("INSERT INTO child (id, item_id) VALUES (2, 99)");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict) << r.error().message;
}

TEST_P(SqlBackend, OtherFailuresAreInternal) {
  auto syntax = exec("INSERT INTO nowhere VALUES (1)");
  ASSERT_FALSE(syntax.ok());
  EXPECT_EQ(syntax.error().code, ErrorCode::internal);
  EXPECT_NE(syntax.error().message.find("nowhere"), std::string::npos) << syntax.error().message;
  auto not_null = exec("CREATE TABLE nn (x TEXT NOT NULL)");
  ASSERT_TRUE(not_null.ok());
  auto r = exec("INSERT INTO nn (x) VALUES ($1)", {persistence::sql::null()});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::internal);
}

TEST_P(SqlBackend, ALockNotObtainedInTimeIsTransient) {
  ASSERT_TRUE(exec("INSERT INTO item (id, i) VALUES (1, 0)").ok());
  auto other = open(std::chrono::milliseconds(100));
  Result<void> inner;
  auto outer = db_->transact(TxKind::write, [&](Connection& c) -> Result<void> {
    if (auto r = c.execute("UPDATE item SET i = 1 WHERE id = 1"); !r) return r.error();
    // The other instance waits for the row (Postgres) or the write lock (SQLite) in vain.
    inner = other->transact(TxKind::write, [&](Connection& c2) -> Result<void> {
      auto r = c2.execute("UPDATE item SET i = 2 WHERE id = 1");
      if (!r) return r.error();
      return {};
    });
    return {};
  });
  ASSERT_TRUE(outer.ok()) << outer.error().message;
  ASSERT_FALSE(inner.ok());
  EXPECT_EQ(inner.error().code, ErrorCode::transient) << inner.error().message;
  EXPECT_EQ(rows("SELECT i FROM item")[0].integer(0), 1);
  // Once the lock is free the other instance writes.
  EXPECT_TRUE(other->transact(TxKind::write, [&](Connection& c) -> Result<void> {
                     auto r = c.execute("UPDATE item SET i = 2 WHERE id = 1");
                     if (!r) return r.error();
                     return {};
                   })
                  .ok());
}

// ---- Concurrency -----------------------------------------------------------------------------

TEST_P(SqlBackend, ConcurrentWritersAreSerialised) {
  ASSERT_TRUE(exec("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)").ok());
  ASSERT_TRUE(exec("CREATE TABLE seen (n BIGINT PRIMARY KEY)").ok());
  ASSERT_TRUE(exec("INSERT INTO counter (id, n) VALUES (1, 0)").ok());
  constexpr int kThreads = 4, kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        // Increment, then read back: a writer that saw another's uncommitted or lost update
        // would record a value twice (the primary key of `seen` refuses it).
        auto r = db_->transact(TxKind::write, [&](Connection& c) -> Result<void> {
          if (auto u = c.execute("UPDATE counter SET n = n + 1 WHERE id = 1"); !u) return u.error();
          auto n = c.query("SELECT n FROM counter WHERE id = 1");
          if (!n) return n.error();
          auto s = c.execute("INSERT INTO seen (n) VALUES ($1)", {(*n)[0].integer(0)});
          if (!s) return s.error();
          return {};
        });
        if (!r) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(rows("SELECT n FROM counter")[0].integer(0), kThreads * kEach);
  auto r = rows("SELECT COUNT(*), MIN(n), MAX(n) FROM seen");
  EXPECT_EQ(r[0].integer(0), kThreads * kEach);
  EXPECT_EQ(r[0].integer(1), 1);
  EXPECT_EQ(r[0].integer(2), kThreads * kEach);
}

TEST_P(SqlBackend, ReadersRunWhileAWriterHoldsItsTransaction) {
  ASSERT_TRUE(exec("INSERT INTO item (id, i) VALUES (1, 1)").ok());
  int64_t seen = -1;
  auto w = db_->transact(TxKind::write, [&](Connection& c) -> Result<void> {
    if (auto r = c.execute("UPDATE item SET i = 2 WHERE id = 1"); !r) return r.error();
    // Another thread reads the committed value, without waiting for this transaction.
    std::thread reader([&] { seen = rows("SELECT i FROM item WHERE id = 1")[0].integer(0); });
    reader.join();
    return {};
  });
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(rows("SELECT i FROM item WHERE id = 1")[0].integer(0), 2);
}

TEST_P(SqlBackend, ExclusiveRunsOneBodyAtATime) {
  ASSERT_TRUE(exec("INSERT INTO item (id, i) VALUES (1, 0)").ok());
  auto other = open();
  std::atomic<int> inside{0}, overlaps{0};
  auto body = [&](Connection& c) -> Result<void> {
    if (++inside > 1) ++overlaps;
    auto n = c.query("SELECT i FROM item WHERE id = 1");
    if (!n) return n.error();
    auto u = c.execute("UPDATE item SET i = $1 WHERE id = 1", {(*n)[0].integer(0) + 1});
    --inside;
    if (!u) return u.error();
    return {};
  };
  std::vector<std::thread> threads;
  for (auto* db : {db_.get(), other.get()})
    threads.emplace_back([&, db] {
      for (int i = 0; i < 20; ++i) EXPECT_TRUE(db->exclusive(body).ok());
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(overlaps, 0);
  EXPECT_EQ(rows("SELECT i FROM item")[0].integer(0), 40);  // no lost read-modify-write
}

UTASK_SQL_TEST_SUITE(SqlBackend);

}  // namespace
}  // namespace utask::testing
