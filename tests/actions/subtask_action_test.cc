#include "actions/subtask/subtask_action.h"

#include <gtest/gtest.h>

#include "actions/catalog.h"
#include "fake_action_services.h"
#include "model/json.h"

namespace utask::actions {
namespace {

Json json(const char* text) { return parse_json(text).value(); }

class SubtaskTest : public ::testing::Test {
 protected:
  ActionResult run(const char* configuration, const std::string& previous_child = "") {
    ExecutionRequest r;
    r.configuration = json(configuration);
    r.context = Json{{"parent_task_id", "P1"},
                     {"task_id", previous_child},
                     {"requester_username", "alice"},
                     {"requester_groups", "devs,ops"}};
    r.task_id = "P1";
    r.resolution_id = "R1";
    r.step_name = "sub";
    r.services = &services_;
    return action_.execute(r);
  }
  testing::FakeActionServices services_;
  SubtaskAction action_{nullptr};
};

TEST_F(SubtaskTest, CreatesTheChildAsTheParentsRequester) {
  ActionResult r = run(R"({"template":"child","input":{"a":"x"},"tags":{"k":"v"},
      "watcher_usernames":"[\"w1\"]","resolver_groups":"[\"g1\",\"g2\"]","delay":"5m"})");
  ASSERT_EQ(services_.children.size(), 1u);
  const ChildTaskRequest& c = services_.children[0];
  EXPECT_EQ(c.template_name, "child");
  EXPECT_EQ(c.parent_task_id, "P1");
  EXPECT_EQ(c.requester.username, "alice");
  EXPECT_EQ(c.requester.groups, (std::vector<std::string>{"devs", "ops"}));
  EXPECT_EQ(to_json_text(c.input), R"({"a":"x"})");
  EXPECT_EQ(c.tags, (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_EQ(c.comment, "Auto created subtask, parent task P1");
  EXPECT_EQ(c.watcher_usernames, std::vector<std::string>{"w1"});
  EXPECT_EQ(c.resolver_groups, (std::vector<std::string>{"g1", "g2"}));
  EXPECT_TRUE(c.resolver_usernames.empty());
  ASSERT_TRUE(c.delay);
  EXPECT_EQ(*c.delay, std::chrono::minutes(5));

  // A child without a resolution waits for a person.
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_assigned);
  EXPECT_EQ(r.error->message, "Task \"child-1\" is waiting for human validation");
  EXPECT_EQ(to_json_text(r.output),
            R"({"id":"child-1","requester_username":"alice","resolver_username":null,"result":null,"state":"TODO"})");
  EXPECT_TRUE(r.metadata.is_null());
}

TEST_F(SubtaskTest, JsonInputReplacesInput) {
  run(R"({"template":"child","input":{"a":"x"},"json_input":"{\"quantity\": 1337}"})");
  ASSERT_EQ(services_.children.size(), 1u);
  EXPECT_EQ(to_json_text(services_.children[0].input), R"({"quantity":1337})");
}

TEST_F(SubtaskTest, ReRunsReloadTheChildInsteadOfCreatingOne) {
  services_.tasks["c9"] = TaskView{"c9", "DONE", json(R"({"foo":"OK"})"), "bob", "alice", true, std::nullopt};
  ActionResult r = run(R"({"template":"child"})", "c9");
  EXPECT_TRUE(services_.children.empty());
  EXPECT_FALSE(r.error);
  EXPECT_EQ(to_json_text(r.output),
            R"({"id":"c9","requester_username":"alice","resolver_username":"bob","result":{"foo":"OK"},"state":"DONE"})");

  r = run(R"({"template":"child"})", "unknown");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
}

TEST_F(SubtaskTest, ChildStatesMapToStepErrors) {
  struct Case {
    const char* state;
    bool has_resolution;
    std::optional<ErrorKind> kind;
    std::string message;
  } cases[] = {
      {"DONE", true, std::nullopt, ""},
      {"CANCELLED", true, ErrorKind::client, "Task 'c' changed state: cancelled"},
      {"WONTFIX", false, ErrorKind::client, "Task 'c' changed state: wontfix"},
      {"BLOCKED", true, ErrorKind::client, "Task 'c' changed state: blocked"},
      {"TODO", false, ErrorKind::not_assigned, "Task \"c\" is waiting for human validation"},
      {"TODO", true, ErrorKind::not_assigned, "Task \"c\" will start shortly"},
      {"RUNNING", true, ErrorKind::not_provisioned, "Task \"c\" is currently RUNNING"},
      {"WAITING", true, ErrorKind::server, "Task \"c\" not done yet (current state is WAITING)"},
      {"DELAYED", true, ErrorKind::server, "Task \"c\" not done yet (current state is DELAYED)"},
  };
  for (const auto& c : cases) {
    services_.tasks["c"] = TaskView{"c", c.state, Json(), std::nullopt, "alice", c.has_resolution, std::nullopt};
    ActionResult r = run(R"({"template":"child"})", "c");
    EXPECT_EQ(r.output["state"], c.state);
    if (!c.kind) {
      EXPECT_FALSE(r.error) << c.state;
      continue;
    }
    ASSERT_TRUE(r.error) << c.state;
    EXPECT_EQ(r.error->kind, *c.kind) << c.state;
    EXPECT_EQ(r.error->message, c.message);
  }
}

TEST_F(SubtaskTest, CreationFailures) {
  ActionResult r = run(R"({"template":"child","json_input":"{nope"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message.rfind("can't parse `json_input`: ", 0), 0u) << r.error->message;

  r = run(R"({"template":"child","watcher_groups":"not json"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message.rfind("can't convert JSON to row slice: ", 0), 0u) << r.error->message;

  services_.fail_with = Error::invalid_input("invalid input: quantity is required");
  r = run(R"({"template":"child"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_EQ(r.error->message, "invalid input: quantity is required");

  services_.fail_with = Error{ErrorCode::transient, "database is locked", {}};
  r = run(R"({"template":"child"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_TRUE(services_.children.empty());

  ExecutionRequest no_services;
  no_services.configuration = json(R"({"template":"child"})");
  ActionResult none = action_.execute(no_services);
  ASSERT_TRUE(none.error);
  EXPECT_EQ(none.error->kind, ErrorKind::server);
}

TEST(SubtaskValidation, TheTemplateMustExistOnceALookupIsInstalled) {
  auto registry = ActionRegistry::with_builtins();
  const Json config = json(R"({"template":"Child"})");
  EXPECT_TRUE(registry.validate_plugin_configuration("subtask", Json(), config).ok());  // no lookup yet
  registry.set_template_lookup([](const std::string& name) -> Result<bool> { return name == "child"; });
  EXPECT_TRUE(registry.validate_plugin_configuration("subtask", Json(), config).ok());  // names compare normalised
  auto missing = registry.validate_plugin_configuration("subtask", Json(), json(R"({"template":"other"})"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(missing.error().message, "sub-task template \"other\" not found");
  EXPECT_TRUE(registry.validate_plugin_configuration("subtask", Json(), json(R"({"template":"{{ .input.t }}"})")).ok());
  auto reserved = registry.validate_plugin_configuration(
      "subtask", Json(), json(R"({"template":"child","tags":{"_utask_parent_task_id":"x"}})"));
  ASSERT_FALSE(reserved.ok());
  EXPECT_EQ(reserved.error().message, "tag name \"_utask_parent_task_id\" not allowed");
  auto typed = registry.validate_plugin_configuration("subtask", Json(), json(R"({"template":"child","input":"x"})"));
  ASSERT_FALSE(typed.ok());
  // Copies of the registry share the lookup.
  const ActionRegistry copy = registry;
  EXPECT_FALSE(copy.validate_plugin_configuration("subtask", Json(), json(R"({"template":"other"})")).ok());
}

TEST(SubtaskValidation, ContextFindsThePreviousChild) {
  EXPECT_EQ(SubtaskAction(nullptr).context_template("sub")["task_id"],
            "{{ if (index .step `sub` ) }}{{ if (index .step `sub` `output`) }}{{ index .step `sub` `output` `id` }}{{ end }}{{ end }}");
  EXPECT_EQ(SubtaskAction(nullptr).context_template("sub")["requester_groups"],
            "{{ if .task.requester_groups }}{{ .task.requester_groups }}{{ end }}");
}

}  // namespace
}  // namespace utask::actions
