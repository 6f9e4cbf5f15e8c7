// GET /, /unsecured/mon/ping, /unsecured/stats and /metrics (api.md §5.7, §5.8).

#include <gtest/gtest.h>

#include "http/api_fixture.h"

namespace utask::testing {
namespace {

class Monitoring : public ApiTest {};

TEST_F(Monitoring, RootRedirectsAuthenticatedCallersToMeta) {
  auto r = call("GET", "/", "", Auth::user("bob"));
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.header("Location"), "/meta");
  EXPECT_EQ(call("GET", "/", "", Auth::none()).status, 401);
}

TEST_F(Monitoring, PingAnswersPongWithoutAuthentication) {
  auto r = call("GET", "/unsecured/mon/ping", "", Auth::none());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "pong");
  EXPECT_EQ(r.header("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
}

TEST_F(Monitoring, StatsCountTasksPerStateWithTheFixedStatesAlwaysPresent) {
  auto empty = call("GET", "/unsecured/stats", "", Auth::none());
  ASSERT_EQ(empty.status, 200);
  EXPECT_EQ(empty.json(), Json::parse(R"({"task_states": {"TODO": 0, "BLOCKED": 0, "RUNNING": 0,
                                          "WONTFIX": 0, "DONE": 0, "CANCELLED": 0}})"));
  api().create_task("manual", Json::object(), "requester", Json{{"tags", {{"team", "a"}}}});
  api().create_task("manual", Json::object(), "requester", Json{{"tags", {{"team", "a"}, {"x", "y"}}}});
  api().create_task("manual", Json::object(), "requester", Json{{"tags", {{"team", "b"}}}});
  auto all = call("GET", "/unsecured/stats", "", Auth::none());
  ASSERT_EQ(all.status, 200);
  EXPECT_EQ(all.json()["task_states"]["TODO"], 3);
  EXPECT_EQ(all.json()["task_states"]["DONE"], 0);
  EXPECT_FALSE(all.json()["task_states"].contains("WAITING"));
  EXPECT_EQ(call("GET", "/unsecured/stats?tag=team%3Da", "", Auth::none()).json()["task_states"]["TODO"], 2);
  EXPECT_EQ(call("GET", "/unsecured/stats?tag=team%3Da&tag=x%3Dy", "", Auth::none())
                .json()["task_states"]["TODO"],
            1);
  EXPECT_EQ(call("GET", "/unsecured/stats?tag=team%3Dc", "", Auth::none()).json()["task_states"]["TODO"], 0);
}

TEST_F(Monitoring, StatsRefuseMalformedTags) {
  for (const char* tag : {"team", "%3Da", "team%3D", "a%3Db%3Dc"}) {
    auto r = call("GET", std::string("/unsecured/stats?tag=") + tag, "", Auth::none());
    EXPECT_EQ(r.status, 400) << tag;
    EXPECT_EQ(r.json()["error"].get<std::string>().rfind("invalid tag ", 0), 0u) << r.body;
  }
}

TEST_F(Monitoring, MetricsExposeTaskAndHttpFiguresWithoutCors) {
  api().create_task("manual", Json::object(), "requester");
  api().create_task("hello", Json{{"name", "x"}}, "requester");
  ASSERT_EQ(call("GET", "/unsecured/stats", "", Auth::none()).status, 200);
  ASSERT_EQ(call("GET", "/nothing", "", Auth::none()).status, 404);
  auto r = call("GET", "/metrics", "", Auth::none());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type").rfind("text/plain; version=0.0.4", 0), 0u);
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "");
  const std::string& text = r.body;
  for (const char* line : {
           R"(utask_task_state{group="owners",status="TODO",template="manual"} 1)",
           R"(utask_task_state{group="owners",status="DONE",template="manual"} 0)",
           R"(utask_task_state{group="owners",status="TODO",template="hello"} 1)",
           R"(utask_tasks{state="TODO"} 2)",
           R"(utask_tasks{state="CANCELLED"} 0)",
           R"(utask_http_requests_total{method="GET",route="/unsecured/stats",status="200"} 1)",
           R"(utask_http_requests_total{method="GET",route="unmatched",status="404"} 1)",
           R"(utask_http_request_duration_seconds_count{method="GET",route="/unsecured/stats"} 1)",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing: " << line << "\n" << text;
  }
  // /metrics itself is outside the API router: not counted.
  EXPECT_EQ(text.find("route=\"/metrics\""), std::string::npos);
}

TEST_F(Monitoring, MetricsFollowTheStore) {
  auto task = api().create_task("manual", Json::object(), "requester");
  auto before = call("GET", "/metrics", "", Auth::none()).body;
  EXPECT_NE(before.find(R"(utask_tasks{state="TODO"} 1)"), std::string::npos) << before;
  ASSERT_EQ(call("POST", "/task/" + task["id"].get<std::string>() + "/wontfix", "", Auth::user("requester")).status,
            204);
  auto after = call("GET", "/metrics", "", Auth::none()).body;
  EXPECT_NE(after.find(R"(utask_tasks{state="TODO"} 0)"), std::string::npos) << after;
  EXPECT_NE(after.find(R"(utask_tasks{state="WONTFIX"} 1)"), std::string::npos) << after;
}

}  // namespace
}  // namespace utask::testing
