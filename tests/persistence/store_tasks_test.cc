// Tasks in the store: creation all or nothing (batch, comments, resolutions with steps), reads
// with decrypted data, updates under preconditions, deletion with its cascade, batches and the
// counts of /unsecured/stats and /metrics — on both backends.

#include <gtest/gtest.h>

#include <algorithm>

#include "persistence/store_builders.h"
#include "persistence/store_fixture.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;
using persistence::Batch;
using persistence::NewComment;
using persistence::NewTask;
using persistence::ResolutionView;
using persistence::StateCondition;
using persistence::TaskChange;
using persistence::TaskCount;
using persistence::TaskCreation;
using persistence::TaskFilter;
using persistence::TaskRecord;
using persistence::TaskScope;

constexpr const char* kUnknownId = "00000000-0000-4000-8000-000000000000";

class TaskStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    ASSERT_TRUE(store()
                    .sync_templates({make_template("tpl", {"owner"}, {"tpl-group"}),
                                     make_template("bare")})
                    .ok());
  }

  TaskRecord create(NewTask task) {
    TaskCreation c;
    c.tasks.push_back(std::move(task));
    auto r = store().create_tasks(c);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? r->front() : TaskRecord{};
  }

  size_t count_all() {
    TaskFilter f;
    f.viewer.admin = true;
    f.scope = TaskScope::all;
    return store().list_tasks(f)->items.size();
  }
};

TEST_P(TaskStoreTest, CreatesAndReadsATaskWithItsData) {
  NewTask n = make_task("tpl", "alice");
  n.task.requester_groups = {"g2", "g1", "g2"};
  n.task.watcher_usernames = {"w"};
  n.task.watcher_groups = {"wg"};
  n.task.resolver_usernames = {"r"};
  n.task.resolver_groups = {"rg"};
  n.task.tags = {{"k", "v"}, {"team", "blue"}};
  n.task.result_json = R"({"out":12345678901234567890})";
  n.comment = NewComment{"alice", "first comment"};
  const TaskRecord created = create(n);
  ASSERT_EQ(created.id.size(), 36u);
  EXPECT_EQ(created.created, clock().now());
  EXPECT_EQ(created.last_activity, clock().now());

  auto got = store().get_task(created.id);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->id, created.id);
  EXPECT_EQ(got->template_name, "tpl");
  EXPECT_EQ(got->title, n.task.title);
  EXPECT_EQ(got->state, "TODO");
  EXPECT_EQ(got->requester_username, "alice");
  EXPECT_EQ(got->requester_groups, n.task.requester_groups);  // order and duplicates kept
  EXPECT_EQ(got->watcher_usernames, n.task.watcher_usernames);
  EXPECT_EQ(got->watcher_groups, n.task.watcher_groups);
  EXPECT_EQ(got->resolver_usernames, n.task.resolver_usernames);
  EXPECT_EQ(got->resolver_groups, n.task.resolver_groups);
  EXPECT_EQ(got->tags, n.task.tags);
  EXPECT_EQ(got->steps_total, 2);
  EXPECT_EQ(got->input_json, n.task.input_json);  // the same bytes: 1.50 stays 1.50
  EXPECT_EQ(got->result_json, n.task.result_json);
  EXPECT_EQ(got->created, created.created);
  EXPECT_FALSE(got->resolution_id.has_value());
  EXPECT_FALSE(got->batch_id.has_value());

  auto comments = store().list_comments(created.id);
  ASSERT_TRUE(comments.ok());
  ASSERT_EQ(comments->size(), 1u);
  EXPECT_EQ(comments->front().content, "first comment");
}

