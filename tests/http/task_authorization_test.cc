// The authorization matrix of api.md §3.2 for the template, function, task, batch and comment
// routes: every route × admin, resolver (template owner), requester, watcher, stranger and
// anonymous, over the real server. Each case runs on a fresh server holding one `manual` task
// (requester "requester", watcher "watcher") with one comment by the requester. A refused
// call must leave the store as it was.

#include <iterator>
#include <tuple>
#include <string>
#include <vector>

#include "http/api_fixture.h"
#include "persistence/store.h"
#include "store_snapshot.h"

namespace utask::testing {
namespace {

enum Role { kAdmin, kResolver, kRequester, kWatcher, kStranger, kAnonymous, kRoles };
constexpr const char* kRoleNames[] = {"admin", "resolver", "requester", "watcher", "stranger", "anonymous"};

Auth auth_of(Role role) {
  switch (role) {
    case kAdmin: return Auth::user("admin");
    case kResolver: return Auth::user("owner");  // allowed_resolver_usernames of `manual`
    case kRequester: return Auth::user("requester");
    case kWatcher: return Auth::user("watcher");
    case kStranger: return Auth::user("stranger");
    default: return Auth::none();
  }
}

struct RouteCase {
  const char* name;
  const char* method;
  const char* path;  // {task}, {comment} substituted
  const char* body;
  int expected[kRoles];  // status per role
  const char* refusal;   // the 403 message ("" when no 403)
};

const RouteCase kRoutes[] = {
    {"ListTemplates", "GET", "/template", "", {200, 200, 200, 200, 200, 401}, ""},
    {"GetTemplate", "GET", "/template/manual", "", {200, 200, 200, 200, 200, 401}, ""},
    {"ListFunctions", "GET", "/function", "", {200, 200, 200, 200, 200, 401}, ""},
    {"GetFunction", "GET", "/function/echo::hello", "", {200, 200, 200, 200, 200, 401}, ""},
    {"CreateTask", "POST", "/task", R"({"template_name":"manual"})",
     {201, 201, 201, 201, 201, 401}, ""},
    {"CreateTaskWithResolvers", "POST", "/task",
     R"({"template_name":"manual","resolver_usernames":["x"]})", {201, 201, 403, 403, 403, 401},
     "resolver_usernames and resolver_groups can't be set by a regular user, you need to be owner "
     "of the template, or admin"},
    {"ListTasks", "GET", "/task", "", {200, 200, 200, 200, 200, 401}, ""},
    {"GetTask", "GET", "/task/{task}", "", {200, 200, 200, 200, 403, 401}, "Can't display task details"},
    {"EditTask", "PUT", "/task/{task}", R"({"input":{}})", {200, 200, 200, 403, 403, 401},
     "Can't update task"},
    {"CancelTask", "POST", "/task/{task}/wontfix", "", {204, 204, 204, 403, 403, 401},
     "Can't set task's state to WONTFIX"},
    {"DeleteTask", "DELETE", "/task/{task}", "", {204, 401, 401, 401, 401, 401}, ""},
    {"BatchCreateTask", "POST", "/batch", R"({"template_name":"manual","inputs":[{}]})",
     {201, 201, 201, 201, 201, 401}, ""},
    {"AddTaskComment", "POST", "/task/{task}/comment", R"({"content":"a comment"})",
     {201, 201, 201, 201, 403, 401}, "Can't create comment"},
    {"ListTaskComments", "GET", "/task/{task}/comment", "", {200, 200, 200, 200, 403, 401},
     "Can't list comment"},
    {"GetTaskComment", "GET", "/task/{task}/comment/{comment}", "", {200, 200, 200, 200, 403, 401},
     "Can't get comment"},
    {"EditTaskComment", "PUT", "/task/{task}/comment/{comment}", R"({"content":"edited"})",
     {200, 403, 200, 403, 403, 401}, "Not allowed to update comment"},
    {"DeleteTaskComment", "DELETE", "/task/{task}/comment/{comment}", "",
     {204, 403, 204, 403, 403, 401}, "Not allowed to delete comment"},
};

std::string substitute(std::string text, const std::string& name, const std::string& value) {
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) {
    text.replace(at, name.size(), value);
  }
  return text;
}

using MatrixParam = std::tuple<size_t, Role>;

class AuthorizationMatrix : public ApiTest, public ::testing::WithParamInterface<MatrixParam> {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    auto synced = api().store().sync_functions(
        {{"echo::hello", R"({"action":{"configuration":{"output":{"v":1}},"type":"echo"},"name":"echo::hello"})"}});
    ASSERT_TRUE(synced.ok()) << synced.error().message;
    auto task = api().create_task("manual", Json::object(), "requester",
                                  {{"watcher_usernames", {"watcher"}}, {"comment", "the first comment"}});
    task_ = task["id"].get<std::string>();
    comment_ = task["comments"][0]["id"].get<std::string>();
  }

  std::string task_, comment_;
};

TEST_P(AuthorizationMatrix, Route) {
  const RouteCase& route = kRoutes[std::get<0>(GetParam())];
  const Role role = std::get<1>(GetParam());
  const int expected = route.expected[role];
  const std::string path = substitute(substitute(route.path, "{task}", task_), "{comment}", comment_);
  const Json before = store_snapshot(api().store());

  auto r = call(route.method, path, route.body, auth_of(role));
  ASSERT_EQ(r.status, expected) << route.method << " " << path << " as " << kRoleNames[role]
                                << ": " << r.body;
  if (expected == 401) {
    EXPECT_EQ(r.body, "");
  } else if (expected == 403) {
    EXPECT_EQ(r.json(), (Json{{"error", route.refusal}}));
  }
  if (expected >= 400) {
    EXPECT_EQ(store_snapshot(api().store()), before) << "a refused call changed the store";
  } else if (std::string(route.method) != "GET") {
    EXPECT_NE(store_snapshot(api().store()), before) << "an accepted write changed nothing";
  }
}

std::string matrix_name(const ::testing::TestParamInfo<MatrixParam>& info) {
  return std::string(kRoutes[std::get<0>(info.param)].name) + "_" + kRoleNames[std::get<1>(info.param)];
}

INSTANTIATE_TEST_SUITE_P(AllRoutes, AuthorizationMatrix,
                         ::testing::Combine(::testing::Range<size_t>(0, std::size(kRoutes)),
                                            ::testing::Values(kAdmin, kResolver, kRequester,
                                                              kWatcher, kStranger, kAnonymous)),
                         matrix_name);

// Resolvers of the task itself (resolver_usernames, resolver_groups) are resolution managers
// of it, as the template owner is.
TEST_F(ApiTest, TaskResolversSeeAndRejectTheTask) {
  auto task = api().create_task("manual", Json::object(), "owner",
                                {{"resolver_usernames", {"bob"}}, {"resolver_groups", {"ops"}}});
  const std::string id = task["id"].get<std::string>();
  EXPECT_EQ(call("GET", "/task/" + id, "", Auth::user("bob")).status, 200);
  EXPECT_EQ(call("GET", "/task/" + id + "/comment", "", Auth::user("bob")).status, 200);
  EXPECT_EQ(call("PUT", "/task/" + id, R"({"input":{}})", Auth::user("bob")).status, 403);
  EXPECT_EQ(call("POST", "/task/" + id + "/wontfix", "", Auth::user("bob")).status, 204);
}

}  // namespace
}  // namespace utask::testing
