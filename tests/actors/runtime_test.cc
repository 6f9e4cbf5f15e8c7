// The runtime end to end: real actors, real store (SQLite and Postgres), real timers.

#include <set>
#include <thread>

#include "actors/runtime_fixture.h"
#include "model/json.h"

namespace utask::testing {
namespace {

constexpr const char* kFiveEchoes = R"(
name: five-echoes
description: Five echo steps in a row
title_format: "echo {{.input.num}}"
inputs:
  - name: num
    description: a number
auto_runnable: true
steps:
  s1: {description: one, action: {type: echo, configuration: {output: {v: "{{.input.num}}"}}}}
  s2: {description: two, dependencies: [s1], action: {type: echo, configuration: {output: {v: "{{.step.s1.output.v}}-2"}}}}
  s3: {description: three, dependencies: [s2], action: {type: echo, configuration: {output: {v: "{{.step.s2.output.v}}-3"}}}}
  s4: {description: four, dependencies: [s3], action: {type: echo, configuration: {output: {v: "{{.step.s3.output.v}}-4"}}}}
  s5: {description: five, dependencies: [s4], action: {type: echo, configuration: {output: {v: "{{.step.s4.output.v}}-5"}}}}
result_format:
  last: "{{.step.s5.output.v}}"
)";

constexpr const char* kSlowStep = R"(
name: slow-step
description: One quick step, then one that waits before running
title_format: slow
auto_runnable: true
steps:
  quick: {description: quick, action: {type: echo, configuration: {output: {v: 1}}}}
  slow:
    description: slow
    idempotent: true
    dependencies: [quick]
    execution_delay: 1500ms
    action: {type: echo, configuration: {output: {v: 2}}}
)";

constexpr const char* kFailing = R"(
name: failing
description: A step that fails with a server error
title_format: failing
auto_runnable: true
steps:
  ok: {description: fine, action: {type: echo, configuration: {output: {v: 1}}}}
  ko: {description: broken, dependencies: [ok], action: {type: echo, configuration: {error_message: "FAIL!"}}}
)";

class RuntimeRunTest : public RuntimeTest {};

TEST_P(RuntimeRunTest, FiveStepEchoTaskCompletes) {
  add_template(kFiveEchoes);
  start_runtime();
  const auto rid = create_task("five-echoes", {{"num", "7"}});
  ASSERT_TRUE(wait_for_state(rid, "DONE"));
  auto r = resolution(rid);
  EXPECT_EQ(r.run_count, 1);
  ASSERT_EQ(r.steps.size(), 5u);
  for (const auto& s : r.steps) EXPECT_EQ(s.state, "DONE") << s.name;
  EXPECT_EQ(step(r, "s5")["output"]["v"], "7-2-3-4-5");
  EXPECT_EQ(step(r, "s3")["try_count"], 1);
  auto task = store().get_task(r.task_id);
  ASSERT_TRUE(task.ok());
  EXPECT_EQ(task->state, "DONE");
  EXPECT_EQ(task->steps_done, 5);
  EXPECT_EQ(*task->result_json, R"({"last":"7-2-3-4-5"})");
  EXPECT_FALSE(r.instance_id == std::nullopt);
}

TEST_P(RuntimeRunTest, ServerErrorEndsTheRunInErrorWithANextRetry) {
  add_template(kFailing);
  start_runtime();
  const auto rid = create_task("failing");
  ASSERT_TRUE(wait_for_state(rid, "ERROR"));
  auto r = resolution(rid);
  EXPECT_EQ(step(r, "ko")["state"], "SERVER_ERROR");
  EXPECT_EQ(step(r, "ko")["error"], "FAIL!");
  ASSERT_TRUE(r.next_retry.has_value());
  // engine.md §4.12: 8 s × 1.25^1 after the first try.
  const auto delay = *r.next_retry - *r.last_stop;
  EXPECT_GE(delay, std::chrono::seconds(9));
  EXPECT_LE(delay, std::chrono::seconds(11));
  auto task = store().get_task(r.task_id);
  EXPECT_EQ(task->state, "RUNNING");
}

