// /task/{id}/comment and /task/{id}/comment/{commentid} over the real server (api.md §5.5).

#include <string>

#include "http/api_fixture.h"
#include "store_snapshot.h"

namespace utask::testing {
namespace {

class CommentRoutes : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    task_ = api().create_task("manual", Json::object(), "requester",
                              {{"watcher_usernames", {"watcher"}}})["id"].get<std::string>();
  }
  std::string path(const std::string& rest = "") { return "/task/" + task_ + "/comment" + rest; }
  std::string add(const std::string& content, const std::string& user) {
    auto r = call("POST", path(), Json{{"content", content}}.dump(), Auth::user(user));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json()["id"].get<std::string>();
  }
  static std::string error_of(const CallResult& r) {
    auto j = r.json();
    return j.is_object() && j.contains("error") ? j["error"].get<std::string>() : "<no error>";
  }

  std::string task_;
};

TEST_F(CommentRoutes, AddsAComment) {
  auto r = call("POST", path(), R"({"content":"looks good"})", Auth::user("watcher"));
  ASSERT_EQ(r.status, 201) << r.body;
  auto c = r.json();
  EXPECT_EQ(c["content"], "looks good");
  EXPECT_EQ(c["username"], "watcher");
  EXPECT_EQ(c["id"].get<std::string>().size(), 36u);
  EXPECT_EQ(c["created"], c["updated"]);
  EXPECT_EQ(c.size(), 5u);  // id, username, created, updated, content

  auto yaml = call("POST", path(), "content: 1234\n", Auth::user("requester"));
  ASSERT_EQ(yaml.status, 201) << yaml.body;
  EXPECT_EQ(yaml.json()["content"], "1234");
}

TEST_F(CommentRoutes, ListsCommentsInCreationOrder) {
  auto empty = call("GET", path(), "", Auth::user("requester"));
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.json(), Json::array());
  const std::string first = add("first one", "requester");
  const std::string second = add("second one", "owner");
  auto r = call("GET", path(), "", Auth::user("watcher"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = r.json();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], first);
  EXPECT_EQ(list[1]["id"], second);
  EXPECT_EQ(list[1]["username"], "owner");
}

TEST_F(CommentRoutes, ShowsOneComment) {
  const std::string id = add("just one", "requester");
  auto r = call("GET", path("/" + id), "", Auth::user("owner"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["content"], "just one");
  auto stranger = call("GET", path("/" + id), "", Auth::user("stranger"));
  EXPECT_EQ(stranger.status, 403);
  EXPECT_EQ(error_of(stranger), "Can't get comment");
  EXPECT_EQ(call("GET", path("/00000000-0000-4000-8000-000000000000")).status, 404);
}

TEST_F(CommentRoutes, ACommentIsNotReachableThroughAnotherTask) {
  const std::string id = add("mine only", "requester");
  const std::string other =
      api().create_task("manual", Json::object(), "requester")["id"].get<std::string>();
  const Json before = store_snapshot(api().store());
  const std::string elsewhere = "/task/" + other + "/comment/" + id;
  EXPECT_EQ(call("GET", elsewhere).status, 404);
  EXPECT_EQ(call("PUT", elsewhere, R"({"content":"hijacked"})").status, 404);
  EXPECT_EQ(call("DELETE", elsewhere).status, 404);
  EXPECT_EQ(store_snapshot(api().store()), before);
}

TEST_F(CommentRoutes, AuthorsAndAdminsEditComments) {
  const std::string id = add("draft text", "requester");
  auto created = call("GET", path("/" + id)).json();
  auto owner = call("PUT", path("/" + id), R"({"content":"not yours"})", Auth::user("owner"));
  EXPECT_EQ(owner.status, 403);
  EXPECT_EQ(error_of(owner), "Not allowed to update comment");

  auto r = call("PUT", path("/" + id), R"({"content":"final text"})", Auth::user("requester"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["content"], "final text");
  EXPECT_EQ(r.json()["created"], created["created"]);
  EXPECT_GE(r.json()["updated"].get<std::string>(), created["updated"].get<std::string>());
  auto admin = call("PUT", path("/" + id), R"({"content":"moderated"})", Auth::user("admin"));
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(call("GET", path("/" + id)).json()["content"], "moderated");

  auto short_content = call("PUT", path("/" + id), R"({"content":"x"})", Auth::user("requester"));
  EXPECT_EQ(short_content.status, 400);
  EXPECT_EQ(error_of(short_content),
            "Failed to create comment: task comment can't be shorter than 3 characters");
}

TEST_F(CommentRoutes, AuthorsAndAdminsDeleteComments) {
  const std::string id = add("to be removed", "requester");
  auto watcher = call("DELETE", path("/" + id), "", Auth::user("watcher"));
  EXPECT_EQ(watcher.status, 403);
  EXPECT_EQ(error_of(watcher), "Not allowed to delete comment");
  auto r = call("DELETE", path("/" + id), "", Auth::user("requester"));
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(call("GET", path("/" + id)).status, 404);
  EXPECT_EQ(call("DELETE", path("/" + id)).status, 404);

  const std::string other = add("admin removes it", "owner");
  EXPECT_EQ(call("DELETE", path("/" + other), "", Auth::user("alice")).status, 204);
}

TEST_F(CommentRoutes, ContentLengthIsChecked) {
  auto too_short = call("POST", path(), R"({"content":"ab"})", Auth::user("requester"));
  EXPECT_EQ(too_short.status, 400);
  EXPECT_EQ(error_of(too_short),
            "Failed to create comment: task comment can't be shorter than 3 characters");
  auto absent = call("POST", path(), "", Auth::user("requester"));
  EXPECT_EQ(absent.status, 400);
  auto too_long = call("POST", path(), Json{{"content", std::string(100001, 'x')}}.dump(),
                       Auth::user("requester"));
  EXPECT_EQ(too_long.status, 400);
  EXPECT_EQ(error_of(too_long),
            "Failed to create comment: task comment can't be longer than 100000 characters");
  auto longest = call("POST", path(), Json{{"content", std::string(100000, 'x')}}.dump(),
                      Auth::user("requester"));
  EXPECT_EQ(longest.status, 201);
  auto shortest = call("POST", path(), R"({"content":"abc"})", Auth::user("requester"));
  EXPECT_EQ(shortest.status, 201);
}

}  // namespace
}  // namespace utask::testing