TEST_P(TaskStoreTest, CreatesABatchWithResolutionsAndSteps) {
  TaskCreation c;
  c.batch = Batch{};
  for (int i = 0; i < 3; ++i) {
    NewTask n = make_task("tpl", "alice");
    n.resolution = make_resolution("TO_AUTORUN", "alice");
    c.tasks.push_back(n);
  }
  auto tasks = store().create_tasks(c);
  ASSERT_TRUE(tasks.ok()) << tasks.error().message;
  ASSERT_EQ(tasks->size(), 3u);
  const std::string batch_id = *tasks->front().batch_id;
  auto batch = store().get_batch(batch_id);
  ASSERT_TRUE(batch.ok());
  EXPECT_EQ(batch->created, clock().now());

  for (const auto& t : *tasks) {
    EXPECT_EQ(t.batch_id, batch_id);
    ASSERT_TRUE(t.resolution_id.has_value());
    auto got = store().get_task(t.id);
    ASSERT_TRUE(got.ok());
    EXPECT_EQ(got->resolution_id, t.resolution_id);
    EXPECT_EQ(got->resolver_username, "alice");
    EXPECT_EQ(got->batch_id, batch_id);
    auto res = store().get_resolution(*t.resolution_id, ResolutionView::with_steps);
    ASSERT_TRUE(res.ok()) << res.error().message;
    EXPECT_EQ(res->task_id, t.id);
    EXPECT_EQ(res->resolver_inputs_json, R"({"ri":"x"})");
    ASSERT_EQ(res->steps.size(), 2u);
    EXPECT_EQ(res->steps[0].name, "a");
    EXPECT_EQ(res->steps[0].step_json, R"({"state":"TODO"})");
  }
  // A created TO_AUTORUN resolution is claimable (due_at set at creation).
  auto instance = store().register_instance({});
  ASSERT_TRUE(instance.ok());
  auto claim = store().claim_next(instance->id, {});
  ASSERT_TRUE(claim.ok()) << claim.error().message;
  EXPECT_TRUE(claim->has_value());
}

TEST_P(TaskStoreTest, CreationIsAllOrNothing) {
  TaskCreation c;
  c.batch = Batch{};
  c.tasks.push_back(make_task("tpl", "alice"));
  c.tasks.push_back(make_task("no-such-template", "alice"));
  auto r = store().create_tasks(c);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
  EXPECT_EQ(count_all(), 0u);

  const TaskRecord first = create(make_task("tpl", "alice"));
  NewTask dup = make_task("tpl", "bob");
  dup.task.id = first.id;
  TaskCreation c2;
  c2.tasks.push_back(make_task("tpl", "carol"));
  c2.tasks.push_back(dup);
  auto taken = store().create_tasks(c2);
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code, ErrorCode::conflict);
  EXPECT_EQ(count_all(), 1u);
}

TEST_P(TaskStoreTest, ChildTaskRecordsItsParent) {
  const TaskRecord parent = create(make_task("tpl", "alice"));
  NewTask child = make_task("tpl", "alice");
  child.task.parent_task_id = parent.id;
  child.task.tags = {{"_utask_parent_task_id", parent.id}};
  const TaskRecord c = create(child);
  EXPECT_EQ(store().get_task(c.id)->parent_task_id, parent.id);

  NewTask orphan = make_task("tpl", "alice");
  orphan.task.parent_task_id = kUnknownId;
  TaskCreation creation;
  creation.tasks.push_back(orphan);
  auto r = store().create_tasks(creation);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::not_found);
}

TEST_P(TaskStoreTest, UnknownOrMalformedIdsAreNotFound) {
  for (const char* id : {kUnknownId, "not-a-uuid", ""}) {
    EXPECT_EQ(store().get_task(id).error().code, ErrorCode::not_found) << id;
    EXPECT_EQ(store().get_batch(id).error().code, ErrorCode::not_found) << id;
    EXPECT_EQ(store().update_task(id, {}).error().code, ErrorCode::not_found) << id;
    EXPECT_EQ(store().delete_task(id, {}).error().code, ErrorCode::not_found) << id;
  }
  const TaskRecord t = create(make_task("tpl", "alice"));
  std::string upper = t.id;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_TRUE(store().get_task(upper).ok());  // ids compare case-insensitively
}

