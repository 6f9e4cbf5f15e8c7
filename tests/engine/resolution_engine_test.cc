// The façade's contract, driven step by step as the actors will drive it.

#include "engine/resolution_engine.h"

#include <gtest/gtest.h>

#include "engine/operator_edits.h"
#include "harness.h"

namespace utask::engine {
namespace {

using testing::create_from;
using testing::Fixture;
using testing::json;
using testing::template_from_yaml;

Fixture make(const std::string& steps_yaml, const Json& inputs = Json::object()) {
  auto tmpl = template_from_yaml("name: test-template\ndescription: test template\ntitle_format: title {{.input.x}}\ninputs: [{name: x, optional: true}]\n" + steps_yaml);
  EXPECT_TRUE(tmpl.ok()) << tmpl.error().message;
  auto f = create_from(std::move(*tmpl), inputs);
  EXPECT_TRUE(f.ok()) << f.error().message;
  return std::move(*f);
}

const char* kTwoSteps = R"(
steps:
  a:
    description: first
    action: {type: echo, configuration: {output: {v: "{{.input.x}}"}}}
  b:
    description: second
    dependencies: [a]
    action: {type: echo, configuration: {output: {v: "{{.step.a.output.v}}-b"}}}
)";

TEST(Engine, RefusesFinishedOrRunningResolutions) {
  for (auto [state, message] : {std::pair{"CANCELLED", "Can't run resolution: cancelled"},
                                std::pair{"RUNNING", "Can't run resolution: already running"},
                                std::pair{"DONE", "Can't run resolution: already done"}}) {
    Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
    f.resolution.state = state;
    ResolutionEngine engine(f.resolution, f.context());
    auto begun = engine.begin_run(testing::fixed_now());
    ASSERT_FALSE(begun.ok());
    EXPECT_EQ(begun.error().message, message);
    EXPECT_EQ(f.resolution.state, state);
    EXPECT_EQ(f.resolution.run_count, 0);
  }
}

TEST(Engine, DispatchesInDependencyOrderAndReportsChanges) {
  Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
  ResolutionEngine engine(f.resolution, f.context());
  ASSERT_EQ(*engine.begin_run(testing::fixed_now()), BeginOutcome::started);
  EXPECT_EQ(f.resolution.state, "RUNNING");
  EXPECT_EQ(f.resolution.run_count, 1);
  EXPECT_EQ(f.resolution.task.title, "title 1");
  Changes begin = engine.take_changes();
  EXPECT_TRUE(begin.resolution);

  auto first = engine.next_executions();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].step_name, "a");
  EXPECT_EQ(to_json_text(first[0].configuration), R"({"output":{"v":"1"}})");
  EXPECT_EQ(engine.in_flight(), 1u);
  EXPECT_EQ(f.step("a").state, "RUNNING");
  EXPECT_TRUE(engine.take_changes().steps.count("a"));

  ASSERT_TRUE(engine.apply_result(first[0].id, first[0].action->execute(first[0].request()),
                                  testing::fixed_now()).ok());
  EXPECT_EQ(f.step("a").state, "DONE");
  EXPECT_EQ(f.step("a").try_count, 1);
  Changes after_a = engine.take_changes();
  EXPECT_TRUE(after_a.steps.count("a"));
  EXPECT_TRUE(after_a.steps.count("b"));  // dispatched: RUNNING

  auto second = engine.next_executions();
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(to_json_text(second[0].configuration), R"({"output":{"v":"1-b"}})");
  EXPECT_FALSE(engine.apply_result(999, {}, testing::fixed_now()).ok());  // unknown id
  ASSERT_TRUE(engine.apply_result(second[0].id, second[0].action->execute(second[0].request()),
                                  testing::fixed_now()).ok());
  EXPECT_TRUE(engine.next_executions().empty());
  EXPECT_FALSE(engine.apply_result(second[0].id, {}, testing::fixed_now()).ok());  // twice

  RunEnd end = engine.finish(testing::fixed_now());
  EXPECT_EQ(end.resolution_state, "DONE");
  EXPECT_EQ(end.task_state, "DONE");
  EXPECT_EQ(end.steps_done, 2);
  EXPECT_FALSE(end.next_retry);
}

TEST(Engine, ErrorKindsDecideTheStepState) {
  struct Case {
    actions::ErrorKind kind;
    const char* step_state;
    const char* resolution_state;
  } cases[] = {{actions::ErrorKind::client, "CLIENT_ERROR", "BLOCKED_BADREQUEST"},
               {actions::ErrorKind::server, "SERVER_ERROR", "ERROR"},
               {actions::ErrorKind::not_provisioned, "TO_RETRY", "ERROR"},
               {actions::ErrorKind::not_assigned, "WAITING", "WAITING"},
               {actions::ErrorKind::fatal, "FATAL_ERROR", "BLOCKED_FATAL"}};
  for (const auto& c : cases) {
    Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
    auto report = f.run([&](const Execution&) {
      auto r = actions::ActionResult::failure(c.kind, "nope");
      r.output = json(R"({"kept":true})");
      return r;
    });
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(f.step("a").state, c.step_state);
    EXPECT_EQ(f.step("a").error, "nope");
    EXPECT_EQ(to_json_text(f.step("a").output), R"({"kept":true})");
    EXPECT_EQ(f.step("b").state, "TODO");
    EXPECT_EQ(f.resolution.state, c.resolution_state);
  }
}

