// The schema and migrate() on both backends (docs/storage.md §2, §3, §6).

#include <thread>

#include "persistence/schema/migrations.h"
#include "persistence/sql_database_fixture.h"
#include "persistence/store.h"

namespace utask::testing {
namespace {

using persistence::MigrationMode;
using persistence::sql::Connection;
using persistence::sql::TxKind;
namespace schema = persistence::schema;

class SchemaMigrations : public SqlDatabaseTest {
 protected:
  int latest() const { return static_cast<int>(schema::migrations(db_->dialect()).size()); }
  Result<int> migrate(MigrationMode mode = MigrationMode::apply) {
    return schema::migrate(*db_, mode);
  }
  std::vector<std::string> columns(const std::string& table) {
    auto r = rows(sqlite() ? "SELECT name FROM pragma_table_info($1) ORDER BY cid"
                           : "SELECT column_name FROM information_schema.columns"
                             " WHERE table_schema = current_schema() AND table_name = $1"
                             " ORDER BY ordinal_position",
                  {table});
    std::vector<std::string> out;
    for (const auto& row : r) out.push_back(row.text(0));
    return out;
  }
  // The index's definition, empty when absent.
  std::string index(const std::string& name) {
    auto r = rows(sqlite() ? "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1"
                           : "SELECT indexdef FROM pg_indexes"
                             " WHERE schemaname = current_schema() AND indexname = $1",
                  {name});
    return r.empty() ? "" : r[0].text(0);
  }
};

// docs/storage.md §2, column for column, in both dialects.
const std::vector<std::pair<std::string, std::vector<std::string>>> kTables = {
    {"schema_migrations", {"version", "name", "checksum", "applied_at"}},
    {"instance", {"id", "hostname", "pid", "version", "started", "heartbeat"}},
    {"template",
     {"id", "name", "description", "definition", "definition_hash", "hidden", "blocked",
      "archived", "updated"}},
    {"template_resolver", {"template_id", "kind", "name"}},
    {"function", {"id", "name", "definition", "definition_hash"}},
    {"batch", {"id", "public_id", "created"}},
    {"task",
     {"id", "public_id", "template_id", "batch_id", "parent_task_id", "title", "state",
      "requester_username", "requester_groups", "watcher_usernames", "watcher_groups",
      "resolver_usernames", "resolver_groups", "tags", "steps_done", "steps_total", "created",
      "last_activity", "input", "result"}},
    {"task_principal", {"role", "name", "task_id"}},
    {"task_tag", {"key", "value", "task_id"}},
    {"comment", {"id", "public_id", "task_id", "username", "created", "updated", "content"}},
    {"callback",
     {"id", "public_id", "task_id", "resolution_id", "resolver_username", "created", "updated",
      "called", "secret", "json_schema", "body"}},
    {"resolution",
     {"id", "public_id", "task_id", "resolver_username", "state", "instance_id", "created",
      "last_start", "last_stop", "next_retry", "run_count", "run_max", "resolver_inputs",
      "base_configurations", "lease_instance", "lease_generation", "lease_expires", "wake_seq",
      "wake_seq_seen", "due_at"}},
    {"step", {"id", "resolution_id", "name", "state", "body"}},
    {"key_rotation",
     {"id", "target_key_id", "table_name", "last_row_id", "rows_done", "started", "finished"}},
};

// docs/storage.md §3: name, and whether it is partial (WHERE … IS NOT NULL).
const std::vector<std::pair<std::string, bool>> kIndexes = {
    {"task_order", false},         {"task_state", false},       {"task_template", false},
    {"task_batch", true},          {"task_requester", false},   {"task_parent", true},
    {"task_principal_task", false}, {"task_tag_task", false},   {"comment_task", false},
    {"callback_task", false},     {"callback_resolution", false},
    {"resolution_due", true},      {"resolution_lease", true},  {"template_resolver_template", false},
};

TEST_P(SchemaMigrations, FromAnEmptyDatabaseEveryTableAndIndexExists) {
  auto found = migrate();
  ASSERT_TRUE(found.ok()) << found.error().message;
  EXPECT_EQ(*found, 0);
  for (const auto& [table, expected] : kTables) EXPECT_EQ(columns(table), expected) << table;
  for (const auto& [name, partial] : kIndexes) {
    std::string def = index(name);
    ASSERT_FALSE(def.empty()) << name;
    EXPECT_EQ(def.find("WHERE") != std::string::npos, partial) << def;
  }
  auto applied = rows("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
  const auto& all = schema::migrations(db_->dialect());
  ASSERT_EQ(applied.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(applied[i].integer(0), all[i].version);
    EXPECT_EQ(applied[i].text(1), all[i].name);
    EXPECT_EQ(applied[i].text(2), schema::checksum(all[i]));
  }
  EXPECT_EQ(applied[0].text(1), "initial");
}

TEST_P(SchemaMigrations, ASecondRunIsANoOp) {
  ASSERT_TRUE(migrate().ok());
  auto again = migrate();
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, latest());
  EXPECT_EQ(rows("SELECT COUNT(*) FROM schema_migrations")[0].integer(0), latest());
  auto checked = migrate(MigrationMode::check_only);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_EQ(*checked, latest());
}

TEST_P(SchemaMigrations, CheckOnlyRefusesAPendingMigrationAndWritesNothing) {
  auto r = migrate(MigrationMode::check_only);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::invalid_config);
  EXPECT_NE(r.error().message.find("database schema version 0 is older than this binary"),
            std::string::npos)
      << r.error().message;
  EXPECT_TRUE(columns("schema_migrations").empty());
  EXPECT_TRUE(columns("task").empty());
}

TEST_P(SchemaMigrations, ANewerDatabaseIsRefused) {
  ASSERT_TRUE(migrate().ok());
  ASSERT_TRUE(exec("INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                   " VALUES ($1, 'future', 'x', 0)",
                   {int64_t{latest() + 1}})
                  .ok());
  const std::string expected = "database schema version " + std::to_string(latest() + 1) +
                               " is newer than this binary (" + std::to_string(latest()) + ")";
  for (auto mode : {MigrationMode::apply, MigrationMode::check_only}) {
    auto r = migrate(mode);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::invalid_config);
    EXPECT_EQ(r.error().message, expected);
  }
}

