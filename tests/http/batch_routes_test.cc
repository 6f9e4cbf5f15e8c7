// POST /batch over the real server (api.md §5.4): one task per input, all or nothing.

#include <set>
#include <string>

#include "http/api_fixture.h"
#include "persistence/store.h"
#include "store_snapshot.h"

namespace utask::testing {
namespace {

class BatchRoutes : public ApiTest {
 protected:
  Json tasks_of_batch(const std::string& batch_id) {
    auto r = call("GET", "/task?type=all&batch=" + batch_id, "", Auth::user("admin"));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }
};

TEST_F(BatchRoutes, CreatesOneTaskPerInputWithTheCommonInput) {
  auto r = call("POST", "/batch",
                R"({"template_name":"hello","common_input":{"secret":"pw"},
                    "inputs":[{"name":"a"},{"name":"b"},{"name":"c"}],
                    "comment":"batch comment","watcher_usernames":["watcher"],
                    "watcher_groups":["team"],"tags":{"wave":"1"}})",
                Auth::user("requester"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto batch = r.json();
  ASSERT_EQ(batch.size(), 1u) << r.body;  // {"id": ...} only
  const std::string id = batch["id"].get<std::string>();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_TRUE(api().store().get_batch(id).ok());

  auto listed = tasks_of_batch(id);
  ASSERT_EQ(listed.size(), 3u);
  std::set<std::string> titles;
  for (const auto& item : listed) {
    titles.insert(item["title"].get<std::string>());
    EXPECT_EQ(item["batch"], id);
    EXPECT_EQ(item["requester_username"], "requester");
    EXPECT_EQ(item["watcher_usernames"], Json::array({"watcher"}));
    EXPECT_EQ(item["watcher_groups"], Json::array({"team"}));
    EXPECT_EQ(item["tags"]["wave"], "1");
    auto task = call("GET", "/task/" + item["id"].get<std::string>(), "", Auth::user("admin")).json();
    EXPECT_EQ(task["input"]["secret"], "pw");
    ASSERT_EQ(task["comments"].size(), 1u);
    EXPECT_EQ(task["comments"][0]["content"], "batch comment");
  }
  EXPECT_EQ(titles, (std::set<std::string>{"Hello a", "Hello b", "Hello c"}));
  // The requester of hello is no resolver: nothing auto-runs.
  EXPECT_EQ(api().wakes(), 0);
}

TEST_F(BatchRoutes, AutoRunsWhenTheCallerMay) {
  auto r = call("POST", "/batch", R"({"template_name":"allow-all","inputs":[{},{}]})",
                Auth::user("requester"));
  ASSERT_EQ(r.status, 201) << r.body;
  for (const auto& item : tasks_of_batch(r.json()["id"].get<std::string>())) {
    EXPECT_TRUE(item.contains("resolution")) << item.dump();
  }
  EXPECT_EQ(api().wakes(), 1);
}

TEST_F(BatchRoutes, AcceptsAnEmptyBatchAndYaml) {
  auto empty = call("POST", "/batch", R"({"template_name":"manual","inputs":[]})", Auth::user("requester"));
  ASSERT_EQ(empty.status, 201) << empty.body;
  EXPECT_EQ(tasks_of_batch(empty.json()["id"].get<std::string>()), Json::array());

  auto yaml = call("POST", "/batch", "template_name: manual\ninputs:\n  - {}\n  -\n",
                   Auth::user("requester"));
  ASSERT_EQ(yaml.status, 201) << yaml.body;
  EXPECT_EQ(tasks_of_batch(yaml.json()["id"].get<std::string>()).size(), 2u);
}

TEST_F(BatchRoutes, AnyFailureCreatesNothing) {
  api().create_task("manual", Json::object(), "requester");
  struct Case {
    std::string body;
    int status;
    std::string error;
  };
  const std::vector<Case> cases = {
      {R"({"template_name":"hello","common_input":{"name":"x"},"inputs":[{"secret":"a"},{"name":"y"}]})",
       400, "Conflicting keys in input maps"},
      {R"({"template_name":"hello","inputs":[{"name":"ok"},{"secret":"no name"}]})", 400,
       "Failed to create new Task: Missing input 'name'"},
      {R"({"template_name":"nope","inputs":[{}]})", 404, "template \"nope\" not found"},
      {R"({"inputs":[{}]})", 404, "template \"\" not found"},
      {R"({"template_name":"blocked-template","inputs":[{}]})", 400, "Template not available (blocked)"},
      {R"({"template_name":"manual","inputs":[{}],"tags":{"_utask_parent_task_id":"x"}})", 400,
       "tag name \"_utask_parent_task_id\" not allowed"},
      {R"({"template_name":"manual","inputs":[{}],"comment":"no"})", 400,
       "Failed to create comment: task comment can't be shorter than 3 characters"},
      {R"({"template_name":"manual","inputs":{"a":1}})", 400,
       "binding error: error parsing request body: field 'inputs': expected a list of objects, got an object"},
      {R"({"template_name":"manual","inputs":["a"]})", 400,
       "binding error: error parsing request body: field 'inputs': expected a list of objects"},
      {R"({"template_name":"manual","common_input":[1]})", 400,
       "binding error: error parsing request body: field 'common_input'"},
      {R"({"template_name":"manual","inputs":[{}],"watcher_groups":"g"})", 400,
       "binding error: error parsing request body: field 'watcher_groups'"},
      {R"({"template_name":"manual","inputs":[{}]",)", 400, "binding error: error parsing request body: "},
  };
  for (const auto& c : cases) {
    const Json before = store_snapshot(api().store());
    auto r = call("POST", "/batch", c.body, Auth::user("requester"));
    EXPECT_EQ(r.status, c.status) << c.body << ": " << r.body;
    auto error = r.json()["error"].get<std::string>();
    EXPECT_EQ(error.rfind(c.error, 0), 0u) << c.body << ": " << error;
    EXPECT_EQ(store_snapshot(api().store()), before) << c.body;
  }
}

TEST_F(BatchRoutes, RequiresAuthentication) {
  auto r = call("POST", "/batch", R"({"template_name":"manual","inputs":[{}]})", Auth::none());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, "");
}

}  // namespace
}  // namespace utask::testing
