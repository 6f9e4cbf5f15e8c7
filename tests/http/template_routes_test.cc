// GET /template, /template/{name}, /function, /function/{name} over the real server
// (api.md §5.1, §5.2, §1.7).

#include <algorithm>
#include <string>
#include <vector>

#include "http/api_fixture.h"
#include "model/template_loader.h"
#include "persistence/store.h"

namespace utask::testing {
namespace {

class TemplateRoutes : public ApiTest {
 protected:
  // Adds templates to the fixture's (tests/http/templates) in the store: `hidden` ones too.
  void add_templates(const std::vector<std::string>& names, bool hidden) {
    auto listed = api().store().list_templates({10000, ""}, true);
    ASSERT_TRUE(listed.ok()) << listed.error().message;
    std::vector<persistence::TemplateRecord> records = listed->items;
    for (const auto& name : names) {
      auto t = model::parse_template_yaml("name: " + name +
                                              "\ndescription: extra\ntitle_format: t\nsteps:\n"
                                              "  s: {description: s, action: {type: echo, "
                                              "configuration: {output: {v: 1}}}}\n",
                                          name + ".yaml");
      ASSERT_TRUE(t.ok()) << t.error().message;
      persistence::TemplateRecord r;
      r.name = t->name;
      r.description = t->description;
      auto json = model::template_source_json(*t);
      if (hidden) json["hidden"] = true;
      r.definition_json = to_json_text(json);
      r.hidden = hidden;
      records.push_back(std::move(r));
    }
    auto synced = api().store().sync_templates(records);
    ASSERT_TRUE(synced.ok()) << synced.error().message;
  }

  void add_functions(const std::vector<std::string>& names) {
    std::vector<persistence::FunctionRecord> records;
    for (const auto& name : names) {
      auto f = model::parse_function_yaml("name: " + name +
                                              "\naction:\n  type: echo\n  configuration:\n"
                                              "    output: {v: 1}\ncustom_states: [HELLO]\n",
                                          name + ".yaml");
      ASSERT_TRUE(f.ok()) << f.error().message;
      records.push_back({f->name, to_json_text(model::function_source_json(*f))});
    }
    auto synced = api().store().sync_functions(records);
    ASSERT_TRUE(synced.ok()) << synced.error().message;
  }