TEST_P(TaskStoreTest, UpdateRewritesColumnsAndFilterRows) {
  NewTask n = make_task("tpl", "alice");
  n.task.watcher_usernames = {"old-watcher"};
  n.task.tags = {{"k", "old"}};
  const TaskRecord t = create(n);
  clock().advance(5s);

  TaskChange change;
  change.title = "new title";
  change.input_json = R"({"n":2})";
  change.watcher_usernames = std::vector<std::string>{"new-watcher", "new-watcher"};
  change.watcher_groups = std::vector<std::string>{"wg"};
  change.resolver_usernames = std::vector<std::string>{"res"};
  change.tags = persistence::Tags{{"k", "new"}};
  change.comment = NewComment{"alice", "manually edited task"};
  auto updated = store().update_task(t.id, change);
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  EXPECT_EQ(updated->title, "new title");
  EXPECT_EQ(updated->input_json, R"({"n":2})");
  EXPECT_EQ(updated->watcher_usernames, (std::vector<std::string>{"new-watcher", "new-watcher"}));
  EXPECT_EQ(updated->tags, (persistence::Tags{{"k", "new"}}));
  EXPECT_EQ(updated->last_activity, clock().now());
  EXPECT_EQ(updated->created, t.created);
  EXPECT_EQ(store().list_comments(t.id)->size(), 1u);

  auto listed = [&](auto set_filter) {
    TaskFilter f;
    f.viewer = {"admin", {}, true};
    f.scope = TaskScope::all;
    set_filter(f);
    return store().list_tasks(f)->items.size();
  };
  EXPECT_EQ(listed([](TaskFilter& f) { f.watcher = "new-watcher"; }), 1u);
  EXPECT_EQ(listed([](TaskFilter& f) { f.watcher = "old-watcher"; }), 0u);
  EXPECT_EQ(listed([](TaskFilter& f) { f.resolver = "res"; }), 1u);
  EXPECT_EQ(listed([](TaskFilter& f) { f.tags = {{"k", "new"}}; }), 1u);
  EXPECT_EQ(listed([](TaskFilter& f) { f.tags = {{"k", "old"}}; }), 0u);

  clock().advance(5s);
  TaskChange quiet;
  quiet.state = "WONTFIX";
  quiet.touch = false;
  auto q = store().update_task(t.id, quiet);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->state, "WONTFIX");
  EXPECT_EQ(q->last_activity, clock().now() - 5s);
}

TEST_P(TaskStoreTest, UpdateRefusedByTaskStateChangesNothing) {
  const TaskRecord t = create(make_task("tpl", "alice", "RUNNING"));
  TaskChange change;
  change.state = "WONTFIX";
  change.comment = NewComment{"bob", "changed task state to WONTFIX"};
  change.require_state.allowed = {"TODO"};
  auto r = store().update_task(t.id, change);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(r.error().message, "task " + t.id + " is in state RUNNING");
  EXPECT_EQ(r.error().field, "task.state");
  EXPECT_EQ(store().get_task(t.id)->state, "RUNNING");
  EXPECT_TRUE(store().list_comments(t.id)->empty());

  change.require_state = {{}, {"DONE"}};  // refused list only: passes
  EXPECT_TRUE(store().update_task(t.id, change).ok());
}

TEST_P(TaskStoreTest, UpdateRefusedByResolutionState) {
  NewTask n = make_task("tpl", "alice");
  n.resolution = make_resolution("TO_AUTORUN", "alice");
  const TaskRecord t = create(n);
  TaskChange change;
  change.title = "edited";
  change.require_resolution = StateCondition{{"PAUSED"}, {}};
  auto r = store().update_task(t.id, change);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(r.error().message, "resolution " + *t.resolution_id + " is in state TO_AUTORUN");
  EXPECT_EQ(r.error().field, "resolution.state");
  EXPECT_EQ(store().get_task(t.id)->title, t.title);

  // A task without resolution passes the resolution condition.
  const TaskRecord bare = create(make_task("tpl", "alice"));
  auto ok = store().update_task(bare.id, change);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->title, "edited");
}

