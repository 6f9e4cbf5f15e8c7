// Conformance: the interactive entries with child tasks (A44 TestResolveSubTask, A45
// TestResolveSubTaskParentTaskPaused, A48 TestBatch, A49 TestWakeParent), on the runtime
// drivers (SQLite, Postgres): the children live in the store, run through Runtime::run_now,
// and their end wakes the parent in the same transaction (DECISIONS: "a child's end durably
// wakes its parent"). Where the original checks that the parent's next_retry moved, we check
// the wake-up itself: the parent's wake_seq moved and the retry collector runs it to its end.

#include <algorithm>

#include "engine/operator_edits.h"
#include "engine_cases.h"
#include "runtime_driver.h"

namespace utask::engine {
namespace {

using conformance::check;
using conformance::check_all;
using conformance::driver_name;
using conformance::DriverKind;
using conformance::entry;
using conformance::RuntimeDriver;
using testing::json;

class ChildTasks : public ::testing::TestWithParam<DriverKind> {
 protected:
  void SetUp() override { d = std::make_unique<RuntimeDriver>(GetParam()); }

  // Creates `file` and runs it once: the parent, left WAITING for its children.
  void run_parent(const std::string& file) {
    auto created = d->create(file, Json::object(), nullptr);
    ASSERT_TRUE(created.ok()) << created.error().message;
    parent = d->resolution_id();
    ASSERT_NO_FATAL_FAILURE(run(parent));
    EXPECT_EQ(d->resolution().state, "WAITING");
  }

  void run(const std::string& resolution_id) {
    d->select(resolution_id);
    auto ran = d->run();
    ASSERT_TRUE(ran.ok()) << ran.error().message;
    EXPECT_TRUE(ran->ran);
  }

  // The child task `task_id` (TODO, no resolution yet) gets a resolution and one run, which
  // ends DONE with every step DONE and the task DONE.
  void resolve_child(const std::string& task_id) {
    auto task = d->store().get_task(task_id);
    ASSERT_TRUE(task.ok()) << task.error().message;
    EXPECT_EQ(task->state, "TODO");
    auto rid = d->create_resolution_for(task_id);
    ASSERT_TRUE(rid.ok()) << rid.error().message;
    ASSERT_NO_FATAL_FAILURE(run(*rid));
    const ResolutionState child = d->resolution();
    EXPECT_EQ(child.state, "DONE");
    for (const auto& [name, s] : child.steps) EXPECT_EQ(s.state, "DONE") << name;
    EXPECT_EQ(child.task.state, "DONE");
    d->select(parent);
  }

  int64_t wake_seq(const std::string& resolution_id) {
    auto r = d->store().get_resolution(resolution_id, persistence::ResolutionView::without_steps);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r ? r->wake_seq : -1;
  }

  // The retry collector of a second instance picks the woken parent up and runs it to DONE.
  void collector_finishes_parent() {
    d->start_collector();
    EXPECT_TRUE(d->wait_for(parent, [](const persistence::ResolutionRecord& r) { return r.state == "DONE"; }))
        << "the woken parent did not reach DONE: " << to_json_text(resolution_to_json(d->resolution()));
  }

  // Whether any instance could claim the parent now (a claim made here is given back).
  bool parent_claimable() {
    auto other = d->store().register_instance(persistence::Instance{0, "probe", 1, "test", {}, {}});
    EXPECT_TRUE(other.ok());
    auto claim = d->store().claim_next(other->id, persistence::ClaimKinds{});
    EXPECT_TRUE(claim.ok()) << claim.error().message;
    if (!claim || !*claim) return false;
    EXPECT_TRUE(d->store().release((*claim)->lease, {}).ok());
    return (*claim)->lease.resolution_id == parent;
  }

