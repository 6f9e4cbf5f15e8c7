// The static UI (api.md §5.10): files under /ui/dashboard/ and /ui/swagger/ with their
// placeholders replaced, directory and index.html redirects, 404s, no authentication or CORS.

#include <gtest/gtest.h>

#include "http/api_fixture.h"
#include "support/temp_dir.h"

namespace utask::testing {
namespace {

struct PrefixCase {
  std::string dashboard_prefix, api_prefix;
  std::string base_href, api_base;
};

class StaticUi : public ::testing::TestWithParam<PrefixCase> {
 protected:
  void SetUp() override {
    dir_.write("dashboard/index.html",
               "<base href=\"___UTASK_DASHBOARD_BASEHREF___\"> api=___UTASK_DASHBOARD_PREFIXAPIBASEURL___ "
               "dsn=___UTASK_DASHBOARD_SENTRY_DSN___");
    dir_.write("dashboard/js/app.js", "var api='___UTASK_DASHBOARD_PREFIXAPIBASEURL___';");
    dir_.write("swagger-ui/index.html", "url=___UTASK_DASHBOARD_PREFIXAPIBASEURL___unsecured/spec.json");
    ApiOptions o;
    o.static_root = dir_.str();
    o.dashboard_path_prefix = GetParam().dashboard_prefix;
    o.dashboard_api_path_prefix = GetParam().api_prefix;
    o.dashboard_sentry_dsn = "https://sentry.example/1";
    api_ = std::make_unique<TestApi>(o);
    ASSERT_TRUE(api_->ok()) << api_->error();
  }
  TempDir dir_;
  std::unique_ptr<TestApi> api_;
};

TEST_P(StaticUi, ServesFilesWithPlaceholdersReplaced) {
  const auto& c = GetParam();
  auto index = api_->call("GET", "/ui/dashboard/", "", Auth::none());
  ASSERT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<base href=\"" + c.base_href + "\"> api=" + c.api_base +
                            " dsn=https://sentry.example/1");
  EXPECT_EQ(index.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(index.header("Access-Control-Allow-Origin"), "");
  auto js = api_->call("GET", "/ui/dashboard/js/app.js", "", Auth::none());
  EXPECT_EQ(js.body, "var api='" + c.api_base + "';");
  auto swagger = api_->call("GET", "/ui/swagger/", "", Auth::none());
  EXPECT_EQ(swagger.body, "url=" + c.api_base + "unsecured/spec.json");
}

TEST_P(StaticUi, RedirectsDirectoriesAndIndexAndRefusesTheRest) {
  auto bare = api_->call("GET", "/ui/dashboard", "", Auth::none());
  EXPECT_EQ(bare.status, 301);
  EXPECT_EQ(bare.header("Location"), "/ui/dashboard/");
  auto dir = api_->call("GET", "/ui/dashboard/js", "", Auth::none());
  EXPECT_EQ(dir.status, 301);
  EXPECT_EQ(dir.header("Location"), "/ui/dashboard/js/");
  auto index = api_->call("GET", "/ui/dashboard/index.html", "", Auth::none());
  EXPECT_EQ(index.status, 301);
  EXPECT_EQ(index.header("Location"), "/ui/dashboard/");
  EXPECT_EQ(api_->call("GET", "/ui/dashboard/missing.js", "", Auth::none()).status, 404);
  EXPECT_EQ(api_->call("GET", "/ui/dashboard/../../etc/passwd", "", Auth::none()).status, 404);
  EXPECT_EQ(api_->call("GET", "/ui/dashboard/%2e%2e/swagger-ui/index.html", "", Auth::none()).status, 404);
  EXPECT_EQ(api_->call("POST", "/ui/dashboard/", "", Auth::none()).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Prefixes, StaticUi,
                         ::testing::Values(PrefixCase{"", "", "/ui/dashboard/", "/"},
                                           PrefixCase{"/", ".", "/ui/dashboard/", "/"},
                                           PrefixCase{"/toto/", "/toto", "/toto/ui/dashboard/", "/toto/"},
                                           PrefixCase{"/toto", "toto", "/toto/ui/dashboard/", "toto/"}));

}  // namespace
}  // namespace utask::testing
