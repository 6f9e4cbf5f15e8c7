#include "actions/callback/callback_action.h"

#include <gtest/gtest.h>

#include "actions/catalog.h"
#include "fake_action_services.h"
#include "model/json.h"

namespace utask::actions {
namespace {

Json json(const char* text) { return parse_json(text).value(); }

class CallbackTest : public ::testing::Test {
 protected:
  ActionResult run(const Json& configuration) {
    ExecutionRequest r;
    r.configuration = configuration;
    r.context = Json{{"step", "cb"}, {"task_id", "T1"}, {"requester_username", "alice"}};
    r.task_id = "T1";
    r.resolution_id = "R1";
    r.step_name = "cb";
    r.services = &services_;
    return CallbackAction().execute(r);
  }
  testing::FakeActionServices services_;
};

TEST_F(CallbackTest, CreateReturnsIdUrlTokenAndSchema) {
  const char* schema = R"({"$schema": "http://json-schema.org/schema#", "type": "object",
      "required": ["success"], "properties": {"success": {"type": "boolean"}}})";
  ActionResult r = run(Json{{"action", "CREATE"}, {"schema", schema}});
  ASSERT_FALSE(r.error) << r.error->message;
  ASSERT_EQ(services_.callbacks.size(), 1u);
  const CallbackView& c = services_.callbacks.begin()->second;
  EXPECT_EQ(c.task_id, "T1");
  EXPECT_EQ(c.resolution_id, "R1");
  EXPECT_EQ(c.resolver_username, "alice");
  EXPECT_EQ(r.output["id"], c.id);
  EXPECT_EQ(r.output["token"], c.token);
  EXPECT_EQ(r.output["url"], "http://utask.example/unsecured/callback/" + c.id + "?t=" + c.token);
  EXPECT_EQ(r.output["schema"]["required"], json(R"(["success"])"));
  EXPECT_TRUE(r.metadata.is_null());

  r = run(Json{{"action", "create"}});
  ASSERT_FALSE(r.error);
  EXPECT_TRUE(r.output["schema"].is_null());
}

TEST_F(CallbackTest, ABadSchemaIsAClientError) {
  for (const char* schema : {"{not json", R"({"type": 12})"}) {
    ActionResult r = run(Json{{"action", "create"}, {"schema", schema}});
    ASSERT_TRUE(r.error) << schema;
    EXPECT_EQ(r.error->kind, ErrorKind::client);
    EXPECT_EQ(r.error->message.rfind("unable to parse provided schema: ", 0), 0u) << r.error->message;
  }
  EXPECT_TRUE(services_.callbacks.empty());
}

TEST_F(CallbackTest, WaitUntilCalled) {
  ActionResult created = run(Json{{"action", "create"}});
  const std::string id = created.output["id"];
  ActionResult r = run(Json{{"action", "wait"}, {"id", id}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_assigned);
  EXPECT_EQ(r.error->message, "task is waiting for a callback");

  auto& c = services_.callbacks[id];
  c.called = ServiceTime(std::chrono::seconds(1700000000) + std::chrono::microseconds(250000));
  c.body = json(R"({"success":true})");
  r = run(Json{{"action", "wait"}, {"id", id}});
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(to_json_text(r.output),
            R"({"body":{"success":true},"date":"2023-11-14T22:13:20.25Z","id":")" + id + R"("})");

  r = run(Json{{"action", "wait"}, {"id", "unknown"}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
}

TEST(CallbackValidation, ActionAndId) {
  const auto registry = ActionRegistry::with_builtins();
  auto check = [&](const char* config) { return registry.validate_plugin_configuration("callback", Json(), json(config)); };
  EXPECT_TRUE(check(R"({"action":"create"})").ok());
  EXPECT_TRUE(check(R"({"action":"Wait","id":"{{.step.a.output.id}}"})").ok());
  EXPECT_TRUE(check(R"({"action":"{{ .input.mode }}"})").ok());
  auto bad = check(R"({"action":"delete"})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "invalid action \"delete\"");
  auto empty = check(R"({})");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "invalid action \"\"");
  auto no_id = check(R"({"action":"wait"})");
  ASSERT_FALSE(no_id.ok());
  EXPECT_EQ(no_id.error().message, "missing \"id\" parameter");
}

}  // namespace
}  // namespace utask::actions
