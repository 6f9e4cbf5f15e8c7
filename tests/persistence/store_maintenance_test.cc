// Maintenance on both backends: garbage collection (old finished tasks only, in chunks, empty
// batches, dead instances) and key rotation (resumable across restarts, progress, a missing
// key stops it at the row).

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "persistence/crypto/key_ring.h"
#include "persistence/resolution_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;
using persistence::ResolutionView;
using persistence::TaskCreation;

class MaintenanceTest : public ResolutionStoreTest {
 protected:
  bool task_exists(const std::string& id) {
    auto t = store().get_task(id);
    if (!t.ok()) {
      EXPECT_EQ(t.error().code, ErrorCode::not_found) << t.error().message;
    }
    return t.ok();
  }
};

TEST_P(MaintenanceTest, CollectsOldFinishedTasksOnly) {
  const std::string done_old = new_task("DONE");
  const std::string cancelled_old = new_task("CANCELLED");
  const std::string wontfix_old = new_task("WONTFIX");
  const std::string todo_old = new_task("TODO");
  const std::string blocked_old = new_task("BLOCKED");
  const std::string rid = resolve(done_old, "TODO");
  ASSERT_TRUE(store().add_comment(done_old, {"alice", "hello"}).ok());
  const auto children = new_batch(2, std::nullopt);
  const auto kept_batch = new_batch(2, std::nullopt);
  for (const auto& id : children) {
    persistence::TaskChange end;
    end.state = "DONE";
    ASSERT_TRUE(store().update_task(id, end).ok());
  }
  persistence::TaskChange end;
  end.state = "DONE";
  ASSERT_TRUE(store().update_task(kept_batch[0], end).ok());
  const auto batch_id = store().get_task(children[0])->batch_id;
  const auto kept_batch_id = store().get_task(kept_batch[0])->batch_id;

  clock().advance(24h * 10);
  const std::string done_recent = new_task("DONE");
  auto report = store().collect_garbage(clock().now() - 24h * 5);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->tasks, 6);  // done, cancelled, wontfix, two batch children, one of kept
  EXPECT_EQ(report->batches, 1);

  for (const auto& id :
       {done_old, cancelled_old, wontfix_old, children[0], children[1], kept_batch[0]}) {
    EXPECT_FALSE(task_exists(id)) << id;
  }
  for (const auto& id : {todo_old, blocked_old, done_recent, kept_batch[1]}) {
    EXPECT_TRUE(task_exists(id)) << id;
  }
  EXPECT_EQ(store().get_resolution(rid, ResolutionView::with_steps).error().code,
            ErrorCode::not_found);
  EXPECT_EQ(store().get_batch(*batch_id).error().code, ErrorCode::not_found);
  EXPECT_TRUE(store().get_batch(*kept_batch_id).ok());

  auto again = store().collect_garbage(clock().now() - 24h * 5);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->tasks, 0);
  EXPECT_EQ(again->batches, 0);
}

TEST_P(MaintenanceTest, CollectsInChunks) {
  constexpr int kTasks = 1001;  // one full chunk of 1000, then one more
  TaskCreation c;
  for (int i = 0; i < kTasks; ++i) c.tasks.push_back(make_task("hello", "alice", "DONE"));
  ASSERT_TRUE(store().create_tasks(c).ok());
  clock().advance(1h);
  auto report = store().collect_garbage(clock().now());
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->tasks, kTasks);
  auto counts = store().count_tasks_by_state();
  ASSERT_TRUE(counts.ok());
  for (const auto& [state, n] : *counts) EXPECT_EQ(n, 0) << state;
}

TEST_P(MaintenanceTest, CollectsDeadInstancesWithoutLiveLeases) {
  const int64_t dead = register_instance("dead");
  const int64_t leasing = register_instance("leasing");
  clock().advance(121s);  // more than 2 × ttl (60 s) without a heartbeat
  const int64_t alive = register_instance("alive");
  const std::string rid = new_resolution("TODO");
  ASSERT_TRUE(store().acquire_lease(rid, leasing).ok());  // a live lease keeps its row

  auto report = store().collect_garbage(clock().now() - 24h);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->instances, 1);
  auto list = store().list_instances();
  ASSERT_TRUE(list.ok());
  std::vector<int64_t> ids;
  for (const auto& i : *list) ids.push_back(i.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{leasing, alive}));
  auto beat = store().heartbeat(dead);
  ASSERT_FALSE(beat.ok());
  EXPECT_EQ(beat.error().code, ErrorCode::not_found);

  clock().advance(121s);  // the lease expired: the silent holder goes too, and so does
                          // "alive", silent for more than 2 × ttl by now
  report = store().collect_garbage(clock().now() - 24h);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->instances, 2) << "leasing, and alive that never beat again";
}

