// GET /meta, POST /key-rotate and the admin console's routes (GET/PUT /admin/maintenance,
// GET /admin/key-rotation) over the real server with the real console: answers, the
// background rotation with its progress and the refused double start, bad bodies, who may
// call what, and their presence in the OpenAPI document.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>

#include "build_info.h"
#include "http/admin_console_support.h"
#include "http/api_fixture.h"
#include "http/resolution_support.h"
#include "persistence/store.h"

namespace utask::testing {
namespace {

using namespace std::chrono_literals;

// Holds rotation batches until opened.
class Gate {
 public:
  void wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }
  void open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

class AdminRoutes : public ApiTest {
 protected:
  ApiOptions api_options() const override {
    consoles_.options.before_rotation_batch = [gate = gate_] { gate->wait(); };
    ApiOptions o;
    o.admin_console = consoles_.factory();
    return o;
  }
  void TearDown() override {
    gate_->open();
    consoles_.stop();
    ApiTest::TearDown();
  }

  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  mutable ConsoleHolder consoles_;
};

TEST_F(AdminRoutes, MetaDescribesTheCaller) {
  auto admin = call("GET", "/meta");
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.json(), (Json{{"application_name", "µTask test"},
                                {"user_is_admin", true},
                                {"username", "admin"},
                                {"user_groups", Json::array()},
                                {"version", "test"},
                                {"commit", build_info::kCommit}}));
  auto alice = call("GET", "/meta", "", Auth::user("alice")).json();
  EXPECT_EQ(alice["user_is_admin"], true);
  EXPECT_EQ(alice["user_groups"], Json::array({"admins"}));
  auto owner = call("GET", "/meta", "", Auth::user("owner")).json();
  EXPECT_EQ(owner["user_is_admin"], false);
  EXPECT_EQ(owner["username"], "owner");
  EXPECT_EQ(owner["user_groups"], Json::array({"owners"}));
  EXPECT_EQ(call("GET", "/meta", "", Auth::none()).status, 401);
}

TEST_F(AdminRoutes, KeyRotationRunsInTheBackgroundAndRefusesASecondStart) {
  for (int i = 0; i < 3; ++i) make_subject(api());
  auto idle = call("GET", "/admin/key-rotation");
  ASSERT_EQ(idle.status, 200) << idle.body;
  EXPECT_EQ(idle.json()["running"], false);

  auto started = call("POST", "/key-rotate");
  ASSERT_EQ(started.status, 200) << started.body;
  EXPECT_TRUE(started.body.empty());
  auto running = call("GET", "/admin/key-rotation").json();
  EXPECT_EQ(running["running"], true);
  EXPECT_EQ(running["started_by"], "admin");
  EXPECT_FALSE(running["started_at"].is_null());

  auto again = call("POST", "/key-rotate", "", Auth::user("alice"));
  EXPECT_EQ(again.status, 409) << again.body;
  const std::string message = error_of(again);
  EXPECT_EQ(message.rfind("a key rotation is already running (started by admin at ", 0), 0u) << message;

  gate_->open();
  ASSERT_TRUE(consoles_.main().wait_for_rotation(60s));
  auto done = call("GET", "/admin/key-rotation").json();
  EXPECT_EQ(done["running"], false);
  EXPECT_EQ(done["done"], true) << done.dump();
  EXPECT_EQ(done["errors"], Json::array());
  EXPECT_FALSE(done["finished_at"].is_null());
  EXPECT_EQ(done["rows_total"], done["rows_done"]);
  // Over: a new start is accepted.
  EXPECT_EQ(call("POST", "/key-rotate").status, 200);
}

TEST_F(AdminRoutes, KeyRotationWorksInMaintenanceMode) {
  gate_->open();
  ASSERT_EQ(call("PUT", "/admin/maintenance", R"({"enabled": true})").status, 200);
  EXPECT_EQ(call("POST", "/key-rotate").status, 200);
  EXPECT_TRUE(consoles_.main().wait_for_rotation(60s));
}

TEST_F(AdminRoutes, MaintenanceIsReadAndSwitched) {
  auto off = call("GET", "/admin/maintenance");
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json(), (Json{{"enabled", false}}));

  auto on = call("PUT", "/admin/maintenance", R"({"enabled": true})", Auth::user("alice"));
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(on.json(), (Json{{"enabled", true}}));
  EXPECT_EQ(call("GET", "/admin/maintenance").json(), (Json{{"enabled", true}}));
  auto stored = api().store().get_setting(actors::kMaintenanceSetting);
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->value_json, "true");
  EXPECT_EQ((*stored)->updated_by, "alice");

  ASSERT_EQ(call("PUT", "/admin/maintenance", "enabled: off\n").status, 200);  // YAML 1.1
  EXPECT_EQ(call("GET", "/admin/maintenance").json(), (Json{{"enabled", false}}));
}

