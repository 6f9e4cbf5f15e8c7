// Bad requests to the template, function, task, batch and comment routes (issue 6, "Bad
// input"): each gets a 4xx with the JSON error naming the problem, never a 500, and leaves the
// store exactly as it was. Then the same routes in maintenance mode (api.md §4).

#include <map>
#include <string>
#include <vector>

#include "http/api_fixture.h"
#include "persistence/store.h"
#include "service/admin_console.h"
#include "store_snapshot.h"

namespace utask::testing {
namespace {

constexpr const char* kUnknown = "6f1c7f9e-3b1a-4c55-9d2e-0b8a1e2f3c4d";

struct BadRequest {
  const char* method;
  std::string path;  // {task}, {other}, {comment}, {delayed}, {unknown} substituted
  std::string body;
  const char* user;  // x-remote-user
  int status;
  std::string error;  // prefix of the JSON error
};

const std::string kBinding = "binding error: error parsing request body: ";

const std::vector<BadRequest> kBadRequests = {
    // POST /task: bodies that do not parse or do not fit the types.
    {"POST", "/task", R"({"template_name": "hello",)", "requester", 400, kBinding},
    {"POST", "/task", "template_name: [unclosed\n", "requester", 400, kBinding},
    {"POST", "/task", "[1, 2]", "requester", 400, kBinding + "expected an object, got an array"},
    {"POST", "/task", R"("just a string")", "requester", 400, kBinding},
    {"POST", "/task", R"({"template_name":{"a":1}})", "requester", 400,
     kBinding + "field 'template_name': expected a string, got an object"},
    {"POST", "/task", R"({"template_name":"hello","input":"name=x"})", "requester", 400,
     kBinding + "field 'input': expected an object, got a string"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"watcher_usernames":"w"})",
     "requester", 400, kBinding + "field 'watcher_usernames'"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"resolver_groups":[{"a":1}]})",
     "admin", 400, kBinding + "field 'resolver_groups'"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"tags":["a"]})", "requester",
     400, kBinding + "field 'tags'"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"tags":{"k":{"v":1}}})",
     "requester", 400, kBinding + "field 'tags.k'"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"delay":[1]})", "admin", 400,
     kBinding + "field 'delay'"},
    // POST /task: the service's refusals.
    {"POST", "/task", R"({"template_name":"nope"})", "requester", 404, "template \"nope\" not found"},
    {"POST", "/task", "", "requester", 404, "template \"\" not found"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"tags":{"_utask_parent_task_id":"p"}})",
     "requester", 400, "tag name \"_utask_parent_task_id\" not allowed"},
    {"POST", "/task", R"({"template_name":"hello","input":{}})", "requester", 400,
     "Failed to create new Task: Missing input 'name'"},
    {"POST", "/task", R"({"template_name":"blocked-template"})", "admin", 400,
     "Template not available (blocked)"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"comment":"hi"})", "requester",
     400, "Failed to create comment: task comment can't be shorter than 3 characters"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"delay":"tomorrow"})", "admin",
     400, "delay: "},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":"x"},"resolver_usernames":["me"]})",
     "requester", 403,
     "resolver_usernames and resolver_groups can't be set by a regular user, you need to be owner of "
     "the template, or admin"},
    {"POST", "/task", R"({"template_name":"hello","input":{"name":")" + std::string(300000, 'x') + "\"}}",
     "requester", 400, ""},  // over max_body_bytes
    // GET /task: query parameters.
    {"GET", "/task?type=mine", "", "requester", 400,
     "binding error on field 'Type' of type 'listTasksIn': parameter has not an acceptable value, "
     "enum=[own resolvable all]"},
    {"GET", "/task?page_size=abc", "", "requester", 400, "expected 'page_size' to be of type uint64"},
    {"GET", "/task?page_size=-1", "", "requester", 400, "expected 'page_size' to be of type uint64"},
    {"GET", "/task?page_size=99999999999999999999", "", "requester", 400,
     "expected 'page_size' to be of type uint64"},
    {"GET", "/task?page_size=10&page_size=20", "", "requester", 400, "binding error on query parameter 'page_size': multiple values not supported"},
    {"GET", "/task?type=own&type=all", "", "requester", 400, "binding error on query parameter 'type': multiple values not supported"},
    {"GET", "/task?after=yesterday", "", "requester", 400, "expected 'after' to be of type struct"},
    {"GET", "/task?before=2024-01-01T00:00:00", "", "requester", 400,
     "expected 'before' to be of type struct"},
    {"GET", "/task?tag=novalue", "", "requester", 400, "invalid tag novalue"},
    {"GET", "/task?tag=a=b=c", "", "requester", 400, "invalid tag a=b=c"},
    {"GET", "/task?tag==v", "", "requester", 400, "invalid tag =v"},
    {"GET", "/task?state=FINISHED", "", "requester", 400, "invalid task state \"FINISHED\""},
    {"GET", "/task?state=todo", "", "requester", 400, "invalid task state \"todo\""},
    {"GET", "/task?batch={unknown}", "", "requester", 404, ""},
    {"GET", "/task?last={unknown}", "", "requester", 404, ""},
    // One task.
    {"GET", "/task/{unknown}", "", "admin", 404, ""},
    {"GET", "/task/not-a-uuid", "", "admin", 404, ""},
    {"PUT", "/task/{task}", R"({"tags":{"a":"b"}})", "requester", 400,
     "Failed to update task: Missing input"},
    {"PUT", "/task/{task}", R"({"input":{"name":"x"}", "tags")", "requester", 400, kBinding},
    {"PUT", "/task/{task}", R"({"input":["name","x"]})", "requester", 400,
     kBinding + "field 'input': expected an object, got an array"},
    {"PUT", "/task/{task}", R"({"input":{}})", "requester", 400, "Failed to update task: Missing input 'name'"},
    {"PUT", "/task/{task}", R"({"input":{"name":"x"},"tags":{"_utask_parent_task_id":"p"}})",
     "requester", 400, "tag _utask_parent_task_id is read-only and cannot be modified"},
    {"PUT", "/task/{unknown}", R"({"input":{"name":"x"}})", "admin", 404, ""},
    {"POST", "/task/{unknown}/wontfix", "", "admin", 404, ""},
    {"POST", "/task/{delayed}/wontfix", "", "requester", 400,
     "Can't set task's state to WONTFIX: task is in state DELAYED"},
    {"DELETE", "/task/{unknown}", "", "admin", 404, ""},
    // Batches.
    {"POST", "/batch", R"({"template_name":"hello","inputs":"x"})", "requester", 400,
     kBinding + "field 'inputs': expected a list of objects, got a string"},
    {"POST", "/batch", R"({"template_name":"hello","inputs":[{"name":"a"}, 3]})", "requester", 400,
     kBinding + "field 'inputs': expected a list of objects, got a number in it"},
    {"POST", "/batch", R"({"template_name":"hello","common_input":{"name":"c"},"inputs":[{"name":"a"}]})",
     "requester", 400, "Conflicting keys in input maps"},
    {"POST", "/batch", R"({"template_name":"hello","inputs":[{"name":"a"},{}]})", "requester", 400,
     "Failed to create new Task: Missing input 'name'"},
    {"POST", "/batch", R"({"template_name":"nope","inputs":[{}]})", "requester", 404,
     "template \"nope\" not found"},
    // Comments.
    {"POST", "/task/{task}/comment", R"({"content":"ab"})", "requester", 400,
     "Failed to create comment: task comment can't be shorter than 3 characters"},
    {"POST", "/task/{task}/comment", R"({"content":{"text":"hello"}})", "requester", 400,
     kBinding + "field 'content': expected a string, got an object"},
    {"POST", "/task/{task}/comment", "content: [a, b", "requester", 400, kBinding},
    {"POST", "/task/{unknown}/comment", R"({"content":"hello"})", "admin", 404, ""},
    {"GET", "/task/{unknown}/comment", "", "admin", 404, ""},
    {"GET", "/task/{task}/comment/{unknown}", "", "admin", 404, ""},
    {"GET", "/task/{other}/comment/{comment}", "", "admin", 404, ""},
    {"PUT", "/task/{task}/comment/{comment}", R"({"content":"x"})", "requester", 400,
     "Failed to create comment: task comment can't be shorter than 3 characters"},
    {"PUT", "/task/{task}/comment/{comment}", R"({"content":["x"]})", "requester", 400,
     kBinding + "field 'content'"},
    {"PUT", "/task/{other}/comment/{comment}", R"({"content":"moved"})", "requester", 404, ""},
    {"DELETE", "/task/{task}/comment/{unknown}", "", "requester", 404, ""},
    // Templates and functions.
    {"GET", "/template/nope", "", "requester", 404, "Failed to load template \"nope\" from name: "},
    {"GET", "/template?last=nope", "", "requester", 404, "Failed to load template \"nope\" from name: "},
    {"GET", "/template?page_size=x", "", "requester", 400, "expected 'page_size' to be of type uint64"},
    {"GET", "/function/nope", "", "requester", 404, "function not found"},
    {"GET", "/function?page_size=1.5", "", "requester", 400, "expected 'page_size' to be of type uint64"},
};

