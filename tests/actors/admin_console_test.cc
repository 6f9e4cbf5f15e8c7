// The admin console actor on both backends: maintenance mode read from and written to the
// store (so a second console on the same store agrees), its change listener, the engine's
// collectors paused while it is on; key rotation in the background with its progress, the
// double start refused, a failing rotation reported.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actors/admin_console_actor.h"
#include "actors/runtime.h"
#include "actors/runtime_fixture.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/crypto_fixtures.h"
#include "persistence/store.h"
#include "persistence/store_builders.h"
#include "support/postgres_cluster.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;
using actors::AdminConsoleActor;
using actors::AdminConsoleOptions;

config::KeyConfig test_key(int seed) {
  return persistence::testing::key(config::Cipher::xchacha20_poly1305, seed,
                                   static_cast<char>(seed));
}

// A ring of the keys of `seeds`, the first the newest.
std::shared_ptr<const persistence::KeyRing> ring(std::vector<int> seeds) {
  config::KeyRing keys;
  for (int s : seeds) keys.keys.push_back(test_key(s));
  auto made = persistence::KeyRing::create(std::move(keys));
  EXPECT_TRUE(made.ok()) << made.error().message;
  return std::make_shared<const persistence::KeyRing>(std::move(*made));
}

// Polls `done` every 10 ms for at most `limit`.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

// Holds rotation batches until opened.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }
  void open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

class AdminConsoleTest : public ::testing::TestWithParam<RuntimeBackend> {
 protected:
  void SetUp() override {
    if (GetParam() == RuntimeBackend::sqlite) {
      std::string dir = (std::filesystem::temp_directory_path() / "utask-console-XXXXXX").string();
      ASSERT_NE(mkdtemp(dir.data()), nullptr);
      temp_dir_ = dir;
      url_ = "sqlite:" + dir + "/utask.db";
    } else {
      database_ = create_postgres_database();
      url_ = postgres_url(database_);
    }
    store_ = &open(ring({1}));
  }
  void TearDown() override {
    consoles_.clear();
    stores_.clear();
    if (!database_.empty()) drop_postgres_database(database_);
    if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_);
  }

  persistence::Store& open(std::shared_ptr<const persistence::KeyRing> keys) {
    persistence::StoreOptions o;
    o.url = url_;
    o.key_ring = std::move(keys);
    o.pool_size = 4;
    auto s = persistence::open_store(o);
    EXPECT_TRUE(s.ok()) << s.error().message;
    stores_.push_back(std::move(*s));
    return *stores_.back();
  }

  AdminConsoleActor& console(persistence::Store& on, AdminConsoleOptions o = {}) {
    o.store = &on;
    if (o.refresh_interval == 1000ms) o.refresh_interval = 50ms;
    auto c = AdminConsoleActor::start(std::move(o));
    EXPECT_TRUE(c.ok()) << c.error().message;
    consoles_.push_back(std::move(*c));
    return *consoles_.back();
  }

  // `n` tasks with encrypted inputs, written under the store's current key.
  std::vector<std::string> write_tasks(persistence::Store& on, int n) {
    EXPECT_TRUE(on.sync_templates({make_template("t")}).ok());
    persistence::TaskCreation creation;
    for (int i = 0; i < n; ++i) creation.tasks.push_back(make_task("t", "u" + std::to_string(i)));
    auto created = on.create_tasks(creation);
    EXPECT_TRUE(created.ok()) << created.error().message;
    std::vector<std::string> ids;
    for (const auto& t : *created) ids.push_back(t.id);
    return ids;
  }

  persistence::Store& store() { return *store_; }

 private:
  std::string url_, temp_dir_, database_;
  std::vector<std::unique_ptr<persistence::Store>> stores_;
  std::vector<std::unique_ptr<AdminConsoleActor>> consoles_;
  persistence::Store* store_ = nullptr;
};

// ---- Maintenance mode -------------------------------------------------------------------------

TEST_P(AdminConsoleTest, StartsOffWhenNothingIsStored) {
  EXPECT_FALSE(console(store()).maintenance_mode());
  EXPECT_FALSE(store().get_setting(actors::kMaintenanceSetting)->has_value());
}

TEST_P(AdminConsoleTest, StartsWithTheStoredValue) {
  ASSERT_TRUE(store().set_setting(actors::kMaintenanceSetting, "true", "someone").ok());
  EXPECT_TRUE(console(store()).maintenance_mode());
}

TEST_P(AdminConsoleTest, AStoredValueOtherThanTrueIsOff) {
  ASSERT_TRUE(store().set_setting(actors::kMaintenanceSetting, "\"yes\"", "someone").ok());
  EXPECT_FALSE(console(store()).maintenance_mode());
}

