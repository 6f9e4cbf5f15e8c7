// The server's instance chores against a real SQLite store with a fake clock: registering at
// start, registering again once the fleet declared the instance dead, garbage collection of
// old finished tasks only, and the collection interval.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>

#include "cli/instance_upkeep.h"
#include "cli/store_setup.h"
#include "persistence/store.h"
#include "support/temp_dir.h"

namespace utask::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class InstanceUpkeepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ring = cli::ephemeral_key_ring();
    ASSERT_TRUE(ring.ok()) << ring.error().message;
    persistence::StoreOptions options;
    options.url = "sqlite:" + dir_.str() + "/upkeep.db";
    options.key_ring = *ring;
    options.clock = [this] {
      std::lock_guard lock(mu_);
      return now_;
    };
    auto store = persistence::open_store(options);
    ASSERT_TRUE(store.ok()) << store.error().message;
    store_ = std::move(*store);
  }
  void advance(std::chrono::microseconds d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }

  TempDir dir_;
  std::mutex mu_;
  persistence::Timestamp now_ =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  std::unique_ptr<persistence::Store> store_;
};

TEST_F(InstanceUpkeepTest, RegistersAtStartAndAgainOnceDeclaredDead) {
  auto upkeep = cli::InstanceUpkeep::start(*store_, {seconds(60), hours(720)});
  ASSERT_TRUE(upkeep.ok()) << upkeep.error().message;
  const int64_t first = (*upkeep)->instance_id();
  auto instances = store_->list_instances();
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_EQ((*instances)[0].id, first);

  // A live heartbeat keeps the id.
  (*upkeep)->heartbeat();
  EXPECT_EQ((*upkeep)->instance_id(), first);

  // Silent for three TTLs: another instance's collection removes the row.
  advance(seconds(181));
  auto gc = store_->collect_garbage(now_ - hours(1));
  ASSERT_TRUE(gc.ok()) << gc.error().message;
  EXPECT_EQ(gc->instances, 1);
  (*upkeep)->heartbeat();
  const int64_t second = (*upkeep)->instance_id();
  EXPECT_NE(second, first);
  instances = store_->list_instances();
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_EQ((*instances)[0].id, second);
}

TEST_F(InstanceUpkeepTest, CollectsFinishedTasksOlderThanTheExpirationOnly) {
  persistence::TemplateRecord t;
  t.name = "gc";
  t.definition_json = "{}";
  ASSERT_TRUE(store_->sync_templates({t}).ok());
  advance(-minutes(10));  // the tasks below are ten minutes old by the system clock
  persistence::TaskCreation creation;
  for (const char* state : {"DONE", "TODO"}) {
    persistence::NewTask task;
    task.task.template_name = "gc";
    task.task.title = state;
    task.task.state = state;
    task.task.requester_username = "alice";
    task.task.input_json = "{}";
    creation.tasks.push_back(task);
  }
  auto created = store_->create_tasks(creation);
  ASSERT_TRUE(created.ok()) << created.error().message;

  {  // Expiration one hour: nothing is old enough.
    auto upkeep = cli::InstanceUpkeep::start(*store_, {seconds(60), hours(1)});
    ASSERT_TRUE(upkeep.ok()) << upkeep.error().message;
  }
  EXPECT_TRUE(store_->get_task((*created)[0].id).ok());
  {  // Expiration five minutes in maintenance mode: nothing is collected.
    cli::UpkeepOptions paused{seconds(60), minutes(5), [] { return true; }};
    auto upkeep = cli::InstanceUpkeep::start(*store_, paused);
    ASSERT_TRUE(upkeep.ok()) << upkeep.error().message;
    (*upkeep)->collect_garbage();
  }
  EXPECT_TRUE(store_->get_task((*created)[0].id).ok());
  {  // Expiration five minutes: the DONE task goes, the TODO one stays.
    auto upkeep = cli::InstanceUpkeep::start(*store_, {seconds(60), minutes(5)});
    ASSERT_TRUE(upkeep.ok()) << upkeep.error().message;
  }
  auto done = store_->get_task((*created)[0].id);
  ASSERT_FALSE(done.ok());
  EXPECT_EQ(done.error().code, ErrorCode::not_found);
  EXPECT_TRUE(store_->get_task((*created)[1].id).ok());
}

TEST_F(InstanceUpkeepTest, StopsPromptlyWhenDestroyed) {
  // The thread waits on a condition variable, not a sleep: destruction returns at once.
  const auto start = std::chrono::steady_clock::now();
  {
    auto upkeep = cli::InstanceUpkeep::start(*store_, {seconds(60), hours(720)});
    ASSERT_TRUE(upkeep.ok()) << upkeep.error().message;
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(5));
}

TEST(InstanceUpkeep, CollectsGarbageEveryExpirationAtMostDailyAtLeastEveryMinute) {
  EXPECT_EQ(cli::InstanceUpkeep::gc_interval(hours(720)), hours(24));
  EXPECT_EQ(cli::InstanceUpkeep::gc_interval(hours(2)), hours(2));
  EXPECT_EQ(cli::InstanceUpkeep::gc_interval(std::chrono::nanoseconds(0)), minutes(1));
}

}  // namespace
}  // namespace utask::testing
