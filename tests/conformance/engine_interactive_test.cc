// Conformance: the interactive entries of original/expectations.json, each as the original's
// test drives it (runs, edits of the stored resolution between runs, refusals). Entries that
// need an action not written yet are skipped naming it (README.md).

#include <future>

#include "engine_cases.h"

namespace utask::engine {
namespace {

using conformance::check;
using conformance::check_all;
using conformance::entry;
using conformance::expectations;
using conformance::missing_actions;
using testing::create;
using testing::Fixture;
using testing::json;

// ---- interactive entries ----

const std::set<std::string> kInteractiveTests = {
    "TestStepMaxRetries", "TestStepConditionStates", "TestResolutionStateCrashed",
    "TestResolutionStateCancelled", "TestResolutionStateDone", "TestResolutionStateRunning",
    "TestAsyncResolve", "TestForeachWithChainedIterations",
    "TestForeachWithChainedIterationsWithDepOnParent", "TestForeachWithPreRun/true",
    "TestForeachWithErrors", "TestRetryLoop", "TestOutputTemplatingError/phase1",
    "TestOutputTemplatingError/phase2", "TestOutputTemplatingError/phase3",
    "TestOutputTemplatingError/phase4", "TestResolveSubTask", "TestResolveSubTaskParentTaskPaused",
    "TestBatch", "TestWakeParent"};

TEST(Interactive, EveryInteractiveCaseHasATest) {
  for (const auto& e : expectations()) {
    if (!e.value("interactive", false)) continue;
    EXPECT_TRUE(kInteractiveTests.count(e["name"].get<std::string>())) << e["name"];
  }
}

TEST(Interactive, StepMaxRetries) {
  const Json& e = entry("TestStepMaxRetries");
  auto f = create("stepMaxRetries.yaml", Json::object());
  ASSERT_TRUE(f.ok());
  check(*f, e["expect"]["before_run"], "before run");
  EXPECT_EQ(f->resolution.state, "TODO");
  EXPECT_EQ(f->step("stepOne").try_count, 0);
  EXPECT_EQ(f->step("stepOne").definition.max_retries, 1);
  const int64_t expected_tries[] = {1, 2, 2};
  const char* expected_states[] = {"ERROR", "ERROR", "BLOCKED_FATAL"};
  for (int run = 0; run < 3; ++run) {
    ASSERT_TRUE(f->run().ok());
    check(*f, e["expect"]["derived"]["per_run"][run], "run " + std::to_string(run + 1));
    EXPECT_EQ(f->step("stepOne").try_count, expected_tries[run]) << "run " << run + 1;
    EXPECT_EQ(f->resolution.state, expected_states[run]) << "run " << run + 1;
  }
  check_all(*f, e["expect"], "TestStepMaxRetries");
  EXPECT_EQ(f->step("stepOne").error, "Step reached max retries 1: server error");
}

TEST(Interactive, StepConditionStates) {
  const Json& e = entry("TestStepConditionStates");
  auto f = create("stepCondition.yaml", Json::object());
  ASSERT_TRUE(f.ok());
  check(*f, e["expect"]["before_run"], "before run");
  ASSERT_TRUE(f->run().ok());
  check(*f, e["expect"]["after_run_1"], "after run 1");
  ASSERT_TRUE(f->run().ok());
  check_all(*f, e["expect"], "after run 2");
}

void run_refused(const std::string& state, const std::string& message) {
  auto f = create("stepCondition.yaml", Json::object());
  ASSERT_TRUE(f.ok());
  f->resolution.state = state;
  auto report = f->run();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message, message);
  EXPECT_EQ(f->resolution.state, state);
}

TEST(Interactive, ResolutionStateCancelled) { run_refused("CANCELLED", "Can't run resolution: cancelled"); }
TEST(Interactive, ResolutionStateDone) { run_refused("DONE", "Can't run resolution: already done"); }
TEST(Interactive, ResolutionStateRunning) { run_refused("RUNNING", "Can't run resolution: already running"); }

TEST(Interactive, ResolutionStateCrashed) {
  auto f = create("stepCondition.yaml", Json::object());
  ASSERT_TRUE(f.ok());
  f->resolution.state = "CRASHED";
  f->step("stepOne").state = "RUNNING";
  int executions = 0;
  auto report = f->run([&](const Execution& x) {
    ++executions;
    return x.action->execute(x.request());
  });
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->ran);
  EXPECT_EQ(executions, 0);
  EXPECT_EQ(f->resolution.state, "BLOCKED_TOCHECK");
  EXPECT_EQ(f->step("stepOne").state, "CRASHED");
  EXPECT_EQ(f->resolution.task.state, "BLOCKED");
}

TEST(Interactive, AsyncResolve) {
  auto f = create("stepCondition.yaml", Json::object());
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->step("stepOne").state, "TODO");
  EXPECT_EQ(f->resolution.state, "TODO");
  auto launched = std::async(std::launch::async, [&] { return f->run(); });
  auto report = launched.get();
  EXPECT_TRUE(report.ok());
}