TEST_P(SchemaMigrations, AChangedMigrationIsRefused) {
  ASSERT_TRUE(migrate().ok());
  ASSERT_TRUE(exec("UPDATE schema_migrations SET checksum = 'abc' WHERE version = 1").ok());
  for (auto mode : {MigrationMode::apply, MigrationMode::check_only}) {
    auto r = migrate(mode);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::invalid_config);
    EXPECT_NE(r.error().message.find("schema migration 1 (initial)"), std::string::npos)
        << r.error().message;
    EXPECT_NE(r.error().message.find("checksum abc"), std::string::npos) << r.error().message;
  }
}

TEST_P(SchemaMigrations, InstancesStartingTogetherApplyEachMigrationOnce) {
  auto other = open();
  Result<int> a = 0, b = 0;
  std::thread ta([&] { a = schema::migrate(*db_, MigrationMode::apply); });
  std::thread tb([&] { b = schema::migrate(*other, MigrationMode::apply); });
  ta.join();
  tb.join();
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  // Each returns the version it found before applying: together they applied every
  // migration once (the count below), whoever applied which.
  EXPECT_EQ(std::min(*a, *b), 0);
  EXPECT_EQ(rows("SELECT COUNT(*) FROM schema_migrations")[0].integer(0), latest());
}

TEST_P(SchemaMigrations, DeletingATaskCascadesAndReferencedTemplatesStay) {
  ASSERT_TRUE(migrate().ok());
  auto r = db_->transact(TxKind::write, [&](Connection& c) -> Result<void> {
    for (const char* sql : {
             "INSERT INTO template (name, definition, definition_hash, updated)"
             " VALUES ('t', '{}', 'h', 0)",
             "INSERT INTO task (public_id, template_id, title, state, requester_username,"
             " created, last_activity) VALUES ('p', 1, 'parent', 'TODO', 'u', 0, 0)",
             "INSERT INTO task (public_id, template_id, parent_task_id, title, state,"
             " requester_username, created, last_activity)"
             " VALUES ('c', 1, 1, 'child', 'TODO', 'u', 0, 0)",
             "INSERT INTO task_principal (role, name, task_id) VALUES ('watcher_user', 'w', 1)",
             "INSERT INTO task_tag (key, value, task_id) VALUES ('k', 'v', 1)",
             "INSERT INTO comment (public_id, task_id, username, created, updated, content)"
             " VALUES ('m', 1, 'u', 0, 0, $1)",
             "INSERT INTO resolution (public_id, task_id, state, created) VALUES ('r', 1, 'TODO', 0)",
             "INSERT INTO step (resolution_id, name, state, body) VALUES (1, 's', 'TODO', $1)"}) {
      const bool blob = std::string_view(sql).find("$1") != std::string_view::npos;
      auto n = c.execute(sql, blob ? persistence::sql::Params{persistence::sql::bytes("blob")}
                                   : persistence::sql::Params{});
      if (!n) return Error::internal(std::string(sql) + ": " + n.error().message);
    }
    return {};
  });
  ASSERT_TRUE(r.ok()) << r.error().message;
  auto template_delete = exec("DELETE FROM template WHERE id = 1");
  ASSERT_FALSE(template_delete.ok());
  EXPECT_EQ(template_delete.error().code, ErrorCode::conflict);

  ASSERT_TRUE(exec("DELETE FROM task WHERE public_id = 'p'").ok());
  for (const char* table : {"task_principal", "task_tag", "comment", "resolution", "step"})
    EXPECT_EQ(rows(std::string("SELECT COUNT(*) FROM ") + table)[0].integer(0), 0) << table;
  auto child = rows("SELECT parent_task_id FROM task WHERE public_id = 'c'");
  ASSERT_EQ(child.size(), 1u);
  EXPECT_TRUE(child[0].is_null(0));
}