TEST_F(AdminRoutes, BadMaintenanceBodiesChangeNothing) {
  struct Bad {
    const char* body;
    const char* message;
  };
  const Bad bad[] = {
      {"{}", "binding error: field 'enabled' is required"},
      {R"({"enabled": null})", "binding error: field 'enabled' is required"},
      {R"({"enabled": "yes"})",
       "binding error: error parsing request body: field 'enabled': expected a boolean, got a string"},
      {R"({"enabled": 1})",
       "binding error: error parsing request body: field 'enabled': expected a boolean, got a number"},
      {"[true]", "binding error: error parsing request body: expected an object, got an array"},
  };
  for (const auto& b : bad) {
    auto r = call("PUT", "/admin/maintenance", b.body);
    EXPECT_EQ(r.status, 400) << b.body;
    EXPECT_EQ(error_of(r), b.message) << b.body;
  }
  auto malformed = call("PUT", "/admin/maintenance", R"({"enabled": tr)");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(error_of(malformed).rfind("binding error: error parsing request body: ", 0), 0u);
  EXPECT_FALSE(api().store().get_setting(actors::kMaintenanceSetting)->has_value());
  EXPECT_FALSE(api().admin_console().maintenance_mode());
}

// Who may call the admin routes: admins (by name or group) only, 401 with an empty body for
// everyone else; /meta for any authenticated caller.
TEST_F(AdminRoutes, AuthorizationMatrix) {
  gate_->open();
  struct Route {
    const char* method;
    const char* path;
    const char* body;
    int success;
    bool admin_only;
  };
  const Route routes[] = {
      {"GET", "/meta", "", 200, false},
      {"POST", "/key-rotate", "", 200, true},
      {"GET", "/admin/key-rotation", "", 200, true},
      {"GET", "/admin/maintenance", "", 200, true},
      {"PUT", "/admin/maintenance", R"({"enabled": false})", 200, true},
  };
  Subject s = make_subject(api());  // gives owner, resolver, requester and watcher their roles
  for (const auto& route : routes) {
    for (const std::string role :
         {"admin", "alice", "owner", "resolver", "requester", "watcher", "stranger", "anonymous"}) {
      SCOPED_TRACE(std::string(route.method) + " " + route.path + " as " + role);
      if (std::string(route.path) == "/key-rotate") consoles_.main().wait_for_rotation(60s);
      auto r = call(route.method, route.path, route.body,
                    role == "anonymous" ? Auth::none() : Auth::user(role));
      const bool admin = role == "admin" || role == "alice";
      if (role != "anonymous" && (admin || !route.admin_only)) {
        EXPECT_EQ(r.status, route.success) << r.body;
      } else {
        EXPECT_EQ(r.status, 401) << r.body;
        EXPECT_TRUE(r.body.empty()) << r.body;
      }
    }
  }
  EXPECT_FALSE(api().store().get_setting(actors::kMaintenanceSetting)->has_value() &&
               (*api().store().get_setting(actors::kMaintenanceSetting))->value_json == "true");
}

TEST_F(AdminRoutes, TheRoutesAreInTheOpenApiDocument) {
  auto r = call("GET", "/unsecured/spec.json", "", Auth::none());
  ASSERT_EQ(r.status, 200) << r.body;
  Json spec = r.json();
  const std::pair<const char*, const char*> operations[] = {
      {"/meta", "get"},
      {"/key-rotate", "post"},
      {"/admin/maintenance", "get"},
      {"/admin/maintenance", "put"},
      {"/admin/key-rotation", "get"},
      {"/unsecured/callback/{id}", "post"},
      {"/resolution", "post"},
      {"/resolution/{id}", "get"},
      {"/resolution/{id}", "put"},
      {"/resolution/{id}/run", "post"},
      {"/resolution/{id}/pause", "post"},
      {"/resolution/{id}/extend", "post"},
      {"/resolution/{id}/cancel", "post"},
      {"/resolution/{id}/step/{stepName}", "get"},
      {"/resolution/{id}/step/{stepName}", "put"},
      {"/resolution/{id}/step/{stepName}/state", "put"},
  };
  for (const auto& [path, method] : operations) {
    ASSERT_TRUE(spec["paths"].contains(path)) << path;
    EXPECT_TRUE(spec["paths"][path].contains(method)) << path << " " << method;
  }
  EXPECT_EQ(spec["paths"]["/key-rotate"]["post"]["operationId"], "ReencryptData");
  EXPECT_EQ(spec["paths"]["/admin/maintenance"]["put"]["operationId"], "SetMaintenanceMode");
  EXPECT_EQ(spec["paths"]["/admin/key-rotation"]["get"]["operationId"], "GetKeyRotationStatus");
  EXPECT_EQ(spec["paths"]["/resolution/{id}/step/{stepName}/state"]["put"]["operationId"],
            "EditTaskResolutionStepState");
}

}  // namespace
}  // namespace utask::testing