// A27/A28's edits of generateItems.
void chain_iterations(Fixture& f, bool dep_on_parent) {
  StepState& g = f.step("generateItems");
  g.definition.conditions.at(0).then["this"] = "DONE";
  model::Condition check;
  check.type = "check";
  check.foreach = "children";
  check.if_.push_back({"{{.iterator}}", "EQ", "d", ",", ""});
  check.then["this"] = "SERVER_ERROR";
  g.definition.conditions.push_back(check);
  g.definition.foreach_strategy = "sequence";
  if (dep_on_parent) g.definition.dependencies = {"emptyLoop"};
}

TEST(Interactive, ForeachWithChainedIterations) {
  for (const char* name : {"TestForeachWithChainedIterations", "TestForeachWithChainedIterationsWithDepOnParent"}) {
    const Json& e = entry(name);
    auto f = create("foreach.yaml", e["inputs"]);
    ASSERT_TRUE(f.ok());
    chain_iterations(*f, std::string(name).find("DepOnParent") != std::string::npos);
    ASSERT_TRUE(f->run().ok());
    check_all(*f, e["expect"], name);
  }
}

TEST(Interactive, ForeachWithPreRunTrue) {
  const Json& e = entry("TestForeachWithPreRun/true");
  auto f = create("foreachAndPreRun.yaml", Json::object());
  ASSERT_TRUE(f.ok());
  for (const char* s : {"stepForeachPrune", "stepDepOnForeachPrune", "stepForeachPruneParentTask",
                        "stepDepOnForeachPruneParentTask"}) {
    f->step(s).state = "TO_RETRY";
  }
  ASSERT_TRUE(f->run().ok());
  check_all(*f, e["expect"], "TestForeachWithPreRun/true");
}

TEST(Interactive, ForeachWithErrors) {
  const Json& e = entry("TestForeachWithErrors");
  auto f = create("foreach.yaml", e["inputs"]);
  ASSERT_TRUE(f.ok());
  f->step("generateItems").state = "FATAL_ERROR";
  ASSERT_TRUE(f->run().ok());
  check_all(*f, e["expect"], "TestForeachWithErrors");
  EXPECT_EQ(f->step("generateItems").state, "FATAL_ERROR");
  EXPECT_EQ(f->step("emptyLoop").state, "DONE");
  for (const char* s : {"concatItems", "bStep", "finalStep"}) EXPECT_EQ(f->step(s).state, "TODO") << s;
}

TEST(Interactive, RetryLoop) {
  auto f = create("retryloop.yaml", nullptr);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->run().ok());
  EXPECT_EQ(f->resolution.state, "ERROR");
  EXPECT_EQ(f->step("generateItems").state, "TO_RETRY");
  EXPECT_TRUE(f->step("generateItems").children_steps.empty());
  EXPECT_FALSE(f->resolution.steps.count("generateItems-0"));
  ASSERT_TRUE(f->resolution.next_retry && f->resolution.last_stop);
  EXPECT_EQ(*f->resolution.next_retry - *f->resolution.last_stop, std::chrono::seconds(8));

  f->step("generateItems").definition.conditions.clear();
  ASSERT_TRUE(f->run().ok());
  EXPECT_EQ(f->resolution.state, "DONE");
  EXPECT_TRUE(f->step("generateItems").children_steps.empty());
  ASSERT_EQ(f->step("generateItems").children.size(), 3u);
  EXPECT_EQ(f->step("generateItems").children[0]["output"]["foo"], "foo-a");
}

TEST(Interactive, OutputTemplatingError) {
  struct Phase {
    const char* strategy;
    const char* format;
    const char* error;
  } phases[] = {
      {"template", "{{ index .foo.unknown 3 }}", "unable to format output: Templating error: template:"},
      {"merge", "{{ index .foo.unknown 3 }}", "failed to template base output: Templating error: template:"},
      {"template", "{{ index .step.stepOne.output.foo.unknown 3 }}", "unable to format output: Templating error: template:"},
      {"merge", "{{ index .step.stepOne.output.foo.unknown 3 }}", "failed to template base output: Templating error: template:"},
  };
  for (const auto& p : phases) {
    auto f = create("no-output.yaml", Json::object());
    ASSERT_TRUE(f.ok());
    f->step("stepOne").definition.action.output = model::OutputSpec{p.strategy, Json{{"foo2", p.format}}};
    ASSERT_TRUE(f->run().ok());
    EXPECT_EQ(f->resolution.state, "BLOCKED_FATAL") << p.strategy << " " << p.format;
    EXPECT_EQ(f->step("stepOne").state, "FATAL_ERROR");
    EXPECT_NE(f->step("stepOne").error.find(p.error), std::string::npos) << f->step("stepOne").error;
  }
}

TEST(Interactive, ResolveSubTask) { SKIP_IF_ACTION_MISSING("subtask.yaml"); }
TEST(Interactive, ResolveSubTaskParentTaskPaused) { SKIP_IF_ACTION_MISSING("subtask.yaml"); }
TEST(Interactive, Batch) { SKIP_IF_ACTION_MISSING("batch.yaml"); }
TEST(Interactive, WakeParent) { SKIP_IF_ACTION_MISSING("noOutputSubtask.yaml"); }

}  // namespace
}  // namespace utask::engine