TEST(Engine, WaitingStepsAreRetriedOnceAtTheEndOfTheRun) {
  Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
  int calls = 0;
  auto report = f.run([&](const Execution&) {
    ++calls;
    return actions::ActionResult::failure(actions::ErrorKind::not_assigned, "wait");
  });
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(f.step("a").try_count, 2);
  EXPECT_EQ(f.resolution.state, "WAITING");
  EXPECT_EQ(f.resolution.task.state, "WAITING");
}

TEST(Engine, CrashRecoveryReRunsIdempotentStepsOnly) {
  Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
  f.resolution.state = "CRASHED";
  f.step("a").state = "RUNNING";
  f.step("a").definition.idempotent = true;
  auto report = f.run();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ran);
  EXPECT_EQ(f.resolution.state, "DONE");

  Fixture g = make(kTwoSteps, json(R"({"x":"1"})"));
  g.resolution.state = "CRASHED";
  g.step("a").state = "RUNNING";
  auto blocked = g.run();
  ASSERT_TRUE(blocked.ok());
  EXPECT_FALSE(blocked->ran);
  EXPECT_EQ(g.resolution.state, "BLOCKED_TOCHECK");
  EXPECT_EQ(g.resolution.task.state, "BLOCKED");
  EXPECT_EQ(g.step("a").state, "CRASHED");
  EXPECT_EQ(g.resolution.run_count, 0);
}

TEST(Engine, AbandonedExecutionsEndToRetry) {
  Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
  ResolutionEngine engine(f.resolution, f.context());
  ASSERT_TRUE(engine.begin_run(testing::fixed_now()).ok());
  auto first = engine.next_executions();
  ASSERT_EQ(first.size(), 1u);
  ASSERT_TRUE(engine.abandon(first[0].id, testing::fixed_now()).ok());
  EXPECT_EQ(f.step("a").state, "TO_RETRY");
  EXPECT_EQ(f.step("a").try_count, 0);
  EXPECT_TRUE(engine.next_executions(/*shutting_down=*/true).empty());
  EXPECT_EQ(engine.finish(testing::fixed_now()).resolution_state, "ERROR");
}

TEST(Engine, StepsStillRunningAtFinishCrashTheResolution) {
  Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
  ResolutionEngine engine(f.resolution, f.context());
  ASSERT_TRUE(engine.begin_run(testing::fixed_now()).ok());
  ASSERT_EQ(engine.next_executions().size(), 1u);
  RunEnd end = engine.finish(testing::fixed_now());
  EXPECT_EQ(end.resolution_state, "CRASHED");
  ASSERT_TRUE(end.next_retry);
  EXPECT_EQ(*end.next_retry - testing::fixed_now(), std::chrono::hours(1));
}

TEST(Engine, PreHookRunsFirstAndFeedsTheMainAction) {
  Fixture f = make(R"(
steps:
  a:
    description: with a pre_hook
    pre_hook: {type: echo, configuration: {output: {token: abc}}}
    action: {type: echo, configuration: {output: {v: "{{.pre_hook.output.token}}"}}}
)");
  std::vector<Execution::Phase> phases;
  auto report = f.run([&](const Execution& e) {
    phases.push_back(e.phase);
    return e.action->execute(e.request());
  });
  ASSERT_TRUE(report.ok());
  ASSERT_EQ(phases.size(), 2u);
  EXPECT_EQ(phases[0], Execution::Phase::pre_hook);
  EXPECT_EQ(to_json_text(f.step("a").output), R"({"v":"abc"})");
  EXPECT_EQ(f.step("a").try_count, 1);
}

TEST(Engine, PreHookFailureIsFatalWithoutATry) {
  Fixture f = make(R"(
steps:
  a:
    description: with a failing pre_hook
    pre_hook: {type: echo, configuration: {error_message: denied}}
    action: {type: echo, configuration: {output: x}}
)");
  ASSERT_TRUE(f.run().ok());
  EXPECT_EQ(f.step("a").state, "FATAL_ERROR");
  EXPECT_EQ(f.step("a").error, "prehook: denied");
  EXPECT_EQ(f.step("a").try_count, 0);
}