  static std::vector<std::string> names(const Json& list) {
    std::vector<std::string> out;
    for (const auto& item : list) out.push_back(item["name"].get<std::string>());
    return out;
  }
};

TEST_F(TemplateRoutes, ListsTemplatesByNameAsSummaries) {
  auto r = call("GET", "/template", "", Auth::user("stranger"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("X-Paging-PageSize"), "1000");
  EXPECT_EQ(r.header("Link"), "");
  auto list = r.json();
  EXPECT_EQ(names(list), (std::vector<std::string>{"allow-all", "blocked-template", "hello", "manual"}));
  for (const auto& t : list) {
    for (const char* detail : {"steps", "variables", "result_format", "title_format"}) {
      EXPECT_FALSE(t.contains(detail)) << t["name"] << " shows " << detail;
    }
    EXPECT_TRUE(t.contains("description"));
  }
  EXPECT_EQ(list[2]["allowed_resolver_usernames"], Json::array({"owner"}));
  EXPECT_EQ(list[2]["auto_runnable"], true);
}

TEST_F(TemplateRoutes, HiddenTemplatesAreListedForAdminsOnly) {
  add_templates({"secret-one"}, true);
  auto user = call("GET", "/template", "", Auth::user("requester"));
  ASSERT_EQ(user.status, 200) << user.body;
  EXPECT_EQ(names(user.json()).size(), 4u);
  for (const auto& auth : {Auth::user("admin"), Auth::user("alice")}) {  // alice: admins group
    auto admin = call("GET", "/template", "", auth);
    ASSERT_EQ(admin.status, 200) << admin.body;
    auto listed = names(admin.json());
    EXPECT_EQ(listed.size(), 5u);
    EXPECT_NE(std::find(listed.begin(), listed.end(), "secret-one"), listed.end());
  }
  // The details of a hidden template are not restricted (api.md §5.1).
  EXPECT_EQ(call("GET", "/template/secret-one", "", Auth::user("requester")).status, 200);
}

TEST_F(TemplateRoutes, PaginatesWithLastAndLinkHeader) {
  add_templates({"t01", "t02", "t03", "t04", "t05", "t06", "t07", "t08"}, false);  // 12 in all
  auto first = call("GET", "/template?page_size=3", "", Auth::user("requester"));  // → 10
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.header("X-Paging-PageSize"), "10");
  auto page = names(first.json());
  ASSERT_EQ(page.size(), 10u);
  EXPECT_EQ(page.back(), "t06");
  EXPECT_EQ(first.header("Link"), "</template?last=t06&page_size=10>; rel=next");

  auto second = call("GET", "/template?last=t06&page_size=10", "", Auth::user("requester"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(names(second.json()), (std::vector<std::string>{"t07", "t08"}));
  EXPECT_EQ(second.header("Link"), "");

  auto big = call("GET", "/template?page_size=20000", "", Auth::user("requester"));
  EXPECT_EQ(big.header("X-Paging-PageSize"), "10000");
  auto zero = call("GET", "/template?page_size=0", "", Auth::user("requester"));
  EXPECT_EQ(zero.header("X-Paging-PageSize"), "1000");
}

TEST_F(TemplateRoutes, RefusesBadPaginationParameters) {
  struct Case {
    std::string query;
    int status;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"?last=nope", 404, "Failed to load template \"nope\" from name: "},
      {"?page_size=ten", 400, "expected 'page_size' to be of type uint64"},
      {"?page_size=-5", 400, "expected 'page_size' to be of type uint64"},
      {"?page_size=10&page_size=20", 400, "multiple values not supported"},
      {"?last=a&last=b", 400, "multiple values not supported"},
  };
  for (const auto& c : cases) {
    auto r = call("GET", "/template" + c.query, "", Auth::user("requester"));
    EXPECT_EQ(r.status, c.status) << c.query << ": " << r.body;
    EXPECT_NE(r.json()["error"].get<std::string>().find(c.error), std::string::npos)
        << c.query << ": " << r.body;
  }
}

TEST_F(TemplateRoutes, ShowsOneTemplateWithItsSteps) {
  auto r = call("GET", "/template/hello", "", Auth::user("stranger"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto t = r.json();
  EXPECT_EQ(t["name"], "hello");
  EXPECT_EQ(t["title_format"], "Hello {{.input.name}}");
  EXPECT_TRUE(t["steps"].contains("greet"));
  EXPECT_EQ(t["steps"]["greet"]["action"]["type"], "echo");
  EXPECT_EQ(t["result_format"]["greeting"], "{{.step.greet.output.v}}");
  EXPECT_EQ(t["tags"]["kind"], "greeting");
}

TEST_F(TemplateRoutes, UnknownTemplateIsNotFound) {
  for (const std::string name : {"nope", "HELLO", "hello2"}) {  // the path is not normalised
    auto r = call("GET", "/template/" + name, "", Auth::user("requester"));
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(r.json()["error"].get<std::string>().rfind(
                  "Failed to load template \"" + name + "\" from name: ", 0),
              0u)
        << r.body;
  }
}

TEST_F(TemplateRoutes, ListsNoFunctionsAsAnEmptyArray) {
  auto r = call("GET", "/function", "", Auth::user("requester"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json(), Json::array());
  EXPECT_EQ(r.header("X-Paging-PageSize"), "1000");
}

TEST_F(TemplateRoutes, ListsAndPaginatesFunctionsByName) {
  std::vector<std::string> all;
  for (int i = 11; i >= 0; --i) all.push_back("fn::" + std::string(i < 10 ? "0" : "") + std::to_string(i));
  add_functions(all);
  auto first = call("GET", "/function?page_size=10", "", Auth::user("stranger"));
  ASSERT_EQ(first.status, 200) << first.body;
  auto page = names(first.json());
  ASSERT_EQ(page.size(), 10u);
  EXPECT_EQ(page.front(), "fn::00");
  EXPECT_EQ(page.back(), "fn::09");
  EXPECT_EQ(first.header("Link"), "</function?last=fn%3A%3A09&page_size=10>; rel=next");
  auto f = first.json()[0];
  EXPECT_EQ(f["action"]["type"], "echo");
  EXPECT_EQ(f["custom_states"], Json::array({"HELLO"}));

  auto second = call("GET", "/function?page_size=10&last=fn::09", "", Auth::user("stranger"));
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(names(second.json()), (std::vector<std::string>{"fn::10", "fn::11"}));
  EXPECT_EQ(second.header("Link"), "");
  // An unknown `last` continues after it in name order (the original did not fail either).
  auto after = call("GET", "/function?last=fn::105", "", Auth::user("stranger"));
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(names(after.json()), (std::vector<std::string>{"fn::11"}));

  auto bad = call("GET", "/function?page_size=1.5", "", Auth::user("stranger"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"], "expected 'page_size' to be of type uint64");
}

TEST_F(TemplateRoutes, ShowsOneFunction) {
  add_functions({"echo::hello"});
  auto r = call("GET", "/function/echo::hello", "", Auth::user("stranger"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["name"], "echo::hello");
  EXPECT_EQ(r.json()["action"]["configuration"]["output"]["v"], 1);

  auto missing = call("GET", "/function/echo::bye", "", Auth::user("stranger"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json(), (Json{{"error", "function not found"}}));
}

TEST_F(TemplateRoutes, RequireAuthentication) {
  add_functions({"echo::hello"});
  for (const std::string path : {"/template", "/template/hello", "/function", "/function/echo::hello"}) {
    auto r = call("GET", path, "", Auth::none());
    EXPECT_EQ(r.status, 401) << path;
    EXPECT_EQ(r.body, "") << path;
  }
}

}  // namespace
}  // namespace utask::testing
