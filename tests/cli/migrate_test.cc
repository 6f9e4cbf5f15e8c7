// `utask migrate` as a real process: it migrates the database `utask serve` would open (--db,
// UTASK_DB, the `database` item, else ./utask.db), prints the schema version before and after,
// is idempotent, needs no storage key, and refuses a database newer than the binary.

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "persistence/store.h"
#include "process_support.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

namespace utask::testing {
namespace {

namespace fs = std::filesystem;

const std::string kFutureMigration =
    "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (" +
    std::to_string(persistence::latest_schema_version() + 1) + ", 'future', 'x', 0)";

std::string versions(int before, int after) {
  return "schema version before: " + std::to_string(before) + "\nschema version after: " +
         std::to_string(after);
}

// Records a migration this binary does not have, as a newer binary would.
void add_future_migration(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(db, kFutureMigration.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

class MigrateTest : public ::testing::Test {
 protected:
  TempDir dir_;
  const int latest_ = persistence::latest_schema_version();
};

TEST_F(MigrateTest, MigratesAFreshDatabaseThenHasNothingToDo) {
  ASSERT_GE(latest_, 1);
  const auto db = dir_.str() + "/m.db";
  ChildProcess first({"migrate", "--db", "sqlite:" + db}, {}, dir_.str());
  ASSERT_EQ(first.wait(), 0) << first.stderr_text();
  EXPECT_NE(first.stdout_text().find("database: sqlite:" + db), std::string::npos) << first.stdout_text();
  EXPECT_NE(first.stdout_text().find(versions(0, latest_)), std::string::npos) << first.stdout_text();
  EXPECT_TRUE(fs::exists(db));

  ChildProcess second({"migrate", "--db", "sqlite:" + db}, {}, dir_.str());
  ASSERT_EQ(second.wait(), 0) << second.stderr_text();
  EXPECT_NE(second.stdout_text().find(versions(latest_, latest_)), std::string::npos) << second.stdout_text();
  // Migrating encrypts nothing: no key file appears.
  EXPECT_FALSE(fs::exists(db + ".key"));
}

TEST_F(MigrateTest, ADatabaseNewerThanTheBinaryIsRefused) {
  const auto db = dir_.str() + "/newer.db";
  ChildProcess migrate({"migrate", "--db", "sqlite:" + db}, {}, dir_.str());
  ASSERT_EQ(migrate.wait(), 0) << migrate.stderr_text();
  add_future_migration(db);
  ChildProcess refused({"migrate", "--db", "sqlite:" + db}, {}, dir_.str());
  EXPECT_EQ(refused.wait(), 1);
  EXPECT_NE(refused.stderr_text().find("database schema version " + std::to_string(latest_ + 1) +
                                       " is newer than this binary (" + std::to_string(latest_) + ")"),
            std::string::npos)
      << refused.stderr_text();
  EXPECT_EQ(refused.stdout_text().find("schema version after"), std::string::npos);
}

TEST_F(MigrateTest, WithoutDbItUsesUtaskDbThenTheDatabaseItemThenTheDefaultFile) {
  // UTASK_DB, the environment twin of --db.
  const auto from_env = dir_.str() + "/env.db";
  ChildProcess env({"migrate"}, {{"UTASK_DB", "sqlite:" + from_env}}, dir_.str());
  ASSERT_EQ(env.wait(), 0) << env.stderr_text();
  EXPECT_TRUE(fs::exists(from_env));

  // The `database` item of the configuration.
  const auto from_item = dir_.str() + "/item.db";
  const auto cfg = dir_.write("cfg.yaml",
                              "- key: utask-cfg\n"
                              "  value: '{\"admin_usernames\": [\"admin\"]}'\n"
                              "- key: database\n"
                              "  value: 'sqlite:" + from_item + "'\n");
  ChildProcess item({"migrate"}, {{"CONFIGURATION_FROM", "file:" + cfg}}, dir_.str());
  ASSERT_EQ(item.wait(), 0) << item.stderr_text();
  EXPECT_TRUE(fs::exists(from_item));
  EXPECT_NE(item.stdout_text().find(versions(0, latest_)), std::string::npos) << item.stdout_text();

  // Nothing named: ./utask.db in the working directory.
  ChildProcess fallback({"migrate"}, {}, dir_.str());
  ASSERT_EQ(fallback.wait(), 0) << fallback.stderr_text();
  EXPECT_TRUE(fs::exists(dir_.path() / "utask.db"));
  EXPECT_NE(fallback.stdout_text().find("database: sqlite:utask.db"), std::string::npos)
      << fallback.stdout_text();
}

TEST_F(MigrateTest, MigratesAPostgresDatabaseAndRefusesItOnceNewer) {
  const auto name = create_postgres_database();
  const auto url = postgres_url(name);
  ChildProcess first({"migrate", "--db", url}, {}, dir_.str());
  ASSERT_EQ(first.wait(), 0) << first.stderr_text();
  EXPECT_NE(first.stdout_text().find(versions(0, latest_)), std::string::npos) << first.stdout_text();
  ChildProcess second({"migrate"}, {{"UTASK_DB", url}}, dir_.str());
  ASSERT_EQ(second.wait(), 0) << second.stderr_text();
  EXPECT_NE(second.stdout_text().find(versions(latest_, latest_)), std::string::npos) << second.stdout_text();

  PGconn* conn = PQconnectdb(url.c_str());
  ASSERT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* res = PQexec(conn, kFutureMigration.c_str());
  EXPECT_EQ(PQresultStatus(res), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
  ChildProcess refused({"migrate", "--db", url}, {}, dir_.str());
  EXPECT_EQ(refused.wait(), 1);
  EXPECT_NE(refused.stderr_text().find("is newer than this binary (" + std::to_string(latest_) + ")"),
            std::string::npos)
      << refused.stderr_text();
  drop_postgres_database(name);
}

TEST_F(MigrateTest, AnUnknownSchemeIsRefusedNamingIt) {
  ChildProcess p({"migrate", "--db", "mysql://u:hunter2@host/db"}, {}, dir_.str());
  EXPECT_EQ(p.wait(), 1);
  EXPECT_NE(p.stderr_text().find("mysql"), std::string::npos) << p.stderr_text();
  EXPECT_EQ(p.stderr_text().find("hunter2"), std::string::npos) << p.stderr_text();
}

}  // namespace
}  // namespace utask::testing