std::string substitute(std::string text, const std::string& name, const std::string& value) {
  for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) {
    text.replace(at, name.size(), value);
  }
  return text;
}

class TaskBadRequests : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    auto task = api().create_task("hello", {{"name", "n"}}, "requester", {{"comment", "a comment"}});
    vars_["{task}"] = task["id"].get<std::string>();
    vars_["{comment}"] = task["comments"][0]["id"].get<std::string>();
    vars_["{other}"] = api().create_task("manual", Json::object(), "requester")["id"].get<std::string>();
    auto delayed = call("POST", "/task", R"({"template_name":"manual","delay":"1h"})", Auth::user("requester"));
    ASSERT_EQ(delayed.status, 201) << delayed.body;
    vars_["{delayed}"] = delayed.json()["id"].get<std::string>();
    vars_["{unknown}"] = kUnknown;
  }
  std::string expand(std::string text) const {
    for (const auto& [name, value] : vars_) text = substitute(text, name, value);
    return text;
  }

  std::map<std::string, std::string> vars_;
};

TEST_F(TaskBadRequests, EachIsRefusedWithItsMessageAndStoresNothing) {
  ASSERT_GE(kBadRequests.size(), 50u);
  for (const auto& c : kBadRequests) {
    const std::string path = expand(c.path);
    const std::string body = expand(c.body);
    const std::string what = std::string(c.method) + " " + path + " " + body.substr(0, 120);
    const Json before = store_snapshot(api().store());
    auto r = call(c.method, path, body, Auth::user(c.user));
    EXPECT_EQ(r.status, c.status) << what << " → " << r.body.substr(0, 300);
    auto parsed = parse_json(r.body);
    ASSERT_TRUE(parsed.ok()) << what << ": not JSON: " << r.body.substr(0, 300);
    ASSERT_TRUE(parsed->is_object() && parsed->contains("error") && (*parsed)["error"].is_string())
        << what << ": " << r.body;
    const auto error = (*parsed)["error"].get<std::string>();
    EXPECT_FALSE(error.empty()) << what;
    EXPECT_EQ(error.rfind(c.error, 0), 0u) << what << " → " << error;
    EXPECT_EQ(store_snapshot(api().store()), before) << what << " changed the store";
  }
}