TEST_P(TaskStoreTest, WontfixOfAChildWakesItsParent) {
  NewTask p = make_task("tpl", "alice", "WAITING");
  p.resolution = make_resolution("WAITING", "alice");
  const TaskRecord parent = create(p);
  NewTask c = make_task("tpl", "alice");
  c.task.parent_task_id = parent.id;
  const TaskRecord child = create(c);
  const auto before = store().get_resolution(*parent.resolution_id, ResolutionView::without_steps);
  ASSERT_TRUE(before.ok());

  TaskChange no_wake;
  no_wake.title = "x";
  ASSERT_TRUE(store().update_task(child.id, no_wake).ok());
  EXPECT_EQ(store().get_resolution(*parent.resolution_id, ResolutionView::without_steps)->wake_seq,
            before->wake_seq);

  TaskChange wontfix;
  wontfix.state = "WONTFIX";
  wontfix.wake_parent = true;
  ASSERT_TRUE(store().update_task(child.id, wontfix).ok());
  EXPECT_EQ(store().get_resolution(*parent.resolution_id, ResolutionView::without_steps)->wake_seq,
            before->wake_seq + 1);
}

TEST_P(TaskStoreTest, DeleteCascadesAndRevokesTheLease) {
  NewTask n = make_task("tpl", "alice");
  n.comment = NewComment{"alice", "hello"};
  n.resolution = make_resolution("TO_AUTORUN", "alice");
  const TaskRecord t = create(n);
  const TaskRecord other = create(make_task("tpl", "bob"));
  auto instance = store().register_instance({});
  ASSERT_TRUE(instance.ok());
  auto lease = store().acquire_lease(*t.resolution_id, instance->id);
  ASSERT_TRUE(lease.ok()) << lease.error().message;

  ASSERT_TRUE(store().delete_task(t.id, {{}, {"RUNNING", "BLOCKED"}}).ok());
  EXPECT_EQ(store().get_task(t.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(store().list_comments(t.id).error().code, ErrorCode::not_found);
  EXPECT_EQ(store().get_resolution(*t.resolution_id, ResolutionView::with_steps).error().code,
            ErrorCode::not_found);
  auto late = store().checkpoint(*lease, {});
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, ErrorCode::lease_lost);
  EXPECT_TRUE(store().get_task(other.id).ok());
}

TEST_P(TaskStoreTest, DeleteRefusedByStateKeepsTheTask) {
  const TaskRecord t = create(make_task("tpl", "alice", "BLOCKED"));
  auto r = store().delete_task(t.id, {{}, {"RUNNING", "BLOCKED"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::conflict);
  EXPECT_EQ(r.error().message, "task " + t.id + " is in state BLOCKED");
  EXPECT_TRUE(store().get_task(t.id).ok());
}

TEST_P(TaskStoreTest, CountsTasksByState) {
  for (const char* s : {"TODO", "TODO", "DONE", "RUNNING"}) create(make_task("tpl", "a", s));
  auto counts = store().count_tasks_by_state();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(*counts, (std::vector<std::pair<std::string, int64_t>>{
                         {"DONE", 1}, {"RUNNING", 1}, {"TODO", 2}}));
}

TEST_P(TaskStoreTest, CountsTasksByGroupWithTheTemplateFallback) {
  NewTask own_groups = make_task("tpl", "a");
  own_groups.task.resolver_groups = {"x", "y"};
  create(own_groups);                        // x, y (its own groups win)
  create(make_task("tpl", "a", "DONE"));     // tpl-group (the template's)
  create(make_task("bare", "a"));            // "" (neither)
  create(make_task("bare", "a"));
  auto counts = store().count_tasks_by_group();
  ASSERT_TRUE(counts.ok()) << counts.error().message;
  auto key = [](const TaskCount& c) { return c.group + "/" + c.state + "/" + c.template_name; };
  std::map<std::string, int64_t> got;
  for (const auto& c : *counts) got[key(c)] = c.count;
  EXPECT_EQ(got, (std::map<std::string, int64_t>{{"/TODO/bare", 2},
                                                 {"tpl-group/DONE/tpl", 1},
                                                 {"x/TODO/tpl", 1},
                                                 {"y/TODO/tpl", 1}}));
}

UTASK_STORE_TEST_SUITE(TaskStoreTest);

}  // namespace
}  // namespace utask::testing
