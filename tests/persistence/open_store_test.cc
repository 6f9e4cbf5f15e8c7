// open_store(): URL schemes, refused URLs (never echoing a password), an unreachable server,
// migration modes.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "persistence/store.h"
#include "persistence/store_fixture.h"
#include "support/postgres_cluster.h"
#include "support/temp_dir.h"

namespace utask::testing {
namespace {

using persistence::MigrationMode;
using persistence::StoreOptions;

StoreOptions options_for(std::string url) {
  StoreOptions o;
  o.url = std::move(url);
  o.key_ring = make_test_ring(1);
  o.pool_size = 2;
  return o;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(OpenStore, OpensAndMigratesASqliteFile) {
  TempDir dir;
  const std::string path = dir.str() + "/utask.db";
  auto store = persistence::open_store(options_for("sqlite:" + path));
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE((*store)->ping().ok());
  auto v = (*store)->schema_version();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, persistence::latest_schema_version());
  EXPECT_TRUE(std::filesystem::exists(path));
  store->reset();

  // Up to date: check_only accepts it.
  auto o = options_for("sqlite:" + path);
  o.migrations = MigrationMode::check_only;
  auto again = persistence::open_store(o);
  ASSERT_TRUE(again.ok()) << again.error().message;
}

TEST(OpenStore, CheckOnlyRefusesAPendingMigration) {
  TempDir dir;
  auto o = options_for("sqlite:" + dir.str() + "/fresh.db");
  o.migrations = MigrationMode::check_only;
  auto store = persistence::open_store(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::invalid_config);
}

TEST(OpenStore, OpensAnInMemorySqlite) {
  auto store = persistence::open_store(options_for("sqlite::memory:"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE((*store)->ping().ok());
}

TEST(OpenStore, RefusesUnknownSchemesNamingOnlyTheScheme) {
  struct Case {
    std::string url;
    std::string named;  // in the message; empty = no scheme to name
  };
  const Case cases[] = {
      {"mysql://root:hunter2-secret@127.0.0.1/db", "\"mysql\""},
      {"SQLITE3:/tmp/x.db", "\"SQLITE3\""},
      {"http://user:hunter2-secret@example.invalid/", "\"http\""},
      {"root:hunter2-secret@127.0.0.1/db", "\"root\""},
      {"hunter2-secret", ""},
      {"", ""},
      {"postgres:/missing-slashes", "\"postgres\""},
      {"user pass:hunter2-secret@x", ""},
  };
  for (const auto& c : cases) {
    auto store = persistence::open_store(options_for(c.url));
    ASSERT_FALSE(store.ok()) << c.url;
    EXPECT_EQ(store.error().code, ErrorCode::invalid_config) << c.url;
    EXPECT_FALSE(contains(store.error().message, "hunter2")) << store.error().message;
    if (!c.named.empty()) {
      EXPECT_TRUE(contains(store.error().message, c.named)) << c.url;
    }
  }
}

TEST(OpenStore, RefusesASqliteUrlWithoutAPath) {
  auto store = persistence::open_store(options_for("sqlite:"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::invalid_config);
}

TEST(OpenStore, RefusesAMissingKeyRing) {
  auto o = options_for("sqlite::memory:");
  o.key_ring = nullptr;
  auto store = persistence::open_store(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::invalid_config);
}

TEST(OpenStore, UnreachablePostgresIsTransientWithoutThePassword) {
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  for (const char* scheme : {"postgres", "postgresql"}) {
    const std::string url =
        std::string(scheme) + "://utask:pw-s3cr3t-value@127.0.0.1:1/utask?connect_timeout=2";
    auto store = persistence::open_store(options_for(url));
    ASSERT_FALSE(store.ok()) << scheme;
    EXPECT_EQ(store.error().code, ErrorCode::transient) << store.error().message;
    EXPECT_FALSE(contains(store.error().message, "pw-s3cr3t-value")) << store.error().message;
  }
}

// Without a clock in the options, a Postgres store reads the database clock's offset once at
// open; on one host it is (nearly) zero, so the times it writes are the system clock's.
TEST(OpenStore, PostgresDefaultClockFollowsTheDatabaseClock) {
  const std::string database = create_postgres_database();
  {
    auto store = persistence::open_store(options_for(postgres_url(database)));
    ASSERT_TRUE(store.ok()) << store.error().message;
    const auto before = std::chrono::system_clock::now();
    auto self = (*store)->register_instance(persistence::Instance{});
    const auto after = std::chrono::system_clock::now();
    ASSERT_TRUE(self.ok()) << self.error().message;
    EXPECT_GE(self->started, before - std::chrono::seconds(2));
    EXPECT_LE(self->started, after + std::chrono::seconds(2));
  }
  drop_postgres_database(database);
}

TEST(OpenStore, SqliteDefaultClockIsTheSystemClock) {
  auto store = persistence::open_store(options_for("sqlite::memory:"));
  ASSERT_TRUE(store.ok()) << store.error().message;
  const auto before =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto self = (*store)->register_instance(persistence::Instance{});
  ASSERT_TRUE(self.ok()) << self.error().message;
  EXPECT_GE(self->started, before);
  EXPECT_LE(self->started, std::chrono::system_clock::now());
}

TEST(OpenStore, LatestSchemaVersionCountsTheMigrations) {
  EXPECT_GE(persistence::latest_schema_version(), 1);
}

}  // namespace
}  // namespace utask::testing
