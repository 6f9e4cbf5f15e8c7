// Authentication (api.md §2): basic-auth's exact header match, the trusted x-remote-user
// header, groups-auth, admin membership, the provider hook, and the 401 answers.

#include <gtest/gtest.h>

#include "http/api_fixture.h"
#include "http/auth.h"

namespace utask::http {
namespace {

HttpRequest request_with(std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/meta";
  for (auto& [k, v] : headers) r.headers[k] = v;
  return r;
}

const config::GroupsAuth kGroups{{"admins", {"alice"}}, {"ops", {"alice", "bob"}}};

TEST(BasicAuthorization, IsBasicAndPaddedBase64) {
  EXPECT_EQ(basic_authorization("admin", "1234"), "Basic YWRtaW46MTIzNA==");
  EXPECT_EQ(basic_authorization("a", "b:c"), "Basic YTpiOmM=");
}

struct HeaderCase {
  std::string authorization;  // "" = no header
  std::string user;           // "" = refused
};

TEST(DefaultProvider, BasicAuthComparesTheWholeHeaderExactly) {
  const auto provider = default_identity_provider({{"admin", "1234"}, {"bob", "pw"}}, kGroups);
  const std::vector<HeaderCase> cases{
      {"Basic YWRtaW46MTIzNA==", "admin"},
      {basic_authorization("bob", "pw"), "bob"},
      {"", ""},
      {"basic YWRtaW46MTIzNA==", ""},   // scheme case
      {"Basic  YWRtaW46MTIzNA==", ""},  // extra space
      {"Basic YWRtaW46MTIzNA", ""},     // no padding
      {"Basic YWRtaW46MTIzNA== ", ""},  // trailing space
      {basic_authorization("admin", "12345"), ""},
      {basic_authorization("nobody", "1234"), ""},
      {basic_authorization("bob", "1234"), ""},  // another user's password
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.authorization);
    std::vector<std::pair<std::string, std::string>> headers{{"x-remote-user", "admin"}};
    if (!c.authorization.empty()) headers.emplace_back("Authorization", c.authorization);
    auto identity = provider(request_with(headers));
    if (c.user.empty()) {
      ASSERT_FALSE(identity.ok());
      EXPECT_EQ(identity.error().code, ErrorCode::unauthorized);
      EXPECT_EQ(identity.error().message, "User not found");
    } else {
      ASSERT_TRUE(identity.ok()) << identity.error().message;
      EXPECT_EQ(identity->username, c.user);
    }
  }
}

TEST(DefaultProvider, WithoutBasicAuthTrustsXRemoteUserWithItsGroups) {
  const auto provider = default_identity_provider({}, kGroups);
  auto alice = provider(request_with({{"X-Remote-User", "alice"}}));
  ASSERT_TRUE(alice.ok());
  EXPECT_EQ(alice->username, "alice");
  EXPECT_EQ(alice->groups, (std::vector<std::string>{"admins", "ops"}));
  auto carol = provider(request_with({{"x-remote-user", "carol"}}));
  ASSERT_TRUE(carol.ok());
  EXPECT_TRUE(carol->groups.empty());
  // No identity at all is refused (DECISIONS.md), as unauthorized.
  for (const auto& headers : std::vector<std::vector<std::pair<std::string, std::string>>>{
           {}, {{"x-remote-user", ""}}, {{"Authorization", "Basic YWRtaW46MTIzNA=="}}}) {
    auto none = provider(request_with(headers));
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, ErrorCode::unauthorized);
  }
}

TEST(Authenticator, DecidesAdminFromUsersAndGroups) {
  Authenticator auth(default_identity_provider({}, kGroups), {"admin"}, {"admins"});
  EXPECT_TRUE(auth.authenticate(request_with({{"x-remote-user", "admin"}}))->admin);
  EXPECT_TRUE(auth.authenticate(request_with({{"x-remote-user", "alice"}}))->admin);
  EXPECT_FALSE(auth.authenticate(request_with({{"x-remote-user", "bob"}}))->admin);
}

TEST(Authenticator, AnInstalledProviderReplacesTheDefault) {
  Authenticator auth(default_identity_provider({}, kGroups), {"admin"}, {"admins"});
  auth.install_provider([](const HttpRequest& r) -> Result<Identity> {
    const std::string* token = r.header("X-Token");
    if (!token) return Error{ErrorCode::forbidden, "no token", {}};
    return Identity{"token-" + *token, {"admins"}};
  });
  auto caller = auth.authenticate(request_with({{"X-Token", "7"}}));
  ASSERT_TRUE(caller.ok());
  EXPECT_EQ(caller->username, "token-7");
  EXPECT_TRUE(caller->admin);
  auto refused = auth.authenticate(request_with({{"x-remote-user", "admin"}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::forbidden);
}

// End to end, through the server and GET /meta.
class BasicAuthApi : public testing::ApiTest {
 protected:
  testing::ApiOptions api_options() const override {
    testing::ApiOptions o;
    o.basic_auth = {{"admin", "1234"}, {"regular", "5678"}};
    o.groups_auth = {{"admins", {"admin"}}, {"ops", {"regular"}}};
    o.admin_usernames = {};
    o.admin_groups = {"admins"};
    return o;
  }
};

TEST_F(BasicAuthApi, KnownCredentialsIdentifyTheCaller) {
  auto admin = call("GET", "/meta", "", testing::Auth::basic("admin", "1234"));
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_EQ(admin.json()["username"], "admin");
  EXPECT_EQ(admin.json()["user_is_admin"], true);
  auto regular = call("GET", "/meta", "", testing::Auth::basic("regular", "5678"));
  ASSERT_EQ(regular.status, 200);
  EXPECT_EQ(regular.json()["user_is_admin"], false);
  EXPECT_EQ(regular.json()["user_groups"], Json::array({"ops"}));
}

TEST_F(BasicAuthApi, OtherCallersGetAnEmpty401WithAChallenge) {
  for (const auto& auth : {testing::Auth::none(), testing::Auth::user("admin"),
                           testing::Auth::basic("admin", "wrong"),
                           testing::Auth::authorization("basic YWRtaW46MTIzNA==")}) {
    auto r = call("GET", "/meta", "", auth);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, "");
    EXPECT_EQ(r.header("WWW-Authenticate"), "Basic realm=\"Authorization Required\"");
  }
  // Unsecured routes need nothing.
  EXPECT_EQ(call("GET", "/unsecured/mon/ping", "", testing::Auth::none()).status, 200);
}

class RemoteUserApi : public testing::ApiTest {};

TEST_F(RemoteUserApi, TheHeaderIsTheIdentityAndItsAbsenceA401) {
  auto alice = call("GET", "/meta", "", testing::Auth::user("alice"));
  ASSERT_EQ(alice.status, 200);
  EXPECT_EQ(alice.json()["username"], "alice");
  EXPECT_EQ(alice.json()["user_is_admin"], true);  // group admins
  EXPECT_EQ(call("GET", "/meta", "", testing::Auth::none()).status, 401);
}

}  // namespace
}  // namespace utask::http