TEST(Engine, JsonSchemaRejectsOutputs) {
  const char* yaml = R"(
steps:
  a:
    description: checked output
    json_schema: {type: object, required: [id], properties: {id: {type: string}}}
    action: {type: echo, configuration: {output: {id: "{{.input.x}}"}}}
)";
  Fixture ok = make(yaml, json(R"({"x":"1"})"));
  ASSERT_TRUE(ok.run().ok());
  EXPECT_EQ(ok.step("a").state, "DONE");

  Fixture bad = make(yaml, json(R"({"x":"1"})"));
  auto report = bad.run([](const Execution&) {
    actions::ActionResult r;
    r.output = json(R"({"id":3})");
    return r;
  });
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(bad.step("a").state, "FATAL_ERROR");
  EXPECT_FALSE(bad.step("a").error.empty());
}

TEST(Engine, TagsReturnedByActionsReachTheTask) {
  Fixture f = make(kTwoSteps, json(R"({"x":"1"})"));
  f.resolution.task.tags["old"] = "1";
  auto report = f.run([](const Execution& e) {
    actions::ActionResult r;
    r.tags = e.step_name == "a" ? std::map<std::string, std::string>{{"new", "v"}}
                                : std::map<std::string, std::string>{{"old", ""}};
    return r;
  });
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(f.resolution.task.tags, (std::map<std::string, std::string>{{"new", "v"}}));
}

TEST(Engine, ResultIsRenderedWhenDone) {
  auto tmpl = template_from_yaml(R"(
name: test-template
description: test template
title_format: title
result_format:
  "{{.step.a.output.k}}": "{{.step.a.output.v}}"
  nested: {num: "{{.step.a.output.v}}", kept: [1, 2]}
steps:
  a:
    description: a
    action: {type: echo, configuration: {output: {k: key, v: value}}}
)");
  ASSERT_TRUE(tmpl.ok()) << tmpl.error().message;
  auto f = create_from(std::move(*tmpl), Json::object());
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->run().ok());
  EXPECT_EQ(to_json_text(f->resolution.task.result),
            R"({"key":"value","nested":{"kept":[1,2],"num":"value"}})");
}

// An operator gives resolver inputs to a paused resolution; the next run (as the retry
// collector would start it) sees them.
TEST(Engine, ResolverInputsGivenBetweenRuns) {
  auto tmpl = template_from_yaml(R"(
name: test-template
description: test template
title_format: title
resolver_inputs: [{name: go, optional: true}]
steps:
  a:
    description: waits for a go
    action: {type: echo, configuration: {output: {go: "{{.resolver_input.go}}"}}}
    conditions:
      - type: check
        if: [{value: "{{.step.this.output.go}}", operator: NE, expected: "yes"}]
        then: {this: TO_RETRY}
        message: "no go: {{.step.this.output.go}}"
)");
  ASSERT_TRUE(tmpl.ok()) << tmpl.error().message;
  auto f = create_from(std::move(*tmpl), Json::object());
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_TRUE(f->run().ok());
  EXPECT_EQ(f->resolution.state, "ERROR");
  EXPECT_EQ(f->step("a").state, "TO_RETRY");
  EXPECT_EQ(f->step("a").error, "no go: <no value>");
  EXPECT_EQ(f->step("a").definition.conditions[0].message, "no go: <no value>");  // persisted
  ASSERT_TRUE(f->resolution.next_retry.has_value());

  EXPECT_FALSE(set_resolver_inputs(f->resolution, json(R"({"go":"yes"})")).ok());  // not paused
  ASSERT_TRUE(pause(f->resolution, false).ok());
  ASSERT_TRUE(set_resolver_inputs(f->resolution, json(R"({"go":"yes"})")).ok());
  ASSERT_TRUE(f->run().ok());
  EXPECT_EQ(f->resolution.state, "DONE");
  EXPECT_EQ(f->step("a").try_count, 2);
  EXPECT_EQ(f->resolution.run_count, 2);
}

// A step with a pending RETRY_NOW loops inside one run, bounded by max_retries.
TEST(Engine, RetryNowLoopsWithinTheRun) {
  auto tmpl = template_from_yaml(R"(
name: test-template
description: test template
title_format: title
steps:
  loop:
    description: counts to 3
    max_retries: 10
    action:
      type: echo
      configuration: {output: {count: "{{ add1 (default 0 .step.this.output.count) }}"}}
    conditions:
      - type: check
        if: [{value: "{{.step.this.output.count}}", operator: LT, expected: "3"}]
        then: {this: RETRY_NOW}
)");
  ASSERT_TRUE(tmpl.ok()) << tmpl.error().message;
  auto f = create_from(std::move(*tmpl), Json::object());
  ASSERT_TRUE(f.ok());
  auto report = f->run();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->executions, 3) << f->step("loop").error << " " << to_json_text(f->step("loop").output);
  EXPECT_EQ(f->step("loop").state, "DONE");
  EXPECT_EQ(f->step("loop").output["count"], "3");
  EXPECT_EQ(f->resolution.state, "DONE");
}

}  // namespace
}  // namespace utask::engine