// Migration 5: a step upsert writes one page on SQLite (no AUTOINCREMENT, so no
// sqlite_sequence row to rewrite); Postgres leaves room for HOT updates of steps.
TEST_P(SchemaMigrations, StepWritesTouchOnlyTheStepTable) {
  ASSERT_TRUE(migrate().ok());
  if (sqlite()) {
    auto sql = rows("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'step'");
    ASSERT_EQ(sql.size(), 1u);
    EXPECT_EQ(sql[0].text(0).find("AUTOINCREMENT"), std::string::npos) << sql[0].text(0);
  } else {
    auto options = rows("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'step'");
    ASSERT_EQ(options.size(), 1u);
    EXPECT_EQ(options[0].text(0), "fillfactor=80");
  }
  for (const char* sql :
       {"INSERT INTO template (name, definition, definition_hash, updated) VALUES ('t', '{}', 'h', 0)",
        "INSERT INTO task (public_id, template_id, title, state, requester_username, created,"
        " last_activity) VALUES ('p', 1, 'task', 'TODO', 'u', 0, 0)",
        "INSERT INTO resolution (public_id, task_id, state, created) VALUES ('r', 1, 'TODO', 0)",
        "INSERT INTO step (resolution_id, name, state, body) VALUES (1, 's', 'TODO', 'a')"
        " ON CONFLICT (resolution_id, name) DO UPDATE SET body = excluded.body",
        "INSERT INTO step (resolution_id, name, state, body) VALUES (1, 's', 'DONE', 'b')"
        " ON CONFLICT (resolution_id, name) DO UPDATE SET state = excluded.state, body = excluded.body"}) {
    ASSERT_TRUE(exec(sql).ok()) << sql;
  }
  auto step = rows("SELECT id, state FROM step");
  ASSERT_EQ(step.size(), 1u);
  EXPECT_EQ(step[0].text(1), "DONE");
  if (sqlite()) EXPECT_TRUE(rows("SELECT seq FROM sqlite_sequence WHERE name = 'step'").empty());
}

TEST_P(SchemaMigrations, ConstraintsHoldInBothDialects) {
  ASSERT_TRUE(migrate().ok());
  ASSERT_TRUE(exec("INSERT INTO template (name, definition, definition_hash, updated)"
                   " VALUES ('t', '{}', 'h', 0)")
                  .ok());
  struct Case {
    const char* sql;
    bool ok;
  };
  for (const Case& c : {
           Case{"INSERT INTO template_resolver (template_id, kind, name) VALUES (1, 'user', 'a')", true},
           Case{"INSERT INTO template_resolver (template_id, kind, name) VALUES (1, 'user', 'a')", false},
           Case{"INSERT INTO template_resolver (template_id, kind, name) VALUES (1, 'robot', 'a')", false},
           Case{"INSERT INTO template (name, definition, definition_hash, updated)"
                " VALUES ('t', '{}', 'h', 0)", false},
           Case{"INSERT INTO template (name, definition, definition_hash, hidden, updated)"
                " VALUES ('u', '{}', 'h', 2, 0)", false},
           Case{"INSERT INTO key_rotation (target_key_id, started) VALUES ('k', 0)", true},
           Case{"INSERT INTO key_rotation (target_key_id, started) VALUES ('k2', 0)", false},
           Case{"INSERT INTO task (public_id, template_id, title, state, requester_username,"
                " created, last_activity) VALUES ('x', 99, 't', 'TODO', 'u', 0, 0)", false},
       }) {
    EXPECT_EQ(exec(c.sql).ok(), c.ok) << c.sql;
  }
  // Identities are never reused after a delete (an instance id must not come back).
  ASSERT_TRUE(exec("INSERT INTO instance (hostname, pid, version, started, heartbeat)"
                   " VALUES ('h', 1, 'v', 0, 0)").ok());
  ASSERT_TRUE(exec("DELETE FROM instance").ok());
  ASSERT_TRUE(exec("INSERT INTO instance (hostname, pid, version, started, heartbeat)"
                   " VALUES ('h', 2, 'v', 0, 0)").ok());
  EXPECT_EQ(rows("SELECT id FROM instance")[0].integer(0), 2);
}

TEST(SchemaChecksum, IsTheSha256OfTheSqlInHex) {
  EXPECT_EQ(schema::checksum({1, "x", "abc"}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_NE(schema::checksum({1, "x", "abc "}), schema::checksum({1, "x", "abc"}));
}

TEST(SchemaLists, BothDialectsHaveTheSameVersionsAndNames) {
  const auto& lite = schema::migrations(persistence::sql::Dialect::sqlite);
  const auto& pg = schema::migrations(persistence::sql::Dialect::postgres);
  ASSERT_EQ(lite.size(), pg.size());
  for (size_t i = 0; i < lite.size(); ++i) {
    EXPECT_EQ(lite[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(pg[i].version, lite[i].version);
    EXPECT_EQ(pg[i].name, lite[i].name);
  }
  EXPECT_EQ(persistence::latest_schema_version(), static_cast<int>(lite.size()));
}

UTASK_SQL_TEST_SUITE(SchemaMigrations);

}  // namespace
}  // namespace utask::testing
