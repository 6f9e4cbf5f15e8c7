// The shared store suite's fixture (store_fixture.h): a fresh database per test on each backend.

#include <sodium.h>

#include <filesystem>
#include <stdexcept>

#include "persistence/crypto_fixtures.h"
#include "persistence/store_fixture.h"
#include "support/postgres_cluster.h"

namespace utask::testing {

namespace {

// 2026-01-02T03:04:05Z: any fixed instant; tests only move it forward.
constexpr int64_t kStartMicros = 1767323045000000;

std::shared_ptr<const persistence::KeyRing> ring_of(config::KeyRing keys) {
  auto ring = persistence::KeyRing::create(std::move(keys));
  if (!ring) throw std::runtime_error("test key ring: " + ring.error().message);
  return std::make_shared<const persistence::KeyRing>(std::move(*ring));
}

config::KeyConfig test_key(int seed, int64_t timestamp) {
  return persistence::testing::key(config::Cipher::xchacha20_poly1305, timestamp,
                                   static_cast<char>(seed));
}

}  // namespace

std::shared_ptr<const persistence::KeyRing> make_test_ring(int seed, int64_t timestamp) {
  return ring_of(config::KeyRing{{test_key(seed, timestamp)}});
}

std::shared_ptr<const persistence::KeyRing> make_test_ring(std::vector<int> seeds_newest_last) {
  config::KeyRing keys;
  // Newest first, timestamps 1, 2, … in the order given.
  for (size_t i = seeds_newest_last.size(); i-- > 0;)
    keys.keys.push_back(test_key(seeds_newest_last[i], static_cast<int64_t>(i) + 1));
  return ring_of(std::move(keys));
}

std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

persistence::StoreOptions StoreTest::options(
    std::shared_ptr<const persistence::KeyRing> ring) const {
  persistence::StoreOptions o;
  o.url = url_;
  o.key_ring = ring ? std::move(ring) : ring_;
  o.pool_size = 4;
  o.clock = [clock = clock_] { return clock->now(); };
  return o;
}

void StoreTest::SetUp() {
  clock_ = std::make_shared<FakeClock>(
      persistence::Timestamp(std::chrono::microseconds(kStartMicros)));
  ring_ = make_test_ring(1);
  if (backend() == Backend::sqlite) {
    std::string dir = (std::filesystem::temp_directory_path() / "utask-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    temp_dir_ = dir;
    sqlite_path_ = dir + "/utask.db";
    url_ = "sqlite:" + sqlite_path_;
  } else {
    database_name_ = create_postgres_database();
    url_ = postgres_url(database_name_);
  }
  auto store = persistence::open_store(options(ring_));
  ASSERT_TRUE(store.ok()) << store.error().message;
  store_ = std::move(*store);
}

void StoreTest::TearDown() {
  others_.clear();
  store_.reset();
  if (!database_name_.empty()) drop_postgres_database(database_name_);
  if (!temp_dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temp_dir_, ec);
  }
}

persistence::Store& StoreTest::open_another(std::shared_ptr<const persistence::KeyRing> ring,
                                            std::chrono::seconds lease_ttl) {
  auto o = options(std::move(ring));
  o.lease_ttl = lease_ttl;
  auto store = persistence::open_store(o);
  if (!store) throw std::runtime_error("open_another: " + store.error().message);
  others_.push_back(std::move(*store));
  return *others_.back();
}

void StoreTest::reopen(std::shared_ptr<const persistence::KeyRing> ring) {
  store_.reset();
  if (ring) ring_ = std::move(ring);
  auto store = persistence::open_store(options(ring_));
  if (!store) throw std::runtime_error("reopen: " + store.error().message);
  store_ = std::move(*store);
}

}  // namespace utask::testing
