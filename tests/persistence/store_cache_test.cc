// The cache action's table on both backends (migration 4, actions.md §16): absent until put,
// replaced in place with its expiry, shared by a second store on the same database, erased
// (absent keys too), and purged of expired rows only.

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "persistence/store_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;

class CacheStoreTest : public StoreTest {};

TEST_P(CacheStoreTest, PutGetReplaceAndErase) {
  auto absent = store().cache_get("k");
  ASSERT_TRUE(absent.ok()) << absent.error().message;
  EXPECT_FALSE(absent->has_value());

  ASSERT_TRUE(store().cache_put("k", {R"({"a":1.50})", std::nullopt}).ok());
  auto got = store().cache_get("k");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value_json, R"({"a":1.50})");
  EXPECT_FALSE((*got)->expires_at.has_value());

  const auto later = clock().now() + 60s;
  ASSERT_TRUE(store().cache_put("k", {"2", later}).ok());
  got = store().cache_get("k");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value_json, "2");
  EXPECT_EQ((*got)->expires_at, later);

  ASSERT_TRUE(store().cache_erase("k").ok());
  ASSERT_TRUE(store().cache_erase("never-there").ok());
  got = store().cache_get("k");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST_P(CacheStoreTest, ASecondInstanceSeesTheSameEntries) {
  ASSERT_TRUE(store().cache_put("shared", {"\"v\"", std::nullopt}).ok());
  auto seen = open_another().cache_get("shared");
  ASSERT_TRUE(seen.ok() && seen->has_value()) << (seen.ok() ? "absent" : seen.error().message);
  EXPECT_EQ((*seen)->value_json, "\"v\"");
}

TEST_P(CacheStoreTest, PurgeRemovesOnlyExpiredRows) {
  const auto now = clock().now();
  ASSERT_TRUE(store().cache_put("old", {"1", now - 1s}).ok());
  ASSERT_TRUE(store().cache_put("fresh", {"2", now + 1h}).ok());
  ASSERT_TRUE(store().cache_put("forever", {"3", std::nullopt}).ok());
  auto purged = store().cache_purge_expired(now);
  ASSERT_TRUE(purged.ok()) << purged.error().message;
  EXPECT_EQ(*purged, 1);
  EXPECT_FALSE(store().cache_get("old")->has_value());
  EXPECT_TRUE(store().cache_get("fresh")->has_value());
  EXPECT_TRUE(store().cache_get("forever")->has_value());
}

UTASK_STORE_TEST_SUITE(CacheStoreTest);

}  // namespace
}  // namespace utask::testing
