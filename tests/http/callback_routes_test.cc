// POST /unsecured/callback/{id} over the real server (api.md §5.8, actions.md §14): no
// authentication, the token in `t`, the body stored once and the resolution woken; every
// refusal with its message and the callback left uncalled; maintenance mode first of all.

#include <gtest/gtest.h>

#include <string>

#include "http/api_fixture.h"
#include "http/resolution_support.h"
#include "persistence/store.h"
#include "service/action_services_impl.h"

namespace utask::testing {
namespace {

constexpr const char* kUnknownCallback = "failed to load callback from public id: callback not found";

class CallbackRoutes : public ApiTest {
 protected:
  // A callback of a resolution whose task is in `task_state`.
  actions::CallbackView callback(const std::string& task_state = "BLOCKED", Json schema = nullptr) {
    Subject s = make_subject(api(), true, "RUNNING", task_state);
    actions::NewCallbackRequest request{s.task_id, s.resolution_id, "requester", std::move(schema)};
    auto created = api().api().callbacks->create_callback(request);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return created ? *created : actions::CallbackView{};
  }
  std::string url(const actions::CallbackView& c, const std::string& token) {
    return "/unsecured/callback/" + c.id + "?t=" + token;
  }
  bool called(const actions::CallbackView& c) {
    auto found = api().store().get_callback(c.id);
    EXPECT_TRUE(found.ok());
    return found && found->called.has_value();
  }
};

TEST_F(CallbackRoutes, ResolvesWithoutAuthenticationAndWakesTheEngine) {
  auto c = callback();
  const int wakes = api().wakes();
  auto r = call("POST", url(c, c.token), R"({"approved": true, "n": 12345678901234567890})", Auth::none());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), Json::parse(R"({"message":"The callback has been resolved"})"));
  auto stored = api().store().get_callback(c.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->called.has_value());
  EXPECT_EQ(*stored->body_json, R"({"approved":true,"n":12345678901234567890})");
  EXPECT_GT(api().wakes(), wakes);
}

TEST_F(CallbackRoutes, TakesYamlAndEmptyBodies) {
  auto yaml = callback("WAITING");
  ASSERT_EQ(call("POST", url(yaml, yaml.token), "approved: yes\n", Auth::none()).status, 200);
  EXPECT_EQ(*api().store().get_callback(yaml.id)->body_json, R"({"approved":true})");
  auto empty = callback("RUNNING");
  ASSERT_EQ(call("POST", url(empty, empty.token), "", Auth::user("anyone")).status, 200);
  EXPECT_EQ(*api().store().get_callback(empty.id)->body_json, "{}");
}

TEST_F(CallbackRoutes, ABodyMatchingTheSchemaIsAccepted) {
  auto c = callback("BLOCKED", Json::parse(R"({"type":"object","required":["ok"]})"));
  EXPECT_EQ(call("POST", url(c, c.token), R"({"ok": 1})", Auth::none()).status, 200);
}

struct BadCall {
  const char* what;
  const char* task_state;
  const char* path;  // {id}, {token}
  const char* body;
  int status;
  const char* message;  // prefix when it ends with "…"
};

const BadCall kBadCalls[] = {
    {"no token", "BLOCKED", "/unsecured/callback/{id}", "{}", 400,
     "binding error on field 'CallbackSecret' of type 'handleCallbackIn': missing query parameter: t"},
    {"wrong token", "BLOCKED", "/unsecured/callback/{id}?t=nope", "{}", 404, kUnknownCallback},
    {"empty token", "BLOCKED", "/unsecured/callback/{id}?t=", "{}", 404, kUnknownCallback},
    {"two tokens", "BLOCKED", "/unsecured/callback/{id}?t={token}&t={token}", "{}", 400,
     "binding error on query parameter 't': multiple values not supported"},
    {"unknown callback", "BLOCKED", "/unsecured/callback/6f1c1f0e-5b7a-4b8e-9d7e-0a1b2c3d4e5f?t={token}",
     "{}", 404, kUnknownCallback},
    {"task not waiting for it", "TODO", "/unsecured/callback/{id}?t={token}", "{}", 400,
     "related task is not in a valid state: TODO"},
    {"task done", "DONE", "/unsecured/callback/{id}?t={token}", "{}", 400,
     "related task is not in a valid state: DONE"},
    {"a list for a body", "BLOCKED", "/unsecured/callback/{id}?t={token}", "[1]", 400,
     "binding error: error parsing request body: expected an object, got an array"},
    {"malformed JSON", "BLOCKED", "/unsecured/callback/{id}?t={token}", R"({"a": )", 400,
     "binding error: error parsing request body: …"},
    {"body against the schema", "BLOCKED", "/unsecured/callback/{id}?t={token}", R"({"other": 1})", 400,
     "unable to validate body: …"},
};

TEST_F(CallbackRoutes, BadCallsAreRefusedAndTheCallbackStaysOpen) {
  for (const auto& bad : kBadCalls) {
    SCOPED_TRACE(bad.what);
    auto c = callback(bad.task_state, Json::parse(R"({"type":"object","required":["ok"]})"));
    std::string path = bad.path;
    for (const auto& [key, value] : {std::pair<std::string, std::string>{"{id}", c.id}, {"{token}", c.token}}) {
      for (auto at = path.find(key); at != std::string::npos; at = path.find(key)) path.replace(at, key.size(), value);
    }
    auto r = call("POST", path, bad.body, Auth::none());
    EXPECT_EQ(r.status, bad.status) << r.body;
    const std::string message = error_of(r);
    std::string expected = bad.message;
    if (expected.size() >= 3 && expected.compare(expected.size() - 3, 3, "…") == 0) {
      expected.resize(expected.size() - 3);
      EXPECT_EQ(message.rfind(expected, 0), 0u) << message;
    } else {
      EXPECT_EQ(message, expected);
    }
    EXPECT_FALSE(called(c));
    // Still callable with the right token once the task waits for it.
  }
}

TEST_F(CallbackRoutes, ASecondCallIsRefused) {
  auto c = callback();
  ASSERT_EQ(call("POST", url(c, c.token), R"({"first": 1})", Auth::none()).status, 200);
  auto again = call("POST", url(c, c.token), R"({"second": 2})", Auth::none());
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(error_of(again), "callback has already been resolved");
  EXPECT_EQ(*api().store().get_callback(c.id)->body_json, R"({"first":1})");
}

TEST_F(CallbackRoutes, MaintenanceModeRefusesBeforeAnythingElse) {
  auto c = callback();
  ASSERT_TRUE(api().admin_console().set_maintenance_mode(true, "admin").ok());
  for (const std::string& path : {url(c, c.token), url(c, "wrong"), std::string("/unsecured/callback/") + c.id}) {
    auto r = call("POST", path, "{}", Auth::none());
    EXPECT_EQ(r.status, 405) << path;
    EXPECT_EQ(error_of(r), "Maintenance mode activated") << path;
  }
  EXPECT_FALSE(called(c));
  ASSERT_TRUE(api().admin_console().set_maintenance_mode(false, "admin").ok());
  EXPECT_EQ(call("POST", url(c, c.token), "{}", Auth::none()).status, 200);
  EXPECT_TRUE(called(c));
}

}  // namespace
}  // namespace utask::testing
