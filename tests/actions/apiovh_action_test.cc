// The `apiovh` action (actions.md §4) against a real peer on 127.0.0.1 that checks OVH's
// signature itself (tests/support/http_peer.py recomputes it with Python's hashlib), plus the
// credentials rules at template load and the pure parts (endpoints, URL, signature).

#include "actions/apiovh/apiovh_action.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <memory>

#include "actions/catalog.h"
#include "model/json.h"
#include "model/yaml_json.h"
#include "support/http_peer.h"

namespace utask::actions {
namespace {

using testing::HttpPeer;
using testing::HttpPeerOptions;
using testing::OvhCheck;
using testing::PeerResponse;

Json json(const std::string& text) { return parse_json(text).value(); }

std::string error_of(const ActionResult& r) { return r.error ? r.error->message : "<no error>"; }

long long unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A peer in OVH mode whose clock is one hour behind ours, and the configuration items that
// name it (credentials as a JSON string, as a configstore item holds them).
class ApiOvhTest : public ::testing::Test {
 protected:
  ApiOvhTest() : peer_(ovh_options()) {
    items_["ovh-test"] = to_json_text(credentials("secret"));
    items_["ovh-wrong-secret"] = credentials("not-the-secret");
    items_["ovh-object"] = credentials("secret");
    action_ = std::make_unique<ApiOvhAction>(items_);
  }
  static HttpPeerOptions ovh_options() {
    HttpPeerOptions o;
    o.ovh = OvhCheck{"app-key", "secret", "consumer", unix_now() - 3600};
    return o;
  }
  Json credentials(const std::string& secret) const {
    return {{"endpoint", peer_.url("/1.0")}, {"appKey", "app-key"}, {"appSecret", secret}, {"consumerKey", "consumer"}};
  }
  ActionResult run(const ApiOvhAction& action, const Json& configuration) const {
    ExecutionRequest r;
    r.configuration = configuration;
    r.task_id = "T1";
    r.resolution_id = "R1";
    r.step_name = "ovh";
    return action.execute(r);
  }
  ActionResult run(const Json& configuration) const { return run(*action_, configuration); }
  size_t time_requests() const {
    size_t n = 0;
    for (const auto& r : peer_.requests()) n += r.path == "/1.0/auth/time";
    return n;
  }