TEST_P(AdminConsoleTest, TheStartFlagSwitchesItOnForEveryone) {
  AdminConsoleOptions o;
  o.start_in_maintenance = true;
  EXPECT_TRUE(console(store(), o).maintenance_mode());
  auto stored = store().get_setting(actors::kMaintenanceSetting);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->value_json, "true");
  EXPECT_EQ((*stored)->updated_by, "--maintenance-mode");
}

TEST_P(AdminConsoleTest, WithoutTheStartFlagTheStoredValueStands) {
  ASSERT_TRUE(store().set_setting(actors::kMaintenanceSetting, "true", "admin").ok());
  AdminConsoleOptions o;
  o.start_in_maintenance = false;
  EXPECT_TRUE(console(store(), o).maintenance_mode());
}

TEST_P(AdminConsoleTest, ASwitchIsSeenHereAtOnceAndByASecondInstance) {
  AdminConsoleActor& here = console(store());
  persistence::Store& other_store = open(ring({1}));
  AdminConsoleActor& there = console(other_store);
  ASSERT_FALSE(there.maintenance_mode());

  ASSERT_TRUE(here.set_maintenance_mode(true, "admin").ok());
  EXPECT_TRUE(here.maintenance_mode());
  EXPECT_EQ((*store().get_setting(actors::kMaintenanceSetting))->updated_by, "admin");
  there.refresh();
  EXPECT_TRUE(there.maintenance_mode());

  ASSERT_TRUE(there.set_maintenance_mode(false, "bob").ok());
  EXPECT_FALSE(there.maintenance_mode());
  // Without asking: the periodic refresh (50 ms here) brings it.
  EXPECT_TRUE(eventually([&] { return !here.maintenance_mode(); }));
}

TEST_P(AdminConsoleTest, TheListenerHearsEachChangeOnce) {
  std::mutex mu;
  std::vector<bool> heard;
  AdminConsoleOptions o;
  o.on_maintenance_change = [&](bool on) {
    std::lock_guard lock(mu);
    heard.push_back(on);
  };
  AdminConsoleActor& c = console(store(), o);
  ASSERT_TRUE(c.set_maintenance_mode(true, "admin").ok());
  ASSERT_TRUE(c.set_maintenance_mode(true, "admin").ok());  // no change: not heard
  ASSERT_TRUE(store().set_setting(actors::kMaintenanceSetting, "false", "elsewhere").ok());
  c.refresh();
  std::lock_guard lock(mu);
  EXPECT_EQ(heard, (std::vector<bool>{true, false}));
}

// ---- Key rotation -----------------------------------------------------------------------------

TEST_P(AdminConsoleTest, NoRotationYet) {
  Json status = console(store()).key_rotation_status();
  EXPECT_EQ(status["running"], false);
  EXPECT_EQ(status["done"], false);
  EXPECT_EQ(status["rows_done"], 0);
  EXPECT_EQ(status["rows_total"], 0);
  EXPECT_EQ(status["errors"], Json::array());
  EXPECT_TRUE(status["started_at"].is_null());
}

TEST_P(AdminConsoleTest, RotatesInTheBackgroundAndRefusesASecondStart) {
  const auto ids = write_tasks(store(), 150);
  persistence::Store& rotated = open(ring({2, 1}));
  Gate gate;
  AdminConsoleOptions o;
  o.rotation_batch_rows = 7;  // several batches
  o.before_rotation_batch = [&gate] { gate.wait(); };
  AdminConsoleActor& c = console(rotated, o);

  ASSERT_TRUE(c.start_key_rotation("admin").ok());
  EXPECT_EQ(c.key_rotation_status()["running"], true);
  auto again = c.start_key_rotation("bob");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::conflict);
  EXPECT_EQ(again.error().message.rfind("a key rotation is already running (started by admin at ", 0), 0u)
      << again.error().message;
  EXPECT_FALSE(c.wait_for_rotation(50ms));  // held by the gate
  gate.open();

  ASSERT_TRUE(c.wait_for_rotation(60s));
  Json status = c.key_rotation_status();
  EXPECT_EQ(status["running"], false);
  EXPECT_EQ(status["done"], true) << status.dump();
  EXPECT_EQ(status["rows_done"], 150) << status.dump();  // 150 task inputs (results are null)
  EXPECT_EQ(status["rows_total"], 150);
  EXPECT_EQ(status["errors"], Json::array());
  EXPECT_EQ(status["started_by"], "admin");
  EXPECT_FALSE(status["finished_at"].is_null());

  // Everything reads with the new key alone.
  persistence::Store& new_only = open(ring({2}));
  for (const auto& id : ids) ASSERT_TRUE(new_only.get_task(id).ok()) << id;

  // Once over, a new start is accepted (and finds nothing left to do).
  ASSERT_TRUE(c.start_key_rotation("admin").ok());
  ASSERT_TRUE(c.wait_for_rotation(60s));
  EXPECT_EQ(c.key_rotation_status()["errors"], Json::array());
}