// api.md §4: every write refused with 405 and nothing done; reads still work; the admin guard
// of DELETE /task/{id} comes first.
TEST_F(TaskBadRequests, MaintenanceModeRefusesEveryWrite) {
  ASSERT_TRUE(api().admin_console().set_maintenance_mode(true, "admin").ok());
  struct Write {
    const char* method;
    std::string path;
    std::string body;
  };
  const std::vector<Write> writes = {
      {"POST", "/task", R"({"template_name":"hello","input":{"name":"m"}})"},
      {"PUT", "/task/{task}", R"({"input":{"name":"m"}})"},
      {"POST", "/task/{task}/wontfix", ""},
      {"DELETE", "/task/{other}", ""},
      {"POST", "/batch", R"({"template_name":"manual","inputs":[{}]})"},
      {"POST", "/task/{task}/comment", R"({"content":"in maintenance"})"},
      {"PUT", "/task/{task}/comment/{comment}", R"({"content":"in maintenance"})"},
      {"DELETE", "/task/{task}/comment/{comment}", ""},
  };
  for (const auto& w : writes) {
    const Json before = store_snapshot(api().store());
    auto r = call(w.method, expand(w.path), expand(w.body), Auth::user("admin"));
    EXPECT_EQ(r.status, 405) << w.method << " " << w.path << ": " << r.body;
    EXPECT_EQ(r.json(), (Json{{"error", "Maintenance mode activated"}})) << w.method << " " << w.path;
    EXPECT_EQ(store_snapshot(api().store()), before) << w.method << " " << w.path;
  }
  auto guarded = call("DELETE", expand("/task/{other}"), "", Auth::user("requester"));
  EXPECT_EQ(guarded.status, 401);
  EXPECT_EQ(guarded.body, "");

  for (const std::string path : {"/template", "/template/hello", "/function", "/task", "/task/{task}",
                                 "/task/{task}/comment", "/task/{task}/comment/{comment}"}) {
    auto r = call("GET", expand(path), "", Auth::user("admin"));
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
  }

  ASSERT_TRUE(api().admin_console().set_maintenance_mode(false, "admin").ok());
  EXPECT_EQ(call("POST", "/task", R"({"template_name":"hello","input":{"name":"m"}})").status, 201);
}

}  // namespace
}  // namespace utask::testing