  HttpPeer peer_;
  Json items_ = Json::object();
  std::unique_ptr<ApiOvhAction> action_;  // made once items_ is filled
};

TEST_F(ApiOvhTest, SignedGetCheckedByThePeer) {
  peer_.on("GET", "/1.0/me", {200, {{"Content-Type", "application/json"}, {"X-Ovh-Queryid", "EU.ext-1"}},
                              R"({"nichandle":"xx1-ovh"})"});
  auto r = run({{"credentials", "ovh-test"}, {"method", "GET"}, {"path", "/me?fields=a%20b"}});
  ASSERT_FALSE(r.error) << error_of(r);
  EXPECT_EQ(to_json_text(r.output), R"({"nichandle":"xx1-ovh"})");
  EXPECT_EQ(r.metadata["HTTPStatus"], 200);
  EXPECT_EQ(r.metadata["HTTPHeaders"]["X-Ovh-Queryid"], "EU.ext-1");

  auto requests = peer_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/1.0/auth/time");
  EXPECT_EQ(requests[0].header("X-Ovh-Application"), "app-key");
  EXPECT_EQ(requests[0].header("X-Ovh-Signature"), std::nullopt);
  const auto& call = requests[1];
  EXPECT_EQ(call.signature_valid, true);
  EXPECT_EQ(call.signed_url, peer_.url("/1.0/me?fields=a%20b"));
  EXPECT_EQ(call.header("Accept"), "application/json");
  EXPECT_EQ(call.header("X-Ovh-Application"), "app-key");
  EXPECT_EQ(call.header("Content-Type"), std::nullopt);  // no body
  // The timestamp is the peer's clock (one hour behind), not ours.
  const long long stamp = std::stoll(call.header("X-Ovh-Timestamp").value_or("0"));
  EXPECT_NEAR(static_cast<double>(stamp), static_cast<double>(unix_now() - 3600), 5.0);
}

TEST_F(ApiOvhTest, TheTimeDeltaIsFetchedOnce) {
  peer_.on("GET", "/1.0/me", {200, {{"Content-Type", "application/json"}}, "{}"});
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(run({{"credentials", "ovh-test"}, {"method", "GET"}, {"path", "/me"}}).error);
  EXPECT_EQ(time_requests(), 1u);
}

TEST_F(ApiOvhTest, BodyIsSentCompactAndSigned) {
  peer_.on("POST", "/1.0/domain/zone/example.org/record", {200, {{"Content-Type", "application/json"}}, R"({"id":42})"});
  auto r = run({{"credentials", "ovh-object"},
                {"method", "POST"},
                {"path", "/domain/zone/example.org/record"},
                {"body", "{ \"target\": \"1.2.3.4\",\n \"fieldType\": \"A\", \"ttl\": 60 }"}});
  ASSERT_FALSE(r.error) << error_of(r);
  EXPECT_EQ(r.output["id"], 42);
  const auto call = peer_.requests().back();
  EXPECT_EQ(call.signature_valid, true);
  EXPECT_EQ(call.body, R"({"fieldType":"A","target":"1.2.3.4","ttl":60})");
  EXPECT_EQ(call.header("Content-Type"), "application/json;charset=utf-8");
}

TEST_F(ApiOvhTest, AWrongSecretIsRefusedAsAClientErrorAndTheTimeIsMeasuredAgain) {
  ApiOvhAction action(items_);
  peer_.on("GET", "/1.0/me", {200, {}, "{}"});
  auto r = run(action, {{"credentials", "ovh-wrong-secret"}, {"method", "GET"}, {"path", "/me"}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_EQ(r.error->message.rfind("Client error: failed api request: 400: ", 0), 0u) << r.error->message;
  EXPECT_EQ(r.output["errorCode"], "INVALID_SIGNATURE");
  EXPECT_EQ(peer_.requests().back().signature_valid, false);
  (void)run(action, {{"credentials", "ovh-wrong-secret"}, {"method", "GET"}, {"path", "/me"}});
  EXPECT_EQ(time_requests(), 2u);
}

TEST_F(ApiOvhTest, StatusClassification) {
  peer_.on("GET", "/1.0/missing", {404, {{"Content-Type", "application/json"}}, R"({"message":"not found"})"});
  peer_.on("GET", "/1.0/broken", {503, {{"Content-Type", "application/json"}}, R"({"message":"later"})"});
  auto missing = run({{"credentials", "ovh-test"}, {"method", "GET"}, {"path", "/missing"}});
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->kind, ErrorKind::client);
  EXPECT_EQ(missing.error->message, R"(Client error: failed api request: 404: {"message":"not found"})");
  EXPECT_EQ(missing.metadata["HTTPStatus"], 404);
  auto broken = run({{"credentials", "ovh-test"}, {"method", "GET"}, {"path", "/broken"}});
  ASSERT_TRUE(broken.error);
  EXPECT_EQ(broken.error->kind, ErrorKind::server);
  EXPECT_EQ(broken.error->message, R"(failed api request: 503: {"message":"later"})");
}

TEST_F(ApiOvhTest, BadBodyAndMissingCredentialsAtExecution) {
  auto bad = run({{"credentials", "ovh-test"}, {"method", "POST"}, {"path", "/x"}, {"body", "{oops"}});
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->kind, ErrorKind::server);
  EXPECT_EQ(bad.error->message.rfind("can't unmarshal body: ", 0), 0u);
  auto missing = run({{"credentials", "nowhere"}, {"method", "GET"}, {"path", "/x"}});
  ASSERT_TRUE(missing.error);
  EXPECT_EQ(missing.error->message,
            "can't retrieve credentials from configstore: configstore: get \"nowhere\": no item found");
  auto method = run({{"credentials", "ovh-test"}, {"method", "PATCH"}, {"path", "/x"}});
  ASSERT_TRUE(method.error);
  EXPECT_EQ(method.error->kind, ErrorKind::client);
  EXPECT_TRUE(peer_.requests().empty());
}

TEST(ApiOvhExecute, UnreachableApiIsAServerError) {
  const std::string endpoint = "http://127.0.0.1:" + std::to_string(testing::unused_loopback_port()) + "/1.0";
  Json items = {{"creds", {{"endpoint", endpoint}, {"appKey", "a"}, {"appSecret", "s"}, {"consumerKey", "c"}}}};
  ApiOvhAction action(items);
  ExecutionRequest r;
  r.configuration = {{"credentials", "creds"}, {"method", "GET"}, {"path", "/me"}};
  auto result = action.execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::server);
  EXPECT_EQ(result.error->message.rfind("can't create new request: Get \"" + endpoint + "/auth/time\": ", 0), 0u)
      << result.error->message;
}

TEST(ApiOvhExecute, OAuth2ClientCredentials) {
  HttpPeer peer;
  peer.on("POST", "/auth/oauth2/token",
          {200, {{"Content-Type", "application/json"}}, R"({"access_token":"tok-9","token_type":"Bearer","expires_in":3600})"});
  peer.on("GET", "/1.0/me", {200, {{"Content-Type", "application/json"}}, R"({"ok":true})"});
  OvhEndpoints endpoints = {{"loopback", {peer.url("/1.0"), peer.url("/auth/oauth2/token")}}};
  Json items = {{"oauth", {{"endpoint", "loopback"}, {"clientId", "id"}, {"clientSecret", "s3cret"}}}};
  ApiOvhAction action(items, endpoints);
  ExecutionRequest r;
  r.configuration = {{"credentials", "oauth"}, {"method", "GET"}, {"path", "/me"}};
  for (int i = 0; i < 2; ++i) {
    auto result = action.execute(r);
    ASSERT_FALSE(result.error) << error_of(result);
    EXPECT_EQ(to_json_text(result.output), R"({"ok":true})");
  }
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 3u);  // one token for two calls
  EXPECT_EQ(requests[0].body, "grant_type=client_credentials&scope=all");
  EXPECT_EQ(requests[0].header("Authorization"), "Basic aWQ6czNjcmV0");
  EXPECT_EQ(requests[1].header("Authorization"), "Bearer tok-9");
  EXPECT_EQ(requests[1].header("X-Ovh-Signature"), std::nullopt);
}

