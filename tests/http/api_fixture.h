#pragma once
// The HTTP tests' world: a fresh store (SQLite file, or a fresh Postgres database), the
// services over the templates of tests/http/templates/*.yaml, an admin console, optionally
// the engine, and the real server (build_api_routes + HttpServer) on 127.0.0.1 with a port
// picked by the system; plus a libcurl client to call it.
//
// Identities used by the standard configuration (ApiOptions defaults):
//   admin        admin_usernames
//   alice        member of group "admins" (admin through admin_groups)
//   owner        listed in the test templates' allowed_resolver_usernames ("owners" group too)
//   others       plain authenticated users ("requester", "watcher", "stranger", ...)
//
// Usage, with the gtest fixture:
//
//   class TaskRoutes : public utask::testing::ApiTest {};
//   TEST_F(TaskRoutes, Creates) {
//     auto r = call("POST", "/task", R"({"template_name":"hello","input":{"name":"x"}})",
//                   Auth::user("requester"));
//     EXPECT_EQ(r.status, 201) << r.body;
//     EXPECT_EQ(r.json()["requester_username"], "requester");
//   }
//
// Other options: override `ApiTest::api_options()`, or build a `TestApi` inside a test.
// Postgres: `ApiOptions::backend = ApiBackend::postgres` (uses tests/support/postgres_cluster.h).

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http/api_context.h"
#include "http/http_message.h"
#include "model/json.h"
#include "service/admin_console.h"

namespace utask::persistence {
class Store;
}
namespace utask::service {
struct ServiceContext;
class TaskService;
class ResolutionService;
}  // namespace utask::service

namespace utask::testing {

enum class ApiBackend { sqlite, postgres };

// How a call authenticates.
struct Auth {
  enum class Kind { none, remote_user, basic, raw_header };
  Kind kind = Kind::none;
  std::string username;  // remote_user, basic
  std::string password;  // basic
  std::string header;    // raw_header: the whole Authorization header value

  static Auth none() { return {}; }
  // `x-remote-user: <name>` (the identity when basic-auth is not configured).
  static Auth user(std::string name) { return {Kind::remote_user, std::move(name), {}, {}}; }
  // `Authorization: Basic base64(user:password)`.
  static Auth basic(std::string name, std::string password) {
    return {Kind::basic, std::move(name), std::move(password), {}};
  }
  // `Authorization: <value>` exactly as given (for the exact-match rules of api.md §2.1).
  static Auth authorization(std::string value) { return {Kind::raw_header, {}, {}, std::move(value)}; }
};

struct CallResult {
  long status = 0;
  http::Headers headers;  // case-insensitive names; a repeated header keeps its last value
  std::string body;

  // The body parsed as JSON (utask::parse_json); a test failure and null when it is not JSON.
  Json json() const;
  // The header's value, or "" when absent.
  std::string header(const std::string& name) const;
};

// One HTTP request with libcurl to `base_url` ("http://127.0.0.1:<port>"); see TestApi::call.
CallResult http_call(const std::string& base_url, const std::string& method, const std::string& path,
                     const std::string& body = "", const Auth& auth = Auth::none(),
                     const std::vector<std::pair<std::string, std::string>>& headers = {});

// Creates the admin console the API uses; gets the services' context (for its store).
using AdminConsoleFactory =
    std::function<std::unique_ptr<service::AdminConsole>(const service::ServiceContext&)>;

struct ApiOptions {
  ApiBackend backend = ApiBackend::sqlite;
  std::vector<std::string> admin_usernames{"admin"};
  std::vector<std::string> admin_groups{"admins"};
  // basic-auth: empty = x-remote-user mode (api.md §2.1).
  std::map<std::string, std::string> basic_auth;
  // groups-auth: group → users.
  std::map<std::string, std::vector<std::string>> groups_auth{{"admins", {"alice"}},
                                                              {"owners", {"owner"}}};
  // Template files: every *.yaml of this folder.
  std::string templates_dir = UTASK_SOURCE_DIR "/tests/http/templates";
  // Additional template YAML texts (loaded after templates_dir).
  std::vector<std::string> extra_templates;
  // The configuration items (`.config` of templates, config.md), given to the builtin actions
  // (apiovh, ssh credentials), the services (titles, tags) and the engine (steps).
  Json config_items = Json::object();
  // The folder of the `script` action's files (--scripts-path); empty: the default.
  std::string scripts_path;
  // Start the engine (actors::Runtime): resolutions then really run. Off: a recording
  // runner notes wake-ups and run_now calls (see TestApi::runs()).
  bool start_runtime = false;
  bool maintenance_mode = false;  // initial state of the default admin console
  size_t max_body_bytes = 262144;
  unsigned threads = 4;
  std::string application_name = "µTask test";
  // The static UI (api.md §5.10): folders dashboard/ and swagger-ui/ under static_root.
  std::string static_root = "./static";
  std::string dashboard_path_prefix;
  std::string dashboard_api_path_prefix;
  std::string dashboard_sentry_dsn;
  // null: an in-memory console (maintenance switchable, key rotation refused as conflict).
  AdminConsoleFactory admin_console;
};

// One running API. Construction starts everything (ASSERTs through ok()/error()).
class TestApi {
 public:
  explicit TestApi(ApiOptions options = {});
  ~TestApi();
  TestApi(const TestApi&) = delete;
  TestApi& operator=(const TestApi&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // One HTTP request to the server. `body` is sent as is (nothing for an empty body on GET
  // and DELETE; an empty body otherwise). `headers` are added (e.g. {"Accept", "..."}).
  // Redirects are not followed.
  CallResult call(const std::string& method, const std::string& path, const std::string& body = "",
                  const Auth& auth = Auth::user("admin"),
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) const;

  uint16_t port() const;
  std::string base_url() const;  // "http://127.0.0.1:<port>"

  persistence::Store& store();
  service::ServiceContext& services();
  service::TaskService& tasks();
  service::ResolutionService& resolutions();
  service::AdminConsole& admin_console();
  const http::ApiContext& api() const;
  // Recording runner (start_runtime = false): resolution ids given to run_now, and wakes.
  std::vector<std::string> runs() const;
  int wakes() const;

  // Convenience for setting up state through the services, as `username` (groups from
  // groups_auth; admin per the admin lists). Fail the test on error; return the task JSON.
  Json create_task(const std::string& template_name, const Json& input,
                   const std::string& requester = "requester", const Json& extra = Json::object());
  // POST /resolution through the service, as `username`; returns the resolution JSON.
  Json create_resolution(const std::string& task_id, const std::string& username = "admin",
                         const Json& extra = Json::object());

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string error_;
};

// gtest fixture: one TestApi per test, built from api_options().
class ApiTest : public ::testing::Test {
 protected:
  virtual ApiOptions api_options() const { return {}; }
  void SetUp() override;
  void TearDown() override;

  CallResult call(const std::string& method, const std::string& path, const std::string& body = "",
                  const Auth& auth = Auth::user("admin"),
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    return api_->call(method, path, body, auth, headers);
  }
  TestApi& api() { return *api_; }

 private:
  std::unique_ptr<TestApi> api_;
};

}  // namespace utask::testing
