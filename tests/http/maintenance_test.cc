// Maintenance mode over the real server with the real admin console (api.md §4, issue 6):
// every write route refused with 405 and nothing changed, the admin guard still first, reads
// and POST /key-rotate still working; switched on and off at runtime by an admin and seen by
// a second instance (a second console on the same store).

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>

#include "http/admin_console_support.h"
#include "http/api_fixture.h"
#include "http/resolution_support.h"
#include "persistence/store.h"
#include "service/action_services_impl.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kRefused = "Maintenance mode activated";

class Maintenance : public ApiTest {
 protected:
  ApiOptions api_options() const override {
    ApiOptions o;
    o.admin_console = consoles_.factory();
    return o;
  }
  void TearDown() override {
    consoles_.stop();
    ApiTest::TearDown();
  }

  int64_t task_count() {
    int64_t n = 0;
    auto counts = api().store().count_tasks_by_state();
    EXPECT_TRUE(counts.ok());
    if (counts) {
      for (const auto& [state, count] : *counts) n += count;
    }
    return n;
  }

  mutable ConsoleHolder consoles_;
};

struct WriteRoute {
  const char* method;
  const char* path;  // {tid}, {rid}, {cid} (a comment), {cb}, {token} (a callback)
  const char* body;
};

// api.md §4, every route.
const WriteRoute kWrites[] = {
    {"POST", "/batch", R"({"template_name": "manual", "inputs": [{}, {}]})"},
    {"POST", "/task", R"({"template_name": "manual", "input": {}})"},
    {"PUT", "/task/{tid}", R"({"input": {}, "watcher_usernames": ["x"]})"},
    {"POST", "/task/{tid}/wontfix", ""},
    {"DELETE", "/task/{tid}", ""},
    {"POST", "/task/{tid}/comment", R"({"content": "hello"})"},
    {"PUT", "/task/{tid}/comment/{cid}", R"({"content": "changed"})"},
    {"DELETE", "/task/{tid}/comment/{cid}", ""},
    {"POST", "/resolution", R"({"task_id": "{tid}", "start_over": true})"},
    {"PUT", "/resolution/{rid}", R"({"resolver_inputs": {"reason": "x"}})"},
    {"POST", "/resolution/{rid}/run", ""},
    {"POST", "/resolution/{rid}/pause", ""},
    {"POST", "/resolution/{rid}/extend", ""},
    {"POST", "/resolution/{rid}/cancel", ""},
    {"PUT", "/resolution/{rid}/step/only", R"({"description": "x", "action": {"type": "echo"}})"},
    {"PUT", "/resolution/{rid}/step/only/state", R"({"state": "DONE"})"},
    {"POST", "/unsecured/callback/{cb}?t={token}", R"({"ok": true})"},
};

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    for (auto at = text.find(key); at != std::string::npos; at = text.find(key)) {
      text.replace(at, key.size(), value);
    }
  }
  return text;
}

TEST_F(Maintenance, EveryWriteIsRefusedAndNothingChanges) {
  Subject s = make_subject(api(), true, "PAUSED", "BLOCKED");
  auto comment = api().store().add_comment(s.task_id, {"admin", "first"});
  ASSERT_TRUE(comment.ok());
  auto cb = api().api().callbacks->create_callback({s.task_id, s.resolution_id, "requester", nullptr});
  ASSERT_TRUE(cb.ok());
  const std::map<std::string, std::string> values{{"{tid}", s.task_id},
                                                  {"{rid}", s.resolution_id},
                                                  {"{cid}", comment->id},
                                                  {"{cb}", cb->id},
                                                  {"{token}", cb->token}};
  ASSERT_EQ(call("PUT", "/admin/maintenance", R"({"enabled": true})").status, 200);
  const std::string before = snapshot(api(), s);
  const int64_t tasks = task_count();
  for (const auto& w : kWrites) {
    SCOPED_TRACE(std::string(w.method) + " " + w.path);
    auto r = call(w.method, fill(w.path, values), fill(w.body, values));
    EXPECT_EQ(r.status, 405) << r.body;
    EXPECT_EQ(r.json(), (Json{{"error", kRefused}}));
  }
  EXPECT_EQ(snapshot(api(), s), before);
  EXPECT_EQ(task_count(), tasks);
  EXPECT_EQ((*api().store().get_comment(s.task_id, comment->id)).content, "first");
  EXPECT_FALSE(api().store().get_callback(cb->id)->called.has_value());
  EXPECT_TRUE(api().runs().empty());
}