TEST(ApiOvhExecute, OAuth2TokenRefusedIsAServerError) {
  HttpPeer peer;
  peer.on("POST", "/auth/oauth2/token", {401, {}, "bad client"});
  OvhEndpoints endpoints = {{"loopback", {peer.url("/1.0"), peer.url("/auth/oauth2/token")}}};
  ApiOvhAction action({{"oauth", {{"endpoint", "loopback"}, {"clientId", "id"}, {"clientSecret", "no"}}}}, endpoints);
  ExecutionRequest r;
  r.configuration = {{"credentials", "oauth"}, {"method", "GET"}, {"path", "/me"}};
  auto result = action.execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::server);
  EXPECT_EQ(result.error->message, "can't create new request: failed to retrieve OAuth2 Access Token: 401: bad client");
}

// ---------------------------------------------------------------- load time

struct Rejected {
  const char* configuration;
  const char* message;
};

class ApiOvhRejected : public ::testing::TestWithParam<Rejected> {};

Json validation_items() {
  return {{"good", R"({"endpoint":"ovh-eu","appKey":"a","appSecret":"s","consumerKey":"c"})"},
          {"not-json", "{nope"},
          {"list", Json::array({1})},
          {"no-secret", {{"appKey", "a"}, {"consumerKey", "c"}}},
          {"no-auth", {{"endpoint", "ovh-eu"}}},
          {"half-oauth", {{"clientId", "i"}}},
          {"unknown-endpoint", {{"endpoint", "ovh-mars"}, {"appKey", "a"}, {"appSecret", "s"}, {"consumerKey", "c"}}},
          {"slash", {{"endpoint", "https://api.example.org/1.0/"}, {"appKey", "a"}, {"appSecret", "s"}, {"consumerKey", "c"}}},
          {"oauth-kimsufi", {{"endpoint", "kimsufi-eu"}, {"clientId", "i"}, {"clientSecret", "s"}}},
          {"bad-field", {{"appKey", 12}}}};
}