class RotationStoreTest : public ResolutionStoreTest {
 protected:
  struct Data {
    std::vector<std::string> tasks;
    std::vector<std::string> resolutions;
  };
  // 3 comments, 3 tasks, 2 resolutions, 4 steps: 12 rows under the current key.
  Data seed() {
    Data d;
    for (int i = 0; i < 3; ++i) {
      d.tasks.push_back(new_task());
      EXPECT_TRUE(store().add_comment(d.tasks.back(), {"alice", "comment " + d.tasks.back()}).ok());
    }
    d.resolutions.push_back(resolve(d.tasks[0], "TODO"));
    d.resolutions.push_back(resolve(d.tasks[1], "TODO"));
    return d;
  }
  // Every encrypted value of `d` decrypts with the store's ring.
  void expect_readable(const Data& d) {
    for (const auto& id : d.tasks) {
      auto t = store().get_task(id);
      ASSERT_TRUE(t.ok()) << t.error().message;
      EXPECT_EQ(t->input_json, R"({"n":1.50})");
      auto comments = store().list_comments(id);
      ASSERT_TRUE(comments.ok()) << comments.error().message;
      ASSERT_EQ(comments->size(), 1u);
      EXPECT_EQ(comments->front().content, "comment " + id);
    }
    for (const auto& id : d.resolutions) {
      auto r = store().get_resolution(id, ResolutionView::with_steps);
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ(r->resolver_inputs_json, R"({"ri":"x"})");
      ASSERT_EQ(r->steps.size(), 2u);
      EXPECT_EQ(r->steps[0].step_json, R"({"state":"TODO"})");
    }
  }
};

TEST_P(RotationStoreTest, RotatesEveryTableResumingAcrossRestarts) {
  const Data d = seed();
  const auto both = make_test_ring({1, 2});
  const std::string target = persistence::to_hex(both->current_key_id());
  reopen(both);
  auto none = store().key_rotation_progress();
  ASSERT_TRUE(none.ok()) << none.error().message;
  EXPECT_FALSE(none->has_value());

  auto p = store().rotate_keys(4);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_FALSE(p->done);
  EXPECT_EQ(p->target_key_id, target);
  EXPECT_EQ(p->table, "task");  // 3 comments, then the first task
  EXPECT_EQ(p->rows_reencrypted, 4);
  EXPECT_EQ(p->rows_left_estimate, 8);
  EXPECT_EQ(p->started, clock().now());

  // Only the new key: the rows not rotated yet cannot be read.
  reopen(make_test_ring(2, 2));
  auto unreadable = store().get_resolution(d.resolutions[0], ResolutionView::with_steps);
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(unreadable.error().code, ErrorCode::invalid_config);

  reopen(both);  // a restart: the progress is in the database
  clock().advance(1s);
  auto kept = store().key_rotation_progress();
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->table, "task");
  EXPECT_EQ((*kept)->rows_reencrypted, 4);
  int calls = 0;
  do {
    p = store().rotate_keys(4);
    ASSERT_TRUE(p.ok()) << p.error().message;
    ++calls;
  } while (!p->done && calls < 10);
  EXPECT_TRUE(p->done);
  EXPECT_EQ(calls, 3);  // 4 + 4 rows, then a call that finds the callback table empty
  EXPECT_EQ(p->table, "");
  EXPECT_EQ(p->rows_reencrypted, 12);
  EXPECT_EQ(p->rows_left_estimate, 0);
  EXPECT_EQ(p->finished, clock().now());

  reopen(make_test_ring(2, 2));  // the old key removed
  expect_readable(d);
  auto after = store().rotate_keys(100);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->done);
  EXPECT_EQ(after->rows_reencrypted, 12);
}

TEST_P(RotationStoreTest, AMissingKeyStopsTheRotationAtItsRow) {
  const Data d = seed();
  reopen(make_test_ring(2, 2));  // key 1 removed before rotating: its blobs cannot be read
  auto stopped = store().rotate_keys(100);
  ASSERT_FALSE(stopped.ok());
  EXPECT_EQ(stopped.error().code, ErrorCode::invalid_config);
  EXPECT_NE(stopped.error().message.find("comment"), std::string::npos) << stopped.error().message;
  auto p = store().key_rotation_progress();
  ASSERT_TRUE(p.ok() && p->has_value());
  EXPECT_EQ((*p)->table, "comment");
  EXPECT_EQ((*p)->rows_reencrypted, 0);
  EXPECT_FALSE((*p)->done);

  reopen(make_test_ring({1, 2}));  // the key is back: the same rotation goes on
  auto done = store().rotate_keys(100);
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_TRUE(done->done);
  EXPECT_EQ(done->rows_reencrypted, 12);
  reopen(make_test_ring(2, 2));
  expect_readable(d);
}

TEST_P(RotationStoreTest, ANewerKeyRestartsFromTheFirstTable) {
  const Data d = seed();
  reopen(make_test_ring({1, 2}));
  ASSERT_TRUE(store().rotate_keys(100)->done);
  reopen(make_test_ring({1, 2, 3}));
  auto p = store().rotate_keys(1);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->table, "comment");
  EXPECT_EQ(p->rows_reencrypted, 1);
  EXPECT_FALSE(p->done);
  ASSERT_TRUE(store().rotate_keys(100)->done);
  reopen(make_test_ring(3, 3));
  expect_readable(d);
}

TEST_P(MaintenanceTest, PingsAndReportsTheSchemaVersion) {
  EXPECT_TRUE(store().ping().ok());
  auto v = store().schema_version();
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, persistence::latest_schema_version());
  EXPECT_GE(*v, 1);
}

UTASK_STORE_TEST_SUITE(MaintenanceTest);
UTASK_STORE_TEST_SUITE(RotationStoreTest);

}  // namespace
}  // namespace utask::testing