  std::unique_ptr<RuntimeDriver> d;
  std::string parent;
};

TEST_P(ChildTasks, ResolveSubTask) {
  const Json& e = entry("TestResolveSubTask");
  ASSERT_NO_FATAL_FAILURE(run_parent("subtask.yaml"));
  check(d->resolution(), e["expect"]["after_run_1"], "after run 1");
  check(d->resolution(), e["expect"]["derived"]["after_run_1"], "after run 1 (derived)");
  for (const char* step : {"subtaskCreation", "jsonInputSubtask", "templatingJsonInputSubtask"}) {
    const std::string child = d->step(step).output.value("id", "");
    ASSERT_FALSE(child.empty()) << step << " output " << to_json_text(d->step(step).output);
    const int64_t before = wake_seq(parent);
    ASSERT_NO_FATAL_FAILURE(resolve_child(child));
    EXPECT_GT(wake_seq(parent), before) << "the end of " << step << "'s child woke its parent";
  }
  EXPECT_EQ(d->resolution().state, "WAITING") << "nothing ran the parent yet";
  ASSERT_NO_FATAL_FAILURE(collector_finishes_parent());
  check_all(d->resolution(), e["expect"], "TestResolveSubTask");
  EXPECT_EQ(to_json_text(d->resolution().task.result), to_json_text(e["expect"]["derived"]["task_result"]));
  EXPECT_EQ(d->resolution().task.state, "DONE");
}

TEST_P(ChildTasks, ResolveSubTaskParentTaskPaused) {
  const Json& e = entry("TestResolveSubTaskParentTaskPaused");
  ASSERT_NO_FATAL_FAILURE(run_parent("subtask.yaml"));
  check(d->resolution(), e["expect"]["after_run_1"], "after run 1");
  ASSERT_TRUE(d->edit([](ResolutionState& r) { ASSERT_TRUE(engine::pause(r, false).ok()); }).ok());
  EXPECT_EQ(d->resolution().state, "PAUSED");
  const std::string child = d->step("subtaskCreation").output.value("id", "");
  ASSERT_FALSE(child.empty());
  ASSERT_NO_FATAL_FAILURE(resolve_child(child));
  // A paused parent is not resumed: it stays PAUSED and nothing may claim it.
  EXPECT_EQ(d->resolution().state, "PAUSED");
  EXPECT_FALSE(parent_claimable());
  EXPECT_EQ(d->resolution().run_count, 1);
}

TEST_P(ChildTasks, Batch) {
  const Json& e = entry("TestBatch");
  ASSERT_NO_FATAL_FAILURE(run_parent("batch.yaml"));
  const Json& after = e["expect"]["after_run_1"];
  check(d->resolution(), after, "after run 1");
  check(d->resolution(), e["expect"]["derived"]["after_run_1"], "after run 1 (derived)");
  for (const auto& step : after["metadata_is_string"]) {
    const Json metadata = d->step(step.get<std::string>()).metadata;
    ASSERT_TRUE(metadata.is_string()) << step << ": " << to_json_text(metadata);
    std::string text = metadata.get<std::string>();
    for (size_t at; (at = text.find("\\\"")) != std::string::npos;) text.replace(at, 2, "\"");
    auto progress = parse_json(text);
    ASSERT_TRUE(progress.ok()) << text;
    const std::string batch = progress->value("batch_id", "");
    ASSERT_FALSE(batch.empty()) << text;

    persistence::TaskFilter filter;
    filter.viewer.admin = true;
    filter.scope = persistence::TaskScope::all;
    filter.batch_id = batch;
    auto tasks = d->store().list_tasks(filter);
    ASSERT_TRUE(tasks.ok()) << tasks.error().message;
    ASSERT_EQ(tasks->items.size(), after["batch_task_count"][step.get<std::string>()].get<size_t>());
    std::vector<Json> inputs;
    for (size_t i = 0; i < tasks->items.size(); ++i) {
      auto task = d->store().get_task(tasks->items[i].id);
      ASSERT_TRUE(task.ok());
      inputs.push_back(json(*task->input_json));
      const int64_t before = wake_seq(parent);
      ASSERT_NO_FATAL_FAILURE(resolve_child(tasks->items[i].id));
      const bool last = i + 1 == tasks->items.size();
      // Only the end of the whole batch wakes the parent.
      EXPECT_EQ(wake_seq(parent), last ? before + 1 : before) << step << " child " << i;
    }
    std::sort(inputs.begin(), inputs.end(), [](const Json& a, const Json& b) { return to_json_text(a) < to_json_text(b); });
    const Json& wanted = e["expect"]["derived"]["child_inputs"];
    ASSERT_EQ(inputs.size(), wanted.size());
    for (size_t i = 0; i < inputs.size(); ++i) EXPECT_EQ(to_json_text(inputs[i]), to_json_text(wanted[i]));
  }
  EXPECT_EQ(d->resolution().state, "WAITING");
  ASSERT_NO_FATAL_FAILURE(collector_finishes_parent());
  check_all(d->resolution(), e["expect"], "TestBatch");
}

TEST_P(ChildTasks, WakeParent) {
  const Json& e = entry("TestWakeParent");
  ASSERT_NO_FATAL_FAILURE(run_parent("noOutputSubtask.yaml"));
  check(d->resolution(), e["expect"]["after_run_1"], "after run 1");
  EXPECT_FALSE(d->resolution().next_retry.has_value()) << "a parent waiting for children has no next_retry";
  ASSERT_TRUE(d->edit([](ResolutionState& r) { r.state = "RUNNING"; }).ok());
  const std::string child = d->step("subtaskCreation").output.value("id", "");
  ASSERT_FALSE(child.empty());
  const int64_t before = wake_seq(parent);
  ASSERT_NO_FATAL_FAILURE(resolve_child(child));
  EXPECT_EQ(d->resolution().state, "RUNNING");
  EXPECT_EQ(wake_seq(parent), before + 1) << "the child's end woke its running parent";
}

INSTANTIATE_TEST_SUITE_P(Runtime, ChildTasks,
                         ::testing::Values(DriverKind::runtime_sqlite, DriverKind::runtime_postgres),
                         [](const auto& p) { return driver_name(p.param); });

}  // namespace
}  // namespace utask::engine
