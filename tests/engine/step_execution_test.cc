// The execution pipeline of one step (engine.md §4.7): what reaches the action, and what its
// result does to the step.

#include "engine/step_execution.h"

#include <gtest/gtest.h>

#include "harness.h"

namespace utask::engine {
namespace {

using testing::json;

// An action that declares a context and resources, to see what the engine renders for them.
class ProbeAction final : public actions::Action {
 public:
  std::string_view name() const override { return "probe"; }
  std::string_view version() const override { return "test"; }
  Result<void> validate(const Json&, const Json&) const override { return {}; }
  Json context_template(std::string_view step_name) const override {
    return Json{{"step", std::string(step_name)}, {"task", "{{.task.task_id}}"},
                {"previous", "{{.step.this.output.n}}"}};
  }
  std::vector<std::string> resources(const Json& configuration) const override {
    return {"probe:" + configuration.value("target", std::string()), "fork"};
  }
  actions::ActionResult execute(const actions::ExecutionRequest& r) const override {
    actions::ActionResult out;
    out.output = Json{{"n", "1"}, {"context", r.context}};
    return out;
  }
};

const actions::ActionRegistry& probe_registry() {
  static const actions::ActionRegistry r = [] {
    auto reg = actions::ActionRegistry::with_builtins();
    (void)reg.add_action(std::make_shared<const ProbeAction>());
    // A plugin known by name but without an executable action (not loaded yet).
    (void)reg.add_plugin(actions::PluginEntry{"unloaded", "0.1", {}, std::nullopt, nullptr});
    return reg;
  }();
  return r;
}

struct Probe {
  testing::Fixture f;
  std::vector<Execution> seen;

  explicit Probe(const std::string& steps) {
    auto tmpl = model::parse_template_yaml(
        "name: probe-template\ndescription: probe\ntitle_format: title\n" + steps, "probe.yaml");
    EXPECT_TRUE(tmpl.ok()) << tmpl.error().message;
    auto created = testing::create_from(std::move(*tmpl), Json::object());
    EXPECT_TRUE(created.ok()) << created.error().message;
    f = std::move(*created);
  }
  Result<RunReport> run(LocalRunner::Executor executor = {}) {
    EngineContext ctx = f.context();
    ctx.registry = &probe_registry();
    LocalRunner runner(ctx, [&](const Execution& e) {
      seen.push_back(e);
      return executor ? executor(e) : e.action->execute(e.request());
    });
    return runner.run(f.resolution);
  }
};

TEST(StepExecution, ContextAndResourcesAreRendered) {
  Probe p(R"(
steps:
  a:
    description: a
    resources: [fork, shared]
    execution_delay: 1500000000
    action: {type: probe, configuration: {target: "{{.task.task_id}}"}}
)");
  ASSERT_TRUE(p.run().ok());
  ASSERT_EQ(p.seen.size(), 1u);
  const Execution& e = p.seen[0];
  EXPECT_EQ(e.action_type, "probe");
  EXPECT_EQ(e.delay, std::chrono::milliseconds(1500));
  const std::string task_id = p.f.resolution.task.id;
  EXPECT_EQ(e.resources, (std::vector<std::string>{"fork", "probe:" + task_id, "shared"}));
  EXPECT_EQ(to_json_text(e.context),
            R"({"previous":"<no value>","step":"a","task":")" + task_id + R"("})");
  EXPECT_EQ(p.f.step("a").state, "DONE");
}

TEST(StepExecution, ResourcesNotAcquiredMeanRetryLater) {
  Probe p(R"(
steps:
  a:
    description: a
    action: {type: echo, configuration: {output: x}}
)");
  ASSERT_TRUE(p.run([](const Execution&) { return resources_unavailable(); }).ok());
  EXPECT_EQ(p.f.step("a").state, "TO_RETRY");
  EXPECT_EQ(p.f.step("a").error, "failed to acquire resources");
  EXPECT_EQ(p.f.step("a").try_count, 1);
  EXPECT_EQ(p.f.resolution.state, "ERROR");
}

TEST(StepExecution, MissingBaseConfigurationIsFatal) {
  Probe p(R"(
base_configurations:
  base: {output: from-base}
steps:
  a:
    description: a
    action: {type: echo, base_configuration: base, configuration: {}}
)");
  p.f.resolution.base_configurations = Json::object();  // edited away after creation
  ASSERT_TRUE(p.run().ok());
  EXPECT_TRUE(p.seen.empty());
  EXPECT_EQ(p.f.step("a").state, "FATAL_ERROR");
  EXPECT_EQ(p.f.step("a").error, "could not find base configuration 'base'");
}

TEST(StepExecution, BaseConfigurationReachesTheActionRendered) {
  Probe p(R"(
base_configurations:
  base: {output: "{{.task.task_id}}"}
steps:
  a:
    description: a
    action: {type: echo, base_configuration: base, configuration: {metadata: {m: 1}}}
)");
  ASSERT_TRUE(p.run().ok());
  ASSERT_EQ(p.seen.size(), 1u);
  EXPECT_EQ(p.seen[0].base_configuration["output"], p.f.resolution.task.id);
  EXPECT_EQ(p.f.step("a").output, p.f.resolution.task.id);
}

TEST(StepExecution, MergeFormatMustBeAnObject) {
  Probe p(R"(
steps:
  a:
    description: a
    action: {type: echo, configuration: {output: {x: 1}}, output: {strategy: merge, format: {k: v}}}
)");
  p.f.step("a").definition.action.output->format = json("[1]");
  ASSERT_TRUE(p.run().ok());
  EXPECT_EQ(p.f.step("a").state, "FATAL_ERROR");
  EXPECT_EQ(p.f.step("a").error, "failed to template merge output: merge output not a map");
}

TEST(StepExecution, MergeKeepsThePluginKeysAndPersistsTheRenderedFormat) {
  Probe p(R"(
steps:
  a:
    description: a
    action:
      type: echo
      configuration: {output: {x: plugin}}
      output: {strategy: merge, format: {x: format, who: "{{.task.task_id}}"}}
)");
  ASSERT_TRUE(p.run().ok());
  const std::string id = p.f.resolution.task.id;
  EXPECT_EQ(to_json_text(p.f.step("a").output), R"({"who":")" + id + R"(","x":"plugin"})");
  EXPECT_EQ(p.f.step("a").definition.action.output->format["who"], id);
}

TEST(StepExecution, ErrorKindsMapToStates) {
  EXPECT_EQ(state_for_error(actions::ErrorKind::client), "CLIENT_ERROR");
  EXPECT_EQ(state_for_error(actions::ErrorKind::not_assigned), "WAITING");
  EXPECT_EQ(state_for_error(actions::ErrorKind::not_provisioned), "TO_RETRY");
  EXPECT_EQ(state_for_error(actions::ErrorKind::server), "SERVER_ERROR");
  EXPECT_EQ(state_for_error(actions::ErrorKind::fatal), "FATAL_ERROR");
}

TEST(StepExecution, ActionsWithoutAnImplementationFailTheStep) {
  Probe p(R"(
steps:
  a:
    description: a
    action: {type: unloaded, configuration: {url: "http://127.0.0.1:1"}}
)");
  ASSERT_TRUE(p.run().ok());
  EXPECT_TRUE(p.seen.empty());
  EXPECT_EQ(p.f.step("a").state, "FATAL_ERROR");
  EXPECT_EQ(p.f.step("a").error, "No executable action for type 'unloaded'");
}

}  // namespace
}  // namespace utask::engine
