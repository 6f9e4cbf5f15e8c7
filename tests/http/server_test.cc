// The server's middleware chain (api.md §1.1, §1.4–§1.6, §1.8, §4) on a small route table of
// its own, through real HTTP on 127.0.0.1: routing, redirects, CORS, content negotiation,
// body limit, crash recovery, guard order, and concurrency.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <stdexcept>
#include <thread>

#include "http/api_fixture.h"
#include "http/auth.h"
#include "http/binding.h"
#include "http/server.h"

namespace utask::http {
namespace {

using testing::Auth;
using testing::CallResult;

class SwitchConsole final : public service::AdminConsole {
 public:
  bool maintenance_mode() const override { return on_; }
  Result<void> set_maintenance_mode(bool on, const std::string&) override {
    on_ = on;
    return {};
  }
  Result<void> start_key_rotation(const std::string&) override { return {}; }
  Json key_rotation_status() const override { return Json::object(); }

 private:
  std::atomic<bool> on_{false};
};

Json caller_json(const RequestContext& rc) {
  Json groups = Json::array();
  for (const auto& g : rc.caller->groups) groups.push_back(g);
  return Json{{"username", rc.caller->username}, {"groups", groups}, {"admin", rc.caller->admin}};
}

Route make(std::string method, std::string pattern, Access access, Handler handler,
           bool maintenance = false) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.access = access;
  r.handler = std::move(handler);
  r.maintenance_sensitive = maintenance;
  return r;
}

// A server over a test route table; `basic_auth` empty = x-remote-user mode.
class Harness {
 public:
  explicit Harness(size_t max_body_bytes = 262144, config::BasicAuth basic_auth = {})
      : auth_(default_identity_provider(std::move(basic_auth),
                                        {{"admins", {"alice"}}, {"ops", {"alice", "bob"}}}),
              {"admin"}, {"admins"}) {
    api_.auth = &auth_;
    api_.admin = &console_;
    api_.options.address = "127.0.0.1";
    api_.options.port = 0;
    api_.options.max_body_bytes = max_body_bytes;
    api_.options.threads = 4;
    routes_.add(make("GET", "/open", Access::unsecured,
                     [](const RequestContext&) { return HttpResponse::json(200, Json{{"ok", true}}); }));
    routes_.add(make("GET", "/me", Access::authenticated,
                     [](const RequestContext& rc) { return HttpResponse::json(200, caller_json(rc)); }));
    routes_.add(make("POST", "/write", Access::authenticated,
                     [this](const RequestContext&) {
                       ++writes;
                       return HttpResponse::json(201, Json{{"written", true}});
                     },
                     true));
    routes_.add(make("DELETE", "/admin-write", Access::admin,
                     [this](const RequestContext&) {
                       ++writes;
                       return HttpResponse::empty(204);
                     },
                     true));
    routes_.add(make("POST", "/unsecured/hook", Access::unsecured,
                     [this](const RequestContext&) {
                       ++writes;
                       return HttpResponse::json(200, Json{{"message", "ok"}});
                     },
                     true));
    routes_.add(make("GET", "/boom", Access::unsecured, [](const RequestContext&) -> HttpResponse {
      throw std::runtime_error("handler bug");
    }));
    routes_.add(make("POST", "/echo", Access::unsecured, [](const RequestContext& rc) {
      auto body = bind_body(rc.request);
      if (!body) return error_response(body.error());
      return HttpResponse::json(200, *body);
    }));
    routes_.add(make("GET", "/query", Access::unsecured, [](const RequestContext& rc) {
      Json q = Json::array();
      for (const auto& [k, v] : rc.request.query) q.push_back(Json::array({k, v}));
      return HttpResponse::json(200, Json{{"path", rc.request.path}, {"query", q}});
    }));
    routes_.add(make("GET", "/item/{id}", Access::unsecured, [](const RequestContext& rc) {
      return HttpResponse::json(200, Json{{"id", rc.request.path_param("id")}});
    }));
    routes_.add(make("GET", "/slow", Access::unsecured, [this](const RequestContext&) {
      slow_entered.set_value();
      release.get_future().wait();
      return HttpResponse::text(200, "slow");
    }));
    Route bare = make("GET", "/bare", Access::unsecured,
                      [](const RequestContext&) { return HttpResponse::text(200, "bare"); });
    bare.bare = true;
    routes_.add(std::move(bare));
    auto started = server_.start(api_, routes_);
    EXPECT_TRUE(started.ok()) << (started ? "" : started.error().message);
    base_ = "http://127.0.0.1:" + std::to_string(server_.port());
  }

