// service::StoreCache: the cache action's entries through the store (both backends), with
// the expiry kept, and refused (transient) before the store is attached.

#include <gtest/gtest.h>

#include <chrono>

#include "service/store_cache.h"
#include "service_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;

class StoreCacheTest : public ServiceTest {};

TEST_P(StoreCacheTest, EntriesGoThroughTheStore) {
  service::StoreCache cache;
  cache.attach(&store());
  const auto expires = std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now() + 1h);
  ASSERT_TRUE(cache.put("k", {"[1,2]", expires}).ok());
  auto row = store().cache_get("k");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->value_json, "[1,2]");
  auto got = cache.get("k");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->value, "[1,2]");
  EXPECT_EQ((*got)->expires_at, expires);
  ASSERT_TRUE(cache.erase("k").ok());
  EXPECT_FALSE(cache.get("k")->has_value());
  auto purged = cache.purge_expired(expires);
  ASSERT_TRUE(purged.ok());
  EXPECT_EQ(*purged, 0u);
}

TEST(StoreCache, RefusesCallsBeforeTheStoreIsAttached) {
  service::StoreCache cache;
  auto got = cache.get("k");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, ErrorCode::transient);
}

UTASK_SERVICE_TEST_SUITE(StoreCacheTest);

}  // namespace
}  // namespace utask::testing
