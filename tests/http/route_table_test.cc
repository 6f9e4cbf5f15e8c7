// The route table: literal and parameter segments, the rest parameter, the trailing-slash
// redirect target and duplicate routes.

#include <gtest/gtest.h>

#include <stdexcept>

#include "http/route_table.h"

namespace utask::http {
namespace {

Route route(std::string method, std::string pattern) {
  Route r;
  r.method = std::move(method);
  r.pattern = std::move(pattern);
  r.handler = [](const RequestContext&) { return HttpResponse::empty(204); };
  return r;
}

class RouteTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    table_.add(route("GET", "/"));
    table_.add(route("GET", "/task"));
    table_.add(route("POST", "/task"));
    table_.add(route("GET", "/task/{id}"));
    table_.add(route("GET", "/task/{id}/comment/{commentid}"));
    table_.add(route("GET", "/resolution/{id}/step/{stepName}"));
    table_.add(route("GET", "/resolution/{id}/step/special"));
    table_.add(route("GET", "/ui/dashboard/{*path}"));
  }
  RouteTable table_;
};

struct MatchCase {
  std::string method, path;
  std::string pattern;  // "" = no match
  std::map<std::string, std::string> params;
};

TEST_F(RouteTableTest, MatchesLiteralsAndParameters) {
  const std::vector<MatchCase> cases{
      {"GET", "/", "/", {}},
      {"GET", "/task", "/task", {}},
      {"POST", "/task", "/task", {}},
      {"DELETE", "/task", "", {}},  // known path, unregistered method
      {"GET", "/task/abc", "/task/{id}", {{"id", "abc"}}},
      {"GET", "/task/", "", {}},  // a parameter never binds an empty segment
      {"GET", "/task/a/comment/b", "/task/{id}/comment/{commentid}", {{"id", "a"}, {"commentid", "b"}}},
      {"GET", "/task/a/comment", "", {}},
      {"GET", "/resolution/r/step/one", "/resolution/{id}/step/{stepName}", {{"id", "r"}, {"stepName", "one"}}},
      {"GET", "/resolution/r/step/special", "/resolution/{id}/step/special", {{"id", "r"}}},
      {"GET", "/ui/dashboard", "/ui/dashboard/{*path}", {{"path", ""}}},
      {"GET", "/ui/dashboard/", "/ui/dashboard/{*path}", {{"path", ""}}},
      {"GET", "/ui/dashboard/a/b.js", "/ui/dashboard/{*path}", {{"path", "a/b.js"}}},
      {"GET", "/nothing", "", {}},
      {"GET", "/TASK", "", {}},  // case-sensitive
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path);
    auto m = table_.match(c.method, c.path);
    if (c.pattern.empty()) {
      EXPECT_FALSE(m.has_value());
      continue;
    }
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->route->pattern, c.pattern);
    EXPECT_EQ(m->path_params, c.params);
  }
}

TEST_F(RouteTableTest, RedirectTargetAddsOrRemovesTheTrailingSlash) {
  EXPECT_EQ(table_.redirect_target("GET", "/task/"), std::optional<std::string>("/task"));
  EXPECT_EQ(table_.redirect_target("POST", "/task/"), std::optional<std::string>("/task"));
  EXPECT_EQ(table_.redirect_target("GET", "/task/abc/"), std::optional<std::string>("/task/abc"));
  EXPECT_FALSE(table_.redirect_target("DELETE", "/task/").has_value());
  EXPECT_FALSE(table_.redirect_target("GET", "/nothing/").has_value());
  EXPECT_FALSE(table_.redirect_target("GET", "/").has_value());
}

TEST_F(RouteTableTest, ARouteRegisteredTwiceIsAProgrammingError) {
  EXPECT_THROW(table_.add(route("GET", "/task/{id}")), std::logic_error);
  EXPECT_NO_THROW(table_.add(route("PUT", "/task/{id}")));
}

}  // namespace
}  // namespace utask::http