  CallResult call(const std::string& method, const std::string& path, const std::string& body = "",
                  const Auth& auth = Auth::none(),
                  const std::vector<std::pair<std::string, std::string>>& headers = {}) const {
    return testing::http_call(base_, method, path, body, auth, headers);
  }
  uint16_t port() const { return server_.port(); }

  SwitchConsole console_;
  std::atomic<int> writes{0};
  std::promise<void> slow_entered;
  std::promise<void> release;

 private:
  Authenticator auth_;
  ApiContext api_;
  RouteTable routes_;
  HttpServer server_;
  std::string base_;
};

void expect_cors(const CallResult& r) {
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(r.header("Access-Control-Allow-Methods"), "GET,POST,PUT,DELETE");
  EXPECT_EQ(r.header("Access-Control-Allow-Headers"), "Content-Type");
  EXPECT_EQ(r.header("Access-Control-Expose-Headers"), "Content-Type");
}

TEST(Server, PicksAFreePortAndAnswers) {
  Harness h;
  EXPECT_NE(h.port(), 0);
  auto r = h.call("GET", "/open");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"ok":true})");
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
}

TEST(Server, UnknownPathsAndMethodsAre404Text) {
  Harness h;
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/nothing"}, {"DELETE", "/open"}, {"OPTIONS", "/open"}, {"PUT", "/me"}}) {
    auto r = h.call(method, path);
    EXPECT_EQ(r.status, 404) << method << " " << path;
    EXPECT_EQ(r.body, "404 page not found");
    EXPECT_EQ(r.header("Content-Type").rfind("text/plain", 0), 0u);
    expect_cors(r);
  }
}

TEST(Server, TrailingSlashRedirects301ForGetAnd307Otherwise) {
  Harness h;
  auto get = h.call("GET", "/me/?a=1");
  EXPECT_EQ(get.status, 301);
  EXPECT_EQ(get.header("Location"), "/me?a=1");
  auto post = h.call("POST", "/write/", "{}");
  EXPECT_EQ(post.status, 307);
  EXPECT_EQ(post.header("Location"), "/write");
  EXPECT_EQ(h.writes, 0);
  // No redirect when the other form is not routed for that method either.
  EXPECT_EQ(h.call("DELETE", "/write/").status, 404);
}

TEST(Server, DecodesPathAndQuery) {
  Harness h;
  auto r = h.call("GET", "/query?tag=a%3Db&tag=c+d&x=%zz&empty=");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["path"], "/query");
  EXPECT_EQ(r.json()["query"], Json::parse(R"([["tag","a=b"],["tag","c d"],["empty",""]])"));
  EXPECT_EQ(h.call("GET", "/item/a%20b").json()["id"], "a b");
}

TEST(Server, CorsOnApiAnswersButNotOnBareRoutes) {
  Harness h;
  expect_cors(h.call("GET", "/open"));
  expect_cors(h.call("GET", "/me"));  // 401 too
  auto bare = h.call("GET", "/bare");
  EXPECT_EQ(bare.status, 200);
  EXPECT_EQ(bare.header("Access-Control-Allow-Origin"), "");
}

TEST(Server, AHandlerExceptionIsAnEmpty500AndTheServerGoesOn) {
  Harness h;
  auto r = h.call("GET", "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body, "");
  expect_cors(r);
  EXPECT_EQ(h.call("GET", "/open").status, 200);
}

struct AcceptCase {
  std::string accept;
  bool yaml;
};

TEST(Server, AcceptNegotiatesYamlWithSortedKeys) {
  Harness h;
  const std::vector<AcceptCase> cases{
      {"application/x-yaml", true},
      {"text/html, application/x-yaml", true},
      {"application/json;q=0.5, application/x-yaml", true},
      {"application/x-yaml;q=0.1, application/json", false},
      {"application/yaml", false},
      {"application/json", false},
      {"*/*", false},
      {"", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.accept);
    auto r = h.call("POST", "/echo", R"({"b": "text", "a": [1, 2.50], "c": {"z": true, "y": "123"}})",
                    Auth::none(), {{"Accept", c.accept}});
    ASSERT_EQ(r.status, 200);
    if (c.yaml) {
      EXPECT_EQ(r.header("Content-Type"), "application/x-yaml");
      EXPECT_EQ(r.body, "a:\n  - 1\n  - 2.50\nb: text\nc:\n  \"y\": \"123\"\n  z: true\n");
    } else {
      EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
      EXPECT_EQ(r.body, R"({"a":[1,2.50],"b":"text","c":{"y":"123","z":true}})");
    }
  }
  // Error payloads too.
  auto error = h.call("POST", "/echo", "[1]", Auth::none(), {{"Accept", "application/x-yaml"}});
  EXPECT_EQ(error.status, 400);
  EXPECT_EQ(error.header("Content-Type"), "application/x-yaml");
  EXPECT_EQ(error.body.rfind("error: \"binding error: ", 0), 0u) << error.body;
}

TEST(Server, BodiesOverTheLimitAreBindingErrors) {
  Harness h(1024);
  const std::string fits = R"({"pad": ")" + std::string(1000, 'x') + "\"}";
  ASSERT_LE(fits.size(), 1024u);
  EXPECT_EQ(h.call("POST", "/echo", fits).status, 200);
  const std::string over = R"({"pad": ")" + std::string(1100, 'x') + "\"}";
  auto r = h.call("POST", "/echo", over);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"].get<std::string>().rfind("binding error: error parsing request body: ", 0), 0u)
      << r.body;
  expect_cors(r);
}