TEST_P(ApiOvhRejected, AtTemplateLoad) {
  ApiOvhAction action(validation_items());
  auto r = action.validate(nullptr, json(GetParam().configuration));
  ASSERT_FALSE(r.ok()) << GetParam().configuration;
  EXPECT_EQ(r.error().code, ErrorCode::invalid_template);
  EXPECT_EQ(r.error().message.rfind(GetParam().message, 0), 0u) << r.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, ApiOvhRejected,
    ::testing::Values(
        Rejected{R"({"credentials":"good","method":"PATCH","path":"/me"})", "unknown method for gw runner: \"PATCH\""},
        Rejected{R"({"credentials":"good","method":"{{.input.m}}","path":"/me"})",
                 "unknown method for gw runner: \"{{.input.m}}\""},
        Rejected{R"({"credentials":"absent","method":"GET","path":"/me"})",
                 "can't retrieve credentials from configstore: configstore: get \"absent\": no item found"},
        Rejected{R"({"credentials":"not-json","method":"GET","path":"/me"})", "can't unmarshal ovhConfig from configstore: "},
        Rejected{R"({"credentials":"list","method":"GET","path":"/me"})",
                 "can't unmarshal ovhConfig from configstore: json: cannot unmarshal array into Go value of type apiovh.ovhConfig"},
        Rejected{R"({"credentials":"bad-field","method":"GET","path":"/me"})",
                 "can't unmarshal ovhConfig from configstore: json: cannot unmarshal number into Go struct field ovhConfig.appKey of type string"},
        Rejected{R"({"credentials":"no-secret","method":"GET","path":"/me"})",
                 "can't create new OVH client: invalid authentication config, both application_key and application_secret must be given"},
        Rejected{R"({"credentials":"no-auth","method":"GET","path":"/me"})",
                 "can't create new OVH client: missing authentication information"},
        Rejected{R"({"credentials":"half-oauth","method":"GET","path":"/me"})",
                 "can't create new OVH client: invalid oauth2 config, both client_id and client_secret must be given"},
        Rejected{R"({"credentials":"unknown-endpoint","method":"GET","path":"/me"})",
                 "can't create new OVH client: unknown endpoint 'ovh-mars', consider checking 'Endpoints' list or using an URL"},
        Rejected{R"({"credentials":"slash","method":"GET","path":"/me"})", "can't create new OVH client: endpoint"},
        Rejected{R"({"credentials":"oauth-kimsufi","method":"GET","path":"/me"})",
                 "can't create new OVH client: oauth2 authentication is not compatible with endpoint \"https://eu.api.kimsufi.com/1.0\""},
        Rejected{R"({"credentials":"{{ .config.x ","method":"GET","path":"/me"})", "failed to parse credentials template: "},
        Rejected{R"({"credentials":12,"method":"GET","path":"/me"})",
                 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field Config.credentials of type string"}));

TEST(ApiOvhValidate, Accepted) {
  ApiOvhAction action(validation_items());
  for (const char* c : {R"({"credentials":"good","method":"GET","path":"/me"})",
                        R"({"credentials":"GOOD","method":"DELETE","path":"/me"})",  // keys are normalised
                        R"({"credentials":"{{ .input.account }}","method":"PUT","path":"/me","body":"{}"})"}) {
    EXPECT_TRUE(action.validate(nullptr, json(c)).ok()) << c;
  }
}

TEST(ApiOvhValidate, TheRegistryReadsTheConfigurationItems) {
  BuiltinOptions options;
  options.config_items = validation_items();
  auto registry = ActionRegistry::with_builtins(options);
  ASSERT_NE(registry.find_action("apiovh"), nullptr);
  EXPECT_TRUE(registry.validate_plugin_configuration("apiovh", nullptr, json(R"({"credentials":"good","method":"GET","path":"/me"})")).ok());
  EXPECT_FALSE(registry.validate_plugin_configuration("apiovh", nullptr, json(R"({"credentials":"absent","method":"GET","path":"/me"})")).ok());
  ASSERT_TRUE(registry.plugin_metadata_schema("apiovh"));
  EXPECT_EQ(to_json_text(*registry.plugin_metadata_schema("apiovh")),
            R"({"properties":{"HTTPHeaders":{"properties":{"x-ovh-queryid":{"type":"string"}},"type":"object"},"HTTPStatus":{"type":"integer"}},"type":"object"})");
}

TEST(ApiOvhResources, SocketAndTheApiHost) {
  ApiOvhAction action(validation_items());
  EXPECT_EQ(action.resources(json(R"({"credentials":"good","method":"GET","path":"/me"})")),
            (std::vector<std::string>{"socket", "url:eu.api.ovh.com"}));
  EXPECT_EQ(action.resources(json(R"({"credentials":"no-auth","method":"GET","path":"/me"})")),
            (std::vector<std::string>{"socket", "url:eu.api.ovh.com"}));
  EXPECT_EQ(action.resources(json(R"({"credentials":"absent","method":"GET","path":"/me"})")),
            (std::vector<std::string>{"socket"}));
}

// ---------------------------------------------------------------- pure parts

TEST(OvhClient, TargetUrl) {
  EXPECT_EQ(ovh_target_url("https://eu.api.ovh.com/1.0", "/me"), "https://eu.api.ovh.com/1.0/me");
  EXPECT_EQ(ovh_target_url("https://eu.api.ovh.com/1.0", "/v2/iam/policy"), "https://eu.api.ovh.com/v2/iam/policy");
  EXPECT_EQ(ovh_target_url("https://eu.api.ovh.com/1.0", "/v1/me"), "https://eu.api.ovh.com/v1/me");
  EXPECT_EQ(ovh_target_url("https://api.example.org", "/v2/x"), "https://api.example.org/v2/x");
}

TEST(OvhClient, SignatureAsSha1sumComputesIt) {
  // printf '%s' 'as+ck+GET+https://eu.api.ovh.com/1.0/me++1366560945' | sha1sum
  EXPECT_EQ(ovh_signature("as", "ck", "GET", "https://eu.api.ovh.com/1.0/me", "", 1366560945),
            "$1$fe151ce922670d505fe548c28d12c047d4b53b10");
  EXPECT_EQ(ovh_signature("as", "ck", "POST", "https://eu.api.ovh.com/1.0/x?a=1", R"({"a":1})", 1700000000),
            "$1$d72f0f726867a1685782e05893b1699a02cf209b");
  EXPECT_NE(ovh_signature("as", "ck", "POST", "https://eu.api.ovh.com/1.0/x?a=1", R"({"a":1})", 1700000001),
            "$1$d72f0f726867a1685782e05893b1699a02cf209b");
}

TEST(OvhClient, DefaultEndpoints) {
  const auto& e = default_ovh_endpoints();
  EXPECT_EQ(e.at("ovh-eu").base_url, "https://eu.api.ovh.com/1.0");
  EXPECT_EQ(e.at("ovh-ca").token_url, "https://ca.ovh.com/auth/oauth2/token");
  EXPECT_EQ(e.at("ovh-us").base_url, "https://api.us.ovhcloud.com/1.0");
  EXPECT_EQ(e.at("soyoustart-ca").base_url, "https://ca.api.soyoustart.com/1.0");
  EXPECT_EQ(e.at("kimsufi-eu").token_url, "");
  EXPECT_EQ(e.size(), 7u);
}

// STYLE §14: the README's example is a valid apiovh action.
TEST(ApiOvhActionReadme, ExampleIsValid) {
  std::ifstream in(std::filesystem::path(UTASK_SOURCE_DIR) / "src/actions/apiovh/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t start = readme.find("```yaml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = readme.find("```", start + 8);
  auto example = model::yaml_to_json(readme.substr(start + 8, end - start - 8));
  ASSERT_TRUE(example.ok()) << example.error().message;
  const Json& action = (*example)["action"];
  EXPECT_EQ(action["type"], "apiovh");
  auto valid = ApiOvhAction(Json{{"ovh-eu-prod", R"({"appKey":"a","appSecret":"s","consumerKey":"c"})"}}).validate(nullptr, action["configuration"]);
  EXPECT_TRUE(valid.ok()) << (valid.ok() ? "" : valid.error().message);
}

// OVH's API is HTTPS: a peer whose certificate the system's trust store does not know (a
// CA made at test time) is refused before anything is sent, as a server error (retried).
TEST(ApiOvhTls, RefusesAnEndpointWhoseCertificateItCannotVerify) {
  HttpPeerOptions options;
  options.tls = true;
  HttpPeer peer(options);
  peer.on("GET", "/1.0/auth/time", {200, {}, std::to_string(unix_now())});
  Json items = Json::object();
  items["ovh-tls"] = Json{{"endpoint", peer.url("/1.0")}, {"appKey", "a"}, {"appSecret", "s"},
                          {"consumerKey", "c"}};
  ApiOvhAction action(items);
  ExecutionRequest r;
  r.configuration = Json{{"credentials", "ovh-tls"}, {"method", "GET"}, {"path", "/me"}};
  r.task_id = "T1";
  r.resolution_id = "R1";
  r.step_name = "ovh";
  auto result = action.execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::server) << result.error->message;
  EXPECT_EQ(result.error->message.find("\"s\""), std::string::npos);  // no secret in it
  EXPECT_TRUE(peer.requests().empty());
}

}  // namespace
}  // namespace utask::actions
