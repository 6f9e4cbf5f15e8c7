// Conformance: the interactive entries of original/expectations.json, each as the original's
// test drives it (runs, edits of the stored resolution between runs, refusals), on every
// driver (conformance_driver.h). The scenarios with child tasks are in child_tasks_test.cc.

#include <future>

#include "engine_cases.h"

namespace utask::engine {
namespace {

using conformance::all_drivers;
using conformance::check;
using conformance::check_all;
using conformance::Driver;
using conformance::driver_name;
using conformance::DriverKind;
using conformance::entry;
using conformance::expectations;
using conformance::make_driver;
using testing::json;

class Interactive : public ::testing::TestWithParam<DriverKind> {
 protected:
  void SetUp() override { d = make_driver(GetParam()); }
  void create(const std::string& file, const Json& inputs) {
    auto created = d->create(file, inputs);
    ASSERT_TRUE(created.ok()) << created.error().message;
  }
  void run() {
    auto ran = d->run();
    ASSERT_TRUE(ran.ok()) << ran.error().message;
  }
  void edit(const std::function<void(ResolutionState&)>& change) {
    auto edited = d->edit(change);
    ASSERT_TRUE(edited.ok()) << edited.error().message;
  }
  const ResolutionState& r() { return d->resolution(); }
  std::unique_ptr<Driver> d;
};

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

TEST(InteractiveCases, EveryInteractiveCaseHasATest) {
  for (const auto& e : expectations()) {
    if (!e.value("interactive", false)) continue;
    EXPECT_TRUE(kInteractiveTests.count(e["name"].get<std::string>())) << e["name"];
  }
}

TEST_P(Interactive, StepMaxRetries) {
  const Json& e = entry("TestStepMaxRetries");
  ASSERT_NO_FATAL_FAILURE(create("stepMaxRetries.yaml", Json::object()));
  check(r(), e["expect"]["before_run"], "before run");
  EXPECT_EQ(r().state, "TODO");
  EXPECT_EQ(d->step("stepOne").try_count, 0);
  EXPECT_EQ(d->step("stepOne").definition.max_retries, 1);
  const int64_t expected_tries[] = {1, 2, 2};
  const char* expected_states[] = {"ERROR", "ERROR", "BLOCKED_FATAL"};
  for (int n = 0; n < 3; ++n) {
    ASSERT_NO_FATAL_FAILURE(run());
    check(r(), e["expect"]["derived"]["per_run"][n], "run " + std::to_string(n + 1));
    EXPECT_EQ(d->step("stepOne").try_count, expected_tries[n]) << "run " << n + 1;
    EXPECT_EQ(r().state, expected_states[n]) << "run " << n + 1;
  }
  check_all(r(), e["expect"], "TestStepMaxRetries");
  EXPECT_EQ(d->step("stepOne").error, "Step reached max retries 1: server error");
}

TEST_P(Interactive, StepConditionStates) {
  const Json& e = entry("TestStepConditionStates");
  ASSERT_NO_FATAL_FAILURE(create("stepCondition.yaml", Json::object()));
  check(r(), e["expect"]["before_run"], "before run");
  ASSERT_NO_FATAL_FAILURE(run());
  check(r(), e["expect"]["after_run_1"], "after run 1");
  ASSERT_NO_FATAL_FAILURE(run());
  check_all(r(), e["expect"], "after run 2");
}

// A run refused in `state`: the error is the original's and the resolution is unchanged.
void run_refused(Driver& d, const std::string& state, const std::string& message) {
  ASSERT_TRUE(d.create("stepCondition.yaml", Json::object()).ok());
  if (state == "RUNNING") {
    auto held = d.hold_run_elsewhere();
    ASSERT_TRUE(held.ok()) << held.error().message;
  } else {
    ASSERT_TRUE(d.edit([&](ResolutionState& r) { r.state = state; }).ok());
  }
  auto report = d.run();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.error().message, message);
  EXPECT_EQ(d.resolution().state, state);
  EXPECT_EQ(d.resolution().run_count, 0);
  EXPECT_EQ(d.step("stepOne").state, "TODO");
}

TEST_P(Interactive, ResolutionStateCancelled) { run_refused(*d, "CANCELLED", "Can't run resolution: cancelled"); }
TEST_P(Interactive, ResolutionStateDone) { run_refused(*d, "DONE", "Can't run resolution: already done"); }
TEST_P(Interactive, ResolutionStateRunning) { run_refused(*d, "RUNNING", "Can't run resolution: already running"); }

TEST_P(Interactive, ResolutionStateCrashed) {
  ASSERT_NO_FATAL_FAILURE(create("stepCondition.yaml", Json::object()));
  ASSERT_NO_FATAL_FAILURE(edit([](ResolutionState& s) {
    s.state = "CRASHED";
    s.steps.at("stepOne").state = "RUNNING";
  }));
  auto report = d->run();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_FALSE(report->ran);
  EXPECT_EQ(d->step("stepOne").try_count, 0) << "nothing executed";
  EXPECT_EQ(r().state, "BLOCKED_TOCHECK");
  EXPECT_EQ(d->step("stepOne").state, "CRASHED");
  EXPECT_EQ(r().task.state, "BLOCKED");
}

TEST_P(Interactive, AsyncResolve) {
  ASSERT_NO_FATAL_FAILURE(create("stepCondition.yaml", Json::object()));
  EXPECT_EQ(d->step("stepOne").state, "TODO");
  EXPECT_EQ(r().state, "TODO");
  auto launched = std::async(std::launch::async, [&] { return d->run(); });
  auto report = launched.get();
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(r().run_count, 1);
}

// A27/A28's edits of generateItems.
void chain_iterations(ResolutionState& r, bool dep_on_parent) {
  StepState& g = r.steps.at("generateItems");
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

TEST_P(Interactive, ForeachWithChainedIterations) {
  const Json& e = entry("TestForeachWithChainedIterations");
  ASSERT_NO_FATAL_FAILURE(create("foreach.yaml", e["inputs"]));
  ASSERT_NO_FATAL_FAILURE(edit([](ResolutionState& s) { chain_iterations(s, false); }));
  ASSERT_NO_FATAL_FAILURE(run());
  check_all(r(), e["expect"], "TestForeachWithChainedIterations");
}

TEST_P(Interactive, ForeachWithChainedIterationsWithDepOnParent) {
  const Json& e = entry("TestForeachWithChainedIterationsWithDepOnParent");
  ASSERT_NO_FATAL_FAILURE(create("foreach.yaml", e["inputs"]));
  ASSERT_NO_FATAL_FAILURE(edit([](ResolutionState& s) { chain_iterations(s, true); }));
  ASSERT_NO_FATAL_FAILURE(run());
  check_all(r(), e["expect"], "TestForeachWithChainedIterationsWithDepOnParent");
}

TEST_P(Interactive, ForeachWithPreRunTrue) {
  const Json& e = entry("TestForeachWithPreRun/true");
  ASSERT_NO_FATAL_FAILURE(create("foreachAndPreRun.yaml", Json::object()));
  ASSERT_NO_FATAL_FAILURE(edit([](ResolutionState& s) {
    for (const char* name : {"stepForeachPrune", "stepDepOnForeachPrune", "stepForeachPruneParentTask",
                             "stepDepOnForeachPruneParentTask"}) {
      s.steps.at(name).state = "TO_RETRY";
    }
  }));
  ASSERT_NO_FATAL_FAILURE(run());
  check_all(r(), e["expect"], "TestForeachWithPreRun/true");
}

TEST_P(Interactive, ForeachWithErrors) {
  const Json& e = entry("TestForeachWithErrors");
  ASSERT_NO_FATAL_FAILURE(create("foreach.yaml", e["inputs"]));
  ASSERT_NO_FATAL_FAILURE(edit([](ResolutionState& s) { s.steps.at("generateItems").state = "FATAL_ERROR"; }));
  ASSERT_NO_FATAL_FAILURE(run());
  check_all(r(), e["expect"], "TestForeachWithErrors");
  EXPECT_EQ(d->step("generateItems").state, "FATAL_ERROR");
  EXPECT_EQ(d->step("emptyLoop").state, "DONE");
  for (const char* s : {"concatItems", "bStep", "finalStep"}) EXPECT_EQ(d->step(s).state, "TODO") << s;
}

TEST_P(Interactive, RetryLoop) {
  ASSERT_NO_FATAL_FAILURE(create("retryloop.yaml", nullptr));
  ASSERT_NO_FATAL_FAILURE(run());
  const ResolutionState first = r();
  EXPECT_EQ(first.state, "ERROR");
  EXPECT_EQ(first.steps.at("generateItems").state, "TO_RETRY");
  EXPECT_TRUE(first.steps.at("generateItems").children_steps.empty());
  EXPECT_FALSE(first.steps.count("generateItems-0"));
  ASSERT_TRUE(first.next_retry && first.last_stop);
  EXPECT_EQ(*first.next_retry - *first.last_stop, std::chrono::seconds(8));

  ASSERT_NO_FATAL_FAILURE(edit([](ResolutionState& s) { s.steps.at("generateItems").definition.conditions.clear(); }));
  ASSERT_NO_FATAL_FAILURE(run());
  const ResolutionState second = r();
  EXPECT_EQ(second.state, "DONE");
  EXPECT_TRUE(second.steps.at("generateItems").children_steps.empty());
  ASSERT_EQ(second.steps.at("generateItems").children.size(), 3u);
  EXPECT_EQ(second.steps.at("generateItems").children[0]["output"]["foo"], "foo-a");
}

TEST_P(Interactive, OutputTemplatingError) {
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
    d = make_driver(GetParam());  // a new task per phase
    ASSERT_NO_FATAL_FAILURE(create("no-output.yaml", Json::object()));
    ASSERT_NO_FATAL_FAILURE(edit([&](ResolutionState& s) {
      s.steps.at("stepOne").definition.action.output = model::OutputSpec{p.strategy, Json{{"foo2", p.format}}};
    }));
    ASSERT_NO_FATAL_FAILURE(run());
    EXPECT_EQ(r().state, "BLOCKED_FATAL") << p.strategy << " " << p.format;
    EXPECT_EQ(d->step("stepOne").state, "FATAL_ERROR");
    EXPECT_NE(d->step("stepOne").error.find(p.error), std::string::npos) << d->step("stepOne").error;
  }
}

INSTANTIATE_TEST_SUITE_P(Drivers, Interactive, ::testing::ValuesIn(all_drivers()),
                         [](const auto& p) { return driver_name(p.param); });

}  // namespace
}  // namespace utask::engine