TEST_P(AdminConsoleTest, AFailingRotationStopsAndReportsItsError) {
  write_tasks(store(), 3);
  persistence::Store& wrong = open(ring({3}));  // lacks key 1: the rows cannot be opened
  AdminConsoleActor& c = console(wrong);
  ASSERT_TRUE(c.start_key_rotation("admin").ok());
  ASSERT_TRUE(c.wait_for_rotation(60s));
  Json status = c.key_rotation_status();
  EXPECT_EQ(status["running"], false);
  EXPECT_EQ(status["done"], false);
  ASSERT_EQ(status["errors"].size(), 1u) << status.dump();
  EXPECT_FALSE(status["errors"][0].get<std::string>().empty());
  // Not stuck: another start is accepted (and fails the same way).
  ASSERT_TRUE(c.start_key_rotation("admin").ok());
  ASSERT_TRUE(c.wait_for_rotation(60s));
  EXPECT_EQ(c.key_rotation_status()["errors"].size(), 1u);
}

TEST_P(AdminConsoleTest, ARestartedConsoleShowsTheStoredProgress) {
  write_tasks(store(), 4);
  persistence::Store& rotated = open(ring({2, 1}));
  {
    AdminConsoleOptions o;
    o.store = &rotated;
    auto c = AdminConsoleActor::start(o);
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE((*c)->start_key_rotation("admin").ok());
    ASSERT_TRUE((*c)->wait_for_rotation(60s));
  }
  Json status = console(rotated).key_rotation_status();
  EXPECT_EQ(status["running"], false);
  EXPECT_EQ(status["done"], true);
  EXPECT_EQ(status["rows_done"], 4);
  EXPECT_FALSE(status["started_at"].is_null());
}

UTASK_RUNTIME_TEST_SUITE(AdminConsoleTest);

// ---- The engine in maintenance mode -----------------------------------------------------------

class MaintenancePausesCollectors : public RuntimeTest {
 protected:
  actors::Runtime& start_paused_runtime(AdminConsoleActor& c) {
    auto instance = store().register_instance(persistence::Instance{0, "test", getpid(), "test", {}, {}});
    EXPECT_TRUE(instance.ok()) << instance.error().message;
    actors::RuntimeOptions o;
    o.store = &store();
    o.registry = &registry_;
    o.templates = [this](const std::string& name) -> Result<std::shared_ptr<const model::TaskTemplate>> {
      auto it = templates_.find(name);
      if (it == templates_.end()) return Error::not_found("template " + name);
      return it->second;
    };
    o.instance_id = instance ? instance->id : 0;
    o.supervisor.max_poll_interval = std::chrono::seconds(1);
    o.collectors_paused = [&c] { return c.maintenance_mode(); };
    auto rt = actors::Runtime::start(std::move(o));
    EXPECT_TRUE(rt.ok()) << rt.error().message;
    runtimes_.push_back(std::move(*rt));
    return *runtimes_.back();
  }
};

TEST_P(MaintenancePausesCollectors, NothingRunsWhileOnAndWorkResumesWhenOff) {
  add_template(R"(
name: quick
description: one echo
title_format: quick
auto_runnable: true
steps:
  one:
    description: one
    action:
      type: echo
      configuration:
        output: {v: 1}
)");
  AdminConsoleOptions o;
  o.store = &store();
  o.start_in_maintenance = true;
  actors::Runtime* runtime = nullptr;
  o.on_maintenance_change = [&runtime](bool on) {
    if (!on && runtime) runtime->wake();
  };
  auto c = AdminConsoleActor::start(o);
  ASSERT_TRUE(c.ok()) << c.error().message;
  runtime = &start_paused_runtime(**c);

  const std::string id = create_task("quick");
  // Bounded: the supervisor polls at least every second; two seconds without a claim.
  EXPECT_FALSE(wait_for_state(id, "DONE", 2s));
  EXPECT_EQ(resolution(id).state, "TO_AUTORUN");
  EXPECT_EQ(runtime->running(), 0u);

  ASSERT_TRUE((*c)->set_maintenance_mode(false, "admin").ok());
  EXPECT_TRUE(wait_for_state(id, "DONE", 30s));
  for (auto& r : runtimes_) r->shutdown(200ms);
  runtimes_.clear();
}

UTASK_RUNTIME_TEST_SUITE(MaintenancePausesCollectors);

}  // namespace
}  // namespace utask::testing