TEST_P(RuntimeRunTest, AWokenErrorRunsAgain) {
  add_template(kFailing);
  auto& rt = start_runtime();
  const auto rid = create_task("failing");
  ASSERT_TRUE(wait_for_state(rid, "ERROR"));
  ASSERT_TRUE(store().wake_resolution(rid).ok());
  rt.wake();
  ASSERT_TRUE(wait_for(rid, [](const persistence::ResolutionRecord& r) { return r.run_count == 2 && r.state == "ERROR"; }));
  auto r = resolution(rid);
  EXPECT_EQ(step(r, "ko")["try_count"], 2);
  EXPECT_EQ(step(r, "ok")["try_count"], 1);  // a DONE step never runs again
}

TEST_P(RuntimeRunTest, TwoInstancesRunTwoHundredTasksEachOnce) {
  add_template(kFiveEchoes);
  auto second = open_store();
  start_runtime();
  start_runtime(second.get());
  stores_.push_back(std::move(second));
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(create_task("five-echoes", {{"num", std::to_string(i)}}));
  std::set<int64_t> instances;
  for (size_t i = 0; i < ids.size(); ++i) {
    ASSERT_TRUE(wait_for_state(ids[i], "DONE", std::chrono::seconds(60))) << i;
    auto r = resolution(ids[i]);
    EXPECT_EQ(r.run_count, 1) << i;
    for (const auto& s : r.steps) EXPECT_EQ(step(r, s.name)["try_count"], 1) << i << s.name;
    EXPECT_EQ(step(r, "s5")["output"]["v"], std::to_string(i) + "-2-3-4-5");
    instances.insert(*r.instance_id);
  }
  EXPECT_EQ(instances.size(), 2u) << "both instances took work";
}

TEST_P(RuntimeRunTest, ARevokedLeaseStopsTheRunWithoutWriting) {
  add_template(kSlowStep);
  start_runtime();
  const auto rid = create_task("slow-step");
  ASSERT_TRUE(wait_for(rid, [&](const persistence::ResolutionRecord& r) {
    return step(r, "slow")["state"] == "RUNNING";
  }));
  // A forced pause from an operator while the step runs.
  persistence::ResolutionChange pause;
  pause.state = "PAUSED";
  pause.revoke_lease = true;
  ASSERT_TRUE(store().update_resolution(rid, pause).ok());
  // The delayed step finishes after 1.5 s: its result must not land.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto r = resolution(rid);
  EXPECT_EQ(r.state, "PAUSED");
  EXPECT_EQ(step(r, "slow")["state"], "RUNNING");
  EXPECT_EQ(step(r, "quick")["state"], "DONE");
}

TEST_P(RuntimeRunTest, ShutdownCrashesTheRunAndAnotherInstanceRecoversIt) {
  add_template(kSlowStep);
  auto& first = start_runtime();
  const auto rid = create_task("slow-step");
  ASSERT_TRUE(wait_for(rid, [&](const persistence::ResolutionRecord& r) {
    return step(r, "slow")["state"] == "RUNNING";
  }));
  first.shutdown(std::chrono::milliseconds(50));
  auto r = resolution(rid);
  EXPECT_EQ(r.state, "CRASHED");
  // A new instance picks it up: the idempotent step runs again, the finished one does not.
  auto second = open_store();
  start_runtime(second.get());
  stores_.push_back(std::move(second));
  ASSERT_TRUE(wait_for_state(rid, "DONE"));
  r = resolution(rid);
  EXPECT_EQ(step(r, "quick")["try_count"], 1);
  EXPECT_EQ(step(r, "slow")["state"], "DONE");
  EXPECT_EQ(r.run_count, 2);
}

UTASK_RUNTIME_TEST_SUITE(RuntimeRunTest);

}  // namespace
}  // namespace utask::testing