TEST(Server, TheBodyLimitIsClampedToAtLeast1024Bytes) {
  Harness h(10);
  const std::string body = R"({"pad": ")" + std::string(900, 'x') + "\"}";
  EXPECT_EQ(h.call("POST", "/echo", body).status, 200);
}

TEST(Server, MaintenanceRefusesWritesAfterAuthenticationAndTheAdminGuard) {
  Harness h;
  h.console_.set_maintenance_mode(true, "test");
  // Reads keep working.
  EXPECT_EQ(h.call("GET", "/me", "", Auth::user("bob")).status, 200);
  // Writes: 405 with the original's body, and nothing done.
  auto write = h.call("POST", "/write", "{}", Auth::user("bob"));
  EXPECT_EQ(write.status, 405);
  EXPECT_EQ(write.body, R"({"error":"Maintenance mode activated"})");
  expect_cors(write);
  // Authentication comes first on API routes...
  EXPECT_EQ(h.call("POST", "/write", "{}", Auth::none()).status, 401);
  // ...then the admin guard: a non-admin gets 401 even in maintenance...
  auto guarded = h.call("DELETE", "/admin-write", "", Auth::user("bob"));
  EXPECT_EQ(guarded.status, 401);
  EXPECT_EQ(guarded.body, "");
  // ...and an admin the maintenance refusal.
  EXPECT_EQ(h.call("DELETE", "/admin-write", "", Auth::user("admin")).status, 405);
  // Unsecured maintenance-sensitive routes are refused without authentication.
  EXPECT_EQ(h.call("POST", "/unsecured/hook", "{}").status, 405);
  EXPECT_EQ(h.writes, 0);

  h.console_.set_maintenance_mode(false, "test");
  EXPECT_EQ(h.call("POST", "/write", "{}", Auth::user("bob")).status, 201);
  EXPECT_EQ(h.call("DELETE", "/admin-write", "", Auth::user("admin")).status, 204);
  EXPECT_EQ(h.call("POST", "/unsecured/hook", "{}").status, 200);
  EXPECT_EQ(h.writes, 3);
}

TEST(Server, TheAdminGuardAnswersAnEmpty401) {
  Harness h;
  auto r = h.call("DELETE", "/admin-write", "", Auth::user("bob"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.header("WWW-Authenticate"), "");
  EXPECT_EQ(h.call("DELETE", "/admin-write", "", Auth::user("alice")).status, 204);  // admin group
}

TEST(Server, ABlockedHandlerDoesNotStallOtherRequests) {
  Harness h;
  auto slow = std::async(std::launch::async, [&h] { return h.call("GET", "/slow"); });
  h.slow_entered.get_future().wait();
  // While /slow holds one thread, others are answered.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(h.call("GET", "/open").status, 200);
  h.release.set_value();
  EXPECT_EQ(slow.get().body, "slow");
}

TEST(Server, ASlowClientDoesNotStallOtherRequests) {
  Harness h;
  // A client that sends half a request and then nothing.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(h.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string partial = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":";
  ASSERT_EQ(send(fd, partial.data(), partial.size(), 0), static_cast<ssize_t>(partial.size()));
  for (int i = 0; i < 8; ++i) EXPECT_EQ(h.call("GET", "/open").status, 200);
  close(fd);
}

}  // namespace
}  // namespace utask::http
