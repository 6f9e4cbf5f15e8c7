#pragma once
// The shared store suite: every test of a Store behaviour runs on both backends.
//
//   class TaskStoreTest : public utask::testing::StoreTest {};
//   TEST_P(TaskStoreTest, CreatesAndReads) { ... store() ... clock().advance(1s) ... }
//   UTASK_STORE_TEST_SUITE(TaskStoreTest);
//
// SQLite: a fresh file in a temp dir per test. Postgres: a fresh database per test (CREATE
// DATABASE, dropped at teardown) in a throwaway cluster (tests/support/postgres_cluster.h):
// the one ctest starts for the whole run (fixture `postgres_cluster`), or, when the test
// binary runs on its own, one started by the binary and stopped at its exit.
// Time comes from a fake clock: tests advance it, never sleep.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "persistence/crypto/key_ring.h"
#include "persistence/records.h"
#include "persistence/store.h"

namespace utask::testing {

enum class Backend { sqlite, postgres };

// A clock tests move by hand; safe to read from several threads.
class FakeClock {
 public:
  explicit FakeClock(persistence::Timestamp start) : now_(start) {}
  persistence::Timestamp now() const {
    std::lock_guard lock(mu_);
    return now_;
  }
  void advance(std::chrono::microseconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

 private:
  mutable std::mutex mu_;
  persistence::Timestamp now_;
};

// A key ring with one fresh xchacha20-poly1305 key (timestamp `timestamp`); the same
// `seed` gives the same key material, so a test can rebuild a ring after a "restart".
std::shared_ptr<const persistence::KeyRing> make_test_ring(int seed, int64_t timestamp = 1);
std::shared_ptr<const persistence::KeyRing> make_test_ring(std::vector<int> seeds_newest_last);

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;     // fresh database, store() opened on it with ring seed 1
  void TearDown() override;  // closes stores, drops the database / removes the file

  persistence::Store& store() { return *store_; }
  FakeClock& clock() { return *clock_; }
  Backend backend() const { return GetParam(); }
  // The database URL (sqlite:PATH or postgres://...), for a second process or a raw scan.
  const std::string& url() const { return url_; }
  // SQLite: the database file; Postgres: empty.
  const std::string& sqlite_path() const { return sqlite_path_; }

  // Another Store on the same database (a second instance, or a restart with other keys),
  // sharing the fake clock. The test fixture keeps it alive until TearDown.
  persistence::Store& open_another(std::shared_ptr<const persistence::KeyRing> ring = nullptr,
                                   std::chrono::seconds lease_ttl = std::chrono::seconds(60));
  // Closes store() and opens it again (a restart) with `ring` (default: the current one).
  void reopen(std::shared_ptr<const persistence::KeyRing> ring = nullptr);

  persistence::StoreOptions options(std::shared_ptr<const persistence::KeyRing> ring) const;

 private:
  std::unique_ptr<persistence::Store> store_;
  std::vector<std::unique_ptr<persistence::Store>> others_;
  std::shared_ptr<FakeClock> clock_;
  std::shared_ptr<const persistence::KeyRing> ring_;
  std::string url_, sqlite_path_, database_name_, temp_dir_;
};

std::string backend_name(const ::testing::TestParamInfo<Backend>& info);

}  // namespace utask::testing

#define UTASK_STORE_TEST_SUITE(Suite)                                                         \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                   \
                           ::testing::Values(::utask::testing::Backend::sqlite,               \
                                             ::utask::testing::Backend::postgres),            \
                           ::utask::testing::backend_name)
