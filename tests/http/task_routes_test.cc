// POST/GET /task, GET/PUT/DELETE /task/{id}, POST /task/{id}/wontfix over the real server
// (api.md §5.3, §1.7, §3.3).

#include <set>
#include <string>
#include <vector>

#include "http/api_fixture.h"
#include "persistence/store.h"
#include "store_snapshot.h"

namespace utask::testing {
namespace {

class TaskRoutes : public ApiTest {
 protected:
  std::string error_of(const CallResult& r) {
    auto j = r.json();
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "<no error>";
  }
  void force_state(const std::string& task_id, const std::string& state) {
    persistence::TaskChange change;
    change.state = state;
    auto written = api().store().update_task(task_id, change);
    ASSERT_TRUE(written.ok()) << written.error().message;
  }
};

TEST_F(TaskRoutes, CreatesATaskAndAnswersItWith201) {
  auto r = call("POST", "/task",
                R"({"template_name":"hello","input":{"name":"world","extra":"dropped"},
                    "comment":"first words","watcher_usernames":["watcher"],
                    "tags":{"team":"blue"}})",
                Auth::user("requester"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.header("Content-Type").find("application/json"), std::string::npos);
  auto t = r.json();
  EXPECT_EQ(t["requester_username"], "requester");
  EXPECT_EQ(t["state"], "TODO");
  EXPECT_EQ(t["title"], "Hello world");
  EXPECT_EQ(t["template_name"], "hello");
  EXPECT_EQ(t["steps_total"], 1);
  EXPECT_EQ(t["input"], (Json{{"name", "world"}}));  // undeclared keys dropped, in clear
  EXPECT_EQ(t["result"]["greeting"], "{{.step.greet.output.v}}");  // as written in the template
  EXPECT_EQ(t["tags"], (Json{{"kind", "greeting"}, {"team", "blue"}}));
  EXPECT_EQ(t["watcher_usernames"], Json::array({"watcher"}));
  ASSERT_EQ(t["comments"].size(), 1u);
  EXPECT_EQ(t["comments"][0]["content"], "first words");
  EXPECT_EQ(t["comments"][0]["username"], "requester");
  // A requester who is not a resolver of an auto-runnable template does not start it.
  EXPECT_FALSE(t.contains("resolution"));
  EXPECT_EQ(api().wakes(), 0);
  EXPECT_TRUE(api().store().get_task(t["id"].get<std::string>()).ok());
}

TEST_F(TaskRoutes, AutoRunsForTheTemplateOwnerAndWakesTheRunner) {
  auto r = call("POST", "/task", R"({"template_name":"hello","input":{"name":"x"}})",
                Auth::user("owner"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto t = r.json();
  ASSERT_TRUE(t.contains("resolution")) << r.body;
  EXPECT_EQ(t["resolver_username"], "owner");
  EXPECT_EQ(api().wakes(), 1);
  auto resolution = api().store().get_resolution(t["resolution"].get<std::string>(),
                                                 persistence::ResolutionView::without_steps);
  ASSERT_TRUE(resolution.ok());
  EXPECT_EQ(resolution->state, "TO_AUTORUN");
}

TEST_F(TaskRoutes, AcceptsYamlBodiesAndCoercesScalarsToStrings) {
  auto r = call("POST", "/task",
                "template_name: hello\ninput:\n  name: world\ncomment: 12345\ntags:\n  flag: yes\n",
                Auth::user("requester"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto t = r.json();
  EXPECT_EQ(t["comments"][0]["content"], "12345");
  EXPECT_EQ(t["tags"]["flag"], "true");  // YAML 1.1: `yes` is a boolean, coerced to text
}

TEST_F(TaskRoutes, DelayOnANonAutoRunnableTemplateLeavesTheTaskDelayed) {
  auto r = call("POST", "/task", R"({"template_name":"manual","delay":"1h30m"})",
                Auth::user("requester"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["state"], "DELAYED");
  EXPECT_FALSE(r.json().contains("resolution"));
}

TEST_F(TaskRoutes, DelayedAutoRunGetsADelayedResolution) {
  auto r = call("POST", "/task", R"({"template_name":"allow-all","delay":"90s"})",
                Auth::user("requester"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto resolution = api().store().get_resolution(r.json()["resolution"].get<std::string>(),
                                                 persistence::ResolutionView::without_steps);
  ASSERT_TRUE(resolution.ok());
  EXPECT_EQ(resolution->state, "TO_AUTORUN_DELAYED");
  EXPECT_TRUE(resolution->next_retry.has_value());

  auto bad = call("POST", "/task", R"({"template_name":"allow-all","delay":"soon"})",
                  Auth::user("requester"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(error_of(bad).rfind("delay: ", 0), 0u) << bad.body;
}

TEST_F(TaskRoutes, OnlyAdminsAndOwnersSetResolverLists) {
  const std::string body =
      R"({"template_name":"manual","resolver_usernames":["bob"],"resolver_groups":["ops"]})";
  auto refused = call("POST", "/task", body, Auth::user("requester"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(error_of(refused),
            "resolver_usernames and resolver_groups can't be set by a regular user, you need to "
            "be owner of the template, or admin");
  for (const auto& auth : {Auth::user("admin"), Auth::user("owner")}) {
    auto r = call("POST", "/task", body, auth);
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["resolver_usernames"], Json::array({"bob"}));
    EXPECT_EQ(r.json()["resolver_groups"], Json::array({"ops"}));
  }
}

TEST_F(TaskRoutes, ShowsATaskWithPasswordsMaskedForNonAdmins) {
  auto t = api().create_task("hello", {{"name", "n"}, {"secret", "s3cr3t"}}, "requester",
                             {{"comment", "hello there"}, {"watcher_usernames", {"watcher"}}});
  const std::string id = t["id"].get<std::string>();
  for (const std::string user : {"requester", "watcher", "owner"}) {
    auto r = call("GET", "/task/" + id, "", Auth::user(user));
    ASSERT_EQ(r.status, 200) << user << ": " << r.body;
    EXPECT_EQ(r.json()["input"]["secret"], "**__SECRET__**") << user;
    EXPECT_EQ(r.json()["input"]["name"], "n");
    ASSERT_EQ(r.json()["comments"].size(), 1u);
  }
  auto admin = call("GET", "/task/" + id, "", Auth::user("admin"));
  ASSERT_EQ(admin.status, 200);
  EXPECT_EQ(admin.json()["input"]["secret"], "s3cr3t");

  auto stranger = call("GET", "/task/" + id, "", Auth::user("stranger"));
  EXPECT_EQ(stranger.status, 403);
  EXPECT_EQ(error_of(stranger), "Can't display task details");
  EXPECT_EQ(call("GET", "/task/00000000-0000-4000-8000-000000000000").status, 404);
  EXPECT_EQ(call("GET", "/task/not-a-uuid").status, 404);
}

TEST_F(TaskRoutes, ListsTasksWithoutInputsByType) {
  auto mine = api().create_task("manual", Json::object(), "requester");
  auto watched = api().create_task("manual", Json::object(), "other", {{"watcher_usernames", {"requester"}}});
  auto foreign = api().create_task("allow-all", Json::object(), "other");

  auto own = call("GET", "/task", "", Auth::user("requester"));
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.header("X-Paging-PageSize"), "1000");
  std::set<std::string> ids;
  for (const auto& t : own.json()) {
    ids.insert(t["id"].get<std::string>());
    EXPECT_TRUE(t["input"].is_null());
    EXPECT_FALSE(t.contains("result"));
    EXPECT_FALSE(t.contains("comments"));
  }
  EXPECT_EQ(ids, (std::set<std::string>{mine["id"].get<std::string>(), watched["id"].get<std::string>()}));

  auto resolvable = call("GET", "/task?type=resolvable", "", Auth::user("owner"));
  ASSERT_EQ(resolvable.status, 200);
  EXPECT_EQ(resolvable.json().size(), 2u);  // the two `manual` tasks: owner owns the template
  auto all = call("GET", "/task?type=all", "", Auth::user("admin"));
  EXPECT_EQ(all.json().size(), 3u);
  auto none = call("GET", "/task?type=all", "", Auth::user("stranger"));
  EXPECT_EQ(none.json(), Json::array());
}

TEST_F(TaskRoutes, FiltersTasksByStateTemplateTagBatchAndTime) {
  auto a = api().create_task("manual", Json::object(), "requester", {{"tags", {{"env", "prod"}}}});
  auto b = api().create_task("allow-all", Json::object(), "requester", {{"tags", {{"env", "dev"}}}});
  const std::string a_id = a["id"].get<std::string>();
  const std::string b_id = b["id"].get<std::string>();
  auto only = [&](const std::string& query) {
    auto r = call("GET", "/task?" + query, "", Auth::user("requester"));
    EXPECT_EQ(r.status, 200) << query << ": " << r.body;
    std::vector<std::string> out;
    for (const auto& t : r.json()) out.push_back(t["id"].get<std::string>());
    return out;
  };
  EXPECT_EQ(only("template=manual"), std::vector<std::string>{a_id});
  EXPECT_EQ(only("tag=env=dev"), std::vector<std::string>{b_id});
  EXPECT_EQ(only("tag=env=dev&tag=other=x"), std::vector<std::string>{});
  EXPECT_EQ(only("tag=env=dev&tag=env=dev"), std::vector<std::string>{b_id});
  EXPECT_EQ(only("tag=env=dev&tag=env=prod"), std::vector<std::string>{});  // all must match
  EXPECT_EQ(only("tag="), (std::vector<std::string>{b_id, a_id}));  // empty values are dropped
  force_state(a_id, "DONE");
  EXPECT_EQ(only("state=DONE"), std::vector<std::string>{a_id});
  EXPECT_EQ(only("state=TODO"), std::vector<std::string>{b_id});
  EXPECT_EQ(only("after=2000-01-01T00:00:00Z").size(), 2u);
  EXPECT_EQ(only("before=2000-01-01T00:00:00%2B02:00"), std::vector<std::string>{});
  EXPECT_EQ(only("after=2999-01-01T00:00:00.5Z"), std::vector<std::string>{});

  auto batch = call("POST", "/batch", R"({"template_name":"manual","inputs":[{},{}]})",
                    Auth::user("requester"));
  ASSERT_EQ(batch.status, 201) << batch.body;
  EXPECT_EQ(only("batch=" + batch.json()["id"].get<std::string>()).size(), 2u);
}

TEST_F(TaskRoutes, PaginatesTasksAndCarriesEveryFilterInTheLink) {
  std::vector<std::string> created;
  for (int i = 0; i < 12; ++i) {
    created.push_back(api().create_task("manual", Json::object(), "requester",
                                        {{"tags", {{"k", "v"}}}})["id"].get<std::string>());
  }
  auto first = call("GET", "/task?page_size=10", "", Auth::user("requester"));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.header("X-Paging-PageSize"), "10");
  auto page = first.json();
  ASSERT_EQ(page.size(), 10u);
  const std::string last = page[9]["id"].get<std::string>();
  EXPECT_EQ(first.header("Link"), "</task?last=" + last + "&page_size=10&type=own>; rel=next");

  auto second = call("GET", "/task?page_size=10&last=" + last, "", Auth::user("requester"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json().size(), 2u);
  EXPECT_EQ(second.header("Link"), "");
  std::set<std::string> seen;
  for (const auto& t : page) seen.insert(t["id"].get<std::string>());
  for (const auto& t : second.json()) seen.insert(t["id"].get<std::string>());
  EXPECT_EQ(seen, std::set<std::string>(created.begin(), created.end()));

  auto filtered = call("GET",
                       "/task?type=all&state=TODO&template=manual&tag=k=v&page_size=5"
                       "&after=2000-01-01T00:00:00Z",
                       "", Auth::user("requester"));
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  ASSERT_EQ(filtered.json().size(), 10u);
  const std::string filtered_last = filtered.json()[9]["id"].get<std::string>();
  EXPECT_EQ(filtered.header("Link"),
            "</task?after=2000-01-01T00%3A00%3A00Z&last=" + filtered_last +
                "&page_size=10&state=TODO&tag=k%3Dv&template=manual&type=all>; rel=next");
}

TEST_F(TaskRoutes, EditsATaskAndKeepsMaskedSecrets) {
  auto t = api().create_task("hello", {{"name", "old"}, {"secret", "s3cr3t"}}, "requester",
                             {{"watcher_usernames", {"watcher"}}, {"tags", {{"a", "1"}}},
                              {"comment", "before edit"}});
  const std::string id = t["id"].get<std::string>();
  auto r = call("PUT", "/task/" + id,
                R"({"input":{"name":"new","secret":"**__SECRET__**"},"tags":{"b":"2"}})",
                Auth::user("requester"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto edited = r.json();
  EXPECT_EQ(edited["title"], "Hello new");
  EXPECT_EQ(edited["input"]["secret"], "s3cr3t");  // the caller gets clear values back
  EXPECT_FALSE(edited.contains("watcher_usernames"));  // absent lists are cleared
  EXPECT_EQ(edited["tags"], (Json{{"b", "2"}}));
  ASSERT_EQ(edited["comments"].size(), 1u);  // as before the automatic comment

  auto shown = call("GET", "/task/" + id, "", Auth::user("admin")).json();
  EXPECT_EQ(shown["input"]["secret"], "s3cr3t");
  ASSERT_EQ(shown["comments"].size(), 2u);
  EXPECT_EQ(shown["comments"][1]["content"], "manually edited task");
  EXPECT_EQ(shown["comments"][1]["username"], "requester");

  // YAML, as the dashboard sends it.
  auto yaml = call("PUT", "/task/" + id, "input:\n  name: yaml\n", Auth::user("owner"));
  ASSERT_EQ(yaml.status, 200) << yaml.body;
  EXPECT_EQ(yaml.json()["title"], "Hello yaml");
}

TEST_F(TaskRoutes, EditRefusals) {
  auto t = api().create_task("hello", {{"name", "n"}}, "requester", {{"watcher_usernames", {"watcher"}}});
  const std::string id = t["id"].get<std::string>();
  const Json before = store_snapshot(api().store());

  auto watcher = call("PUT", "/task/" + id, R"({"input":{"name":"w"}})", Auth::user("watcher"));
  EXPECT_EQ(watcher.status, 403);
  EXPECT_EQ(error_of(watcher), "Can't update task");
  auto missing = call("PUT", "/task/" + id, R"({"tags":{}})", Auth::user("requester"));
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(error_of(missing), "Failed to update task: Missing input");
  auto reserved = call("PUT", "/task/" + id,
                       R"({"input":{"name":"n"},"tags":{"_utask_parent_task_id":"x"}})",
                       Auth::user("requester"));
  EXPECT_EQ(reserved.status, 400);
  EXPECT_EQ(error_of(reserved), "tag _utask_parent_task_id is read-only and cannot be modified");
  EXPECT_EQ(store_snapshot(api().store()), before);

  // Once it has a resolution, the requester may not edit it, and nobody unless PAUSED.
  auto running = call("POST", "/task", R"({"template_name":"hello","input":{"name":"r"}})",
                      Auth::user("owner"));
  ASSERT_EQ(running.status, 201);
  const std::string rid = running.json()["id"].get<std::string>();
  auto refused = call("PUT", "/task/" + rid, R"({"input":{"name":"z"}})", Auth::user("admin"));
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(error_of(refused), "Cannot update a task which resolution is not in state 'PAUSED'");
}

TEST_F(TaskRoutes, WontfixRejectsATodoTask) {
  auto t = api().create_task("manual", Json::object(), "requester", {{"watcher_usernames", {"watcher"}}});
  const std::string id = t["id"].get<std::string>();
  auto watcher = call("POST", "/task/" + id + "/wontfix", "", Auth::user("watcher"));
  EXPECT_EQ(watcher.status, 403);
  EXPECT_EQ(error_of(watcher), "Can't set task's state to WONTFIX");

  auto r = call("POST", "/task/" + id + "/wontfix", "", Auth::user("requester"));
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.body, "");
  auto shown = call("GET", "/task/" + id).json();
  EXPECT_EQ(shown["state"], "WONTFIX");
  EXPECT_EQ(shown["comments"].back()["content"], "changed task state to WONTFIX");

  // The state is checked before the caller's rights.
  auto again = call("POST", "/task/" + id + "/wontfix", "", Auth::user("stranger"));
  EXPECT_EQ(again.status, 400);
  EXPECT_EQ(error_of(again), "Can't set task's state to WONTFIX: task is in state WONTFIX");
  EXPECT_EQ(call("POST", "/task/00000000-0000-4000-8000-000000000000/wontfix").status, 404);
}

TEST_F(TaskRoutes, AdminsDeleteTasksThatAreNotRunning) {
  auto t = api().create_task("manual", Json::object(), "requester", {{"comment", "a comment"}});
  const std::string id = t["id"].get<std::string>();
  auto requester = call("DELETE", "/task/" + id, "", Auth::user("requester"));
  EXPECT_EQ(requester.status, 401);
  EXPECT_EQ(requester.body, "");

  for (const std::string state : {"RUNNING", "BLOCKED"}) {
    force_state(id, state);
    auto refused = call("DELETE", "/task/" + id);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(error_of(refused), "Task can't be deleted while in state \"" + state + "\"");
  }
  force_state(id, "DONE");
  auto r = call("DELETE", "/task/" + id, "", Auth::user("alice"));  // admin through her group
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(call("GET", "/task/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/task/" + id).status, 404);
}

}  // namespace
}  // namespace utask::testing