TEST_F(Maintenance, TheAdminGuardComesFirst) {
  Subject s = make_subject(api(), true, "PAUSED");
  ASSERT_EQ(call("PUT", "/admin/maintenance", R"({"enabled": true})").status, 200);
  for (const auto& [method, path] : {std::pair<std::string, std::string>{"DELETE", "/task/" + s.task_id},
                                     {"PUT", "/resolution/" + s.resolution_id},
                                     {"PUT", "/resolution/" + s.resolution_id + "/step/only"}}) {
    auto r = call(method, path, "{}", Auth::user("owner"));
    EXPECT_EQ(r.status, 401) << method << " " << path;
    EXPECT_TRUE(r.body.empty());
    EXPECT_EQ(call(method, path, "{}", Auth::user("admin")).status, 405) << method << " " << path;
  }
  // Authentication still comes before the maintenance guard on authenticated routes.
  EXPECT_EQ(call("POST", "/task", "{}", Auth::none()).status, 401);
}

TEST_F(Maintenance, ReadsAndKeyRotationKeepWorking) {
  Subject s = make_subject(api());
  ASSERT_EQ(call("PUT", "/admin/maintenance", R"({"enabled": true})").status, 200);
  for (const std::string& path :
       {"/task/" + s.task_id, std::string("/task"), "/resolution/" + s.resolution_id,
        "/resolution/" + s.resolution_id + "/step/only", "/task/" + s.task_id + "/comment",
        std::string("/template"), std::string("/template/manual"), std::string("/meta"),
        std::string("/admin/maintenance"), std::string("/admin/key-rotation")}) {
    EXPECT_EQ(call("GET", path, "", Auth::user("admin")).status, 200) << path;
  }
  EXPECT_EQ(call("GET", "/unsecured/mon/ping", "", Auth::none()).status, 200);
  EXPECT_EQ(call("POST", "/key-rotate").status, 200);
  EXPECT_TRUE(consoles_.main().wait_for_rotation(60s));
  // Switching it off is not a write the mode refuses.
  EXPECT_EQ(call("PUT", "/admin/maintenance", R"({"enabled": false})").status, 200);
}

TEST_F(Maintenance, SwitchedAtRuntimeAndSharedWithASecondInstance) {
  actors::AdminConsoleActor& other = consoles_.second(api().store());
  const std::string create = R"({"template_name": "manual", "input": {}})";
  EXPECT_EQ(call("POST", "/task", create, Auth::user("requester")).status, 201);
  EXPECT_FALSE(other.maintenance_mode());

  // On, by an admin through this instance: refused here at once, and there at its next read.
  ASSERT_EQ(call("PUT", "/admin/maintenance", R"({"enabled": true})", Auth::user("alice")).status, 200);
  EXPECT_EQ(call("POST", "/task", create, Auth::user("requester")).status, 405);
  other.refresh();
  EXPECT_TRUE(other.maintenance_mode());

  // Off, through the other instance: this one sees it within its refresh interval.
  ASSERT_TRUE(other.set_maintenance_mode(false, "admin").ok());
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (call("GET", "/admin/maintenance").json()["enabled"] == true &&
         std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(call("GET", "/admin/maintenance").json(), (Json{{"enabled", false}}));
  EXPECT_EQ(call("POST", "/task", create, Auth::user("requester")).status, 201);
}

TEST_F(Maintenance, OnlyAdminsSwitchIt) {
  for (const char* who : {"owner", "requester", "stranger"}) {
    auto r = call("PUT", "/admin/maintenance", R"({"enabled": true})", Auth::user(who));
    EXPECT_EQ(r.status, 401) << who;
    EXPECT_TRUE(r.body.empty());
  }
  EXPECT_EQ(call("PUT", "/admin/maintenance", R"({"enabled": true})", Auth::none()).status, 401);
  EXPECT_FALSE(api().admin_console().maintenance_mode());
  EXPECT_FALSE(api().store().get_setting(actors::kMaintenanceSetting)->has_value());
}

TEST_F(Maintenance, TheStartFlagIsTheInitialValue) {
  // A console started like `utask serve --maintenance-mode` on this store.
  actors::AdminConsoleOptions o;
  o.store = &api().store();
  o.start_in_maintenance = true;
  auto started = actors::AdminConsoleActor::start(o);
  ASSERT_TRUE(started.ok());
  consoles_.main().refresh();
  EXPECT_EQ(call("GET", "/admin/maintenance").json(), (Json{{"enabled", true}}));
  EXPECT_EQ(call("POST", "/task", R"({"template_name": "manual", "input": {}})").status, 405);
}

}  // namespace
}  // namespace utask::testing
