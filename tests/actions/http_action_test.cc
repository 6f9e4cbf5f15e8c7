// The `http` action (actions.md §2, §3) against real peers on 127.0.0.1 (support/http_peer.h):
// load-time rules, request construction as the peer received it, output and metadata, status
// classification, redirects, timeouts, TLS and mutual TLS.

#include "actions/http/http_action.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <cstdio>
#include <map>

#include "actions/catalog.h"
#include "model/json.h"
#include "model/yaml_json.h"
#include "support/http_peer.h"

namespace utask::actions {
namespace {

using testing::HttpPeer;
using testing::HttpPeerOptions;
using testing::PeerResponse;

Json json(const std::string& text) { return parse_json(text).value(); }

ActionResult run(const Json& configuration, const Json& base = nullptr, const std::atomic<bool>* cancelled = nullptr) {
  ExecutionRequest r;
  r.base_configuration = base;
  r.configuration = configuration;
  r.task_id = "T1";
  r.resolution_id = "R1";
  r.step_name = "call";
  r.cancelled = cancelled;
  return HttpAction().execute(r);
}

std::string error_of(const ActionResult& r) { return r.error ? r.error->message : "<no error>"; }

// ---------------------------------------------------------------- load-time rules

struct Rejected {
  const char* configuration;
  const char* message;
};

class HttpRejected : public ::testing::TestWithParam<Rejected> {};

TEST_P(HttpRejected, AtTemplateLoad) {
  auto r = HttpAction().validate(nullptr, json(GetParam().configuration));
  ASSERT_FALSE(r.ok()) << GetParam().configuration;
  EXPECT_EQ(r.error().message, GetParam().message);
  EXPECT_EQ(r.error().code, ErrorCode::invalid_template);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, HttpRejected,
    ::testing::Values(
        Rejected{R"({"url":"http://h","method":"FETCH"})", "unknown method for HTTP runner: FETCH"},
        Rejected{R"({"url":"http://h"})", "unknown method for HTTP runner: "},
        Rejected{R"({"url":"http://h","method":"get"})", "unknown method for HTTP runner: get"},
        Rejected{R"({"url":"http://h","host":"http://h","method":"GET"})", "URL field conflicts with Host+Path"},
        Rejected{R"({"url":"http://h","path":"/x","method":"GET"})", "URL field conflicts with Host+Path"},
        Rejected{R"({"path":"/x","method":"GET"})", "missing either URL or Host"},
        Rejected{R"({"url":"http://h","method":"GET","headers":[{"name":"","value":"v"}]})",
                 "missing header name (with value 'v')"},
        Rejected{R"({"url":"http://h","method":"GET","query_parameters":[{"value":"q"}]})",
                 "missing query parameter name (with value 'q')"},
        Rejected{R"({"url":"http://h","method":"GET","auth":{"basic":{"user":"u","password":"p"},"bearer":"t"}})",
                 "basic|digest|bearer authentications are mutually exclusive"},
        Rejected{R"({"url":"http://h","method":"GET","auth":{"basic":{"user":"u","password":"p"},"digest":{"user":"u","password":"p"}}})",
                 "basic|digest|bearer authentications are mutually exclusive"},
        Rejected{R"({"url":"http://h","method":"GET","auth":{"basic":{"user":"u"}}})",
                 "missing either user or password for basic auth"},
        Rejected{R"({"url":"http://h","method":"GET","auth":{"digest":{"password":"p"}}})",
                 "missing either user or password for digest auth"},
        Rejected{R"({"url":"http://h","method":"GET","auth":{"bearer":""}})", "missing bearer token value"},
        Rejected{R"({"url":"http://h","method":"GET","auth":{"mutual_tls":{"client_cert":"c"}}})",
                 "missing either client_cert or client_key for mTLS"},
        Rejected{R"({"url":"http://h","method":"GET","timeout":"ten"})",
                 "failed to parse timeout: time: invalid duration \"ten\""},
        Rejected{R"({"url":"http://h","method":"GET","follow_redirect":"yes"})",
                 "failed to parse follow_redirect: strconv.ParseBool: parsing \"yes\": invalid syntax"},
        Rejected{R"({"url":"http://h","method":"GET","insecure_skip_verify":"nope"})",
                 "failed to parse insecure_skip_verify: strconv.ParseBool: parsing \"nope\": invalid syntax"},
        Rejected{R"({"url":"http://h","method":"GET","follow_redirect":true})",
                 "failed to unmarshal configuration: json: cannot unmarshal bool into Go struct field "
                 "Config.follow_redirect of type string"},
        Rejected{R"({"url":"http://h","method":"GET","headers":{"name":"a"}})",
                 "failed to unmarshal configuration: json: cannot unmarshal object into Go struct field "
                 "Config.headers of type []http.parameter"},
        Rejected{R"({"url":"http://h","method":"GET","auth":{"bearer":12}})",
                 "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
                 "Config.auth.bearer of type string"}));

TEST(HttpValidate, AcceptsWhatTheOriginalAccepts) {
  const char* accepted[] = {
      R"({"url":"http://h/x","method":"GET"})",
      R"({"host":"http://h","path":"/x","method":"PATCH"})",
      R"({"host":"http://h","method":"DELETE"})",
      R"({"url":"http://h","method":"{{.input.method}}"})",  // a templated method waits
      R"({"url":"http://h","method":"{{ if .input.write }}POST{{ else }}GET{{ end }}"})",
      R"({"url":"http://h","method":"GET","timeout":"{{.input.t}}","follow_redirect":"{{.input.f}}"})",
      R"({"url":"http://h","method":"GET","timeout":"1m30s","follow_redirect":"True","insecure_skip_verify":"0"})",
      R"({"url":"http://h","method":"GET","auth":{"bearer":"t","mutual_tls":{"client_cert":"c","client_key":"k"}}})",
      R"({"url":"http://h","method":"GET","unknown_key":12})",
  };
  for (const char* c : accepted) EXPECT_TRUE(HttpAction().validate(nullptr, json(c)).ok()) << c;
}

TEST(HttpValidate, BaseConfigurationMergesUnderTheStep) {
  // auth.basic.user from the base, the password from the step.
  EXPECT_TRUE(HttpAction().validate(json(R"({"url":"http://h","auth":{"basic":{"user":"u"}}})"),
                                    json(R"({"method":"GET","auth":{"basic":{"password":"p"}}})")).ok());
  auto r = HttpAction().validate(json(R"({"method":12})"), json(R"({"url":"http://h","method":"GET"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "failed to unmarshal base configuration: json: cannot unmarshal number into Go struct field "
            "Config.method of type string");
}

TEST(HttpValidate, TheRegistryUsesTheseRules) {
  auto registry = ActionRegistry::with_builtins();
  ASSERT_NE(registry.find_action("http"), nullptr);
  EXPECT_FALSE(registry.validate_plugin_configuration("http", nullptr, json(R"({"url":"http://h"})")).ok());
  EXPECT_TRUE(registry.validate_plugin_configuration("http", nullptr, json(R"({"url":"http://h","method":"GET"})")).ok());
}

TEST(HttpResources, SocketAndTheAuthority) {
  EXPECT_EQ(HttpAction().resources(json(R"({"url":"https://user@api.example.org:8443/x?y=1","method":"GET"})")),
            (std::vector<std::string>{"socket", "url:api.example.org:8443"}));
  EXPECT_EQ(HttpAction().resources(json(R"({"host":"http://example.org","path":"/a","method":"GET"})")),
            (std::vector<std::string>{"socket", "url:example.org"}));
  EXPECT_EQ(HttpAction().resources(json(R"({"host":"example.org","method":"GET"})")),
            (std::vector<std::string>{"socket"}));
}

// ---------------------------------------------------------------- exchanges

TEST(HttpExecute, JsonBodyOutputAndTheMetadataOfTheSpec) {
  HttpPeer peer;
  peer.on("GET", "/user", {200, {{"Content-Type", "application/json"}, {"Set-Cookie", "Cookie-1=foo"},
                                 {"set-cookie", "Cookie-2=\"bar\"; Path=/"}, {"x-ovh-queryid", "Q1"}},
                           R"({"foo": "bar", "n": 1.50})"});
  auto r = run({{"url", peer.url("/user")}, {"method", "GET"}});
  ASSERT_FALSE(r.error) << error_of(r);
  EXPECT_EQ(to_json_text(r.output), R"({"foo":"bar","n":1.50})");
  EXPECT_EQ(r.metadata["HTTPStatus"], 200);
  EXPECT_EQ(r.metadata["HTTPHeaders"]["Content-Type"], "application/json");
  EXPECT_EQ(r.metadata["HTTPHeaders"]["Set-Cookie"], "Cookie-1=foo");  // the first value only
  EXPECT_EQ(r.metadata["HTTPHeaders"]["X-Ovh-Queryid"], "Q1");         // canonical names
  EXPECT_EQ(to_json_text(r.metadata["HTTPCookies"]), R"({"Cookie-1":"foo","Cookie-2":"bar"})");
  EXPECT_EQ(r.metadata.size(), 3u);
}

TEST(HttpExecute, OtherMediaTypesAreText) {
  HttpPeer peer;
  peer.on("GET", "/problem", {200, {{"Content-Type", "application/problem+json"}}, R"({"a":1})"});
  peer.on("GET", "/json-charset", {200, {{"Content-Type", "Application/JSON; charset=utf-8"}}, R"([1,2])"});
  peer.on("GET", "/empty", {200, {{"Content-Type", "application/json"}}, ""});
  EXPECT_EQ(run({{"url", peer.url("/problem")}, {"method", "GET"}}).output, R"({"a":1})");
  EXPECT_EQ(to_json_text(run({{"url", peer.url("/json-charset")}, {"method", "GET"}}).output), "[1,2]");
  auto empty = run({{"url", peer.url("/empty")}, {"method", "GET"}});
  ASSERT_FALSE(empty.error) << error_of(empty);
  EXPECT_EQ(empty.output, "");
}

TEST(HttpExecute, MalformedJsonIsAServerErrorWithTheMetadataKept) {
  HttpPeer peer;
  peer.on("GET", "/bad", {200, {{"Content-Type", "application/json"}}, R"({"a":1} trailing)"});
  auto r = run({{"url", peer.url("/bad")}, {"method", "GET"}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message.rfind("can't unmarshal body: ", 0), 0u) << r.error->message;
  EXPECT_TRUE(r.output.is_null());
  EXPECT_EQ(r.metadata["HTTPStatus"], 200);
}

TEST(HttpExecute, TrimPrefixBeforeParsing) {
  HttpPeer peer;
  peer.on("GET", "/guarded", {200, {{"Content-Type", "application/json"}}, ")]}',\n{\"ok\":true}"});
  auto r = run({{"url", peer.url("/guarded")}, {"method", "GET"}, {"trim_prefix", ")]}',\n"}});
  ASSERT_FALSE(r.error) << error_of(r);
  EXPECT_EQ(to_json_text(r.output), R"({"ok":true})");
}

struct StatusCase {
  int status;
  std::optional<ErrorKind> kind;
  const char* message;
};

// One peer for every status (a route per status).
class HttpStatus : public ::testing::TestWithParam<StatusCase> {
 protected:
  static void SetUpTestSuite() { peer_ = new HttpPeer(); }
  static void TearDownTestSuite() {
    delete peer_;
    peer_ = nullptr;
  }
  static HttpPeer* peer_;
};
HttpPeer* HttpStatus::peer_ = nullptr;

TEST_P(HttpStatus, Classification) {
  const auto& c = GetParam();
  const std::string path = "/s" + std::to_string(c.status);
  peer_->on("POST", path, {c.status, {{"Content-Type", "text/plain"}, {"Location", "/elsewhere"}}, "why"});
  auto r = run({{"url", peer_->url(path)}, {"method", "POST"}});
  EXPECT_EQ(r.metadata["HTTPStatus"], c.status);
  EXPECT_EQ(r.output, "why");
  if (!c.kind) {
    EXPECT_FALSE(r.error) << error_of(r);
    return;
  }
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, *c.kind);
  EXPECT_EQ(r.error->message, c.message);
}

INSTANTIATE_TEST_SUITE_P(
    Statuses, HttpStatus,
    ::testing::Values(StatusCase{200, std::nullopt, ""}, StatusCase{201, std::nullopt, ""},
                      StatusCase{299, std::nullopt, ""},
                      StatusCase{400, ErrorKind::client, "Client error: failed api request: 400: why"},
                      StatusCase{404, ErrorKind::client, "Client error: failed api request: 404: why"},
                      StatusCase{499, ErrorKind::client, "Client error: failed api request: 499: why"},
                      StatusCase{302, ErrorKind::server, "failed api request: 302: why"},  // not followed
                      StatusCase{500, ErrorKind::server, "failed api request: 500: why"},
                      StatusCase{503, ErrorKind::server, "failed api request: 503: why"}));

TEST(HttpExecute, QueryParametersAreMergedSortedAndFormEncoded) {
  HttpPeer peer;
  peer.on("GET", "/stuff", {200, {}, ""});
  auto r = run({{"url", peer.url("/stuff?lang=en&z=1")},
                {"method", "GET"},
                {"query_parameters", {{{"name", "foo"}, {"value", "a b&c"}}, {{"name", "lang"}, {"value", "fr"}}}}});
  ASSERT_FALSE(r.error) << error_of(r);
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].query, "foo=a+b%26c&lang=en&lang=fr&z=1");
}

TEST(HttpExecute, HostAndPath) {
  HttpPeer peer;
  peer.on("DELETE", "/items/7", {204, {}, ""});
  auto r = run({{"host", peer.base_url()}, {"path", "items/7?force=true"}, {"method", "DELETE"}});
  ASSERT_FALSE(r.error) << error_of(r);
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "DELETE");
  EXPECT_EQ(requests[0].path, "/items/7");
  EXPECT_EQ(requests[0].query, "force=true");
}

TEST(HttpExecute, HostWithoutSchemeFailsAtSendTime) {
  auto r = run({{"host", "example.org"}, {"path", "/x"}, {"method", "GET"}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "can't do HTTP request: Get \"/x\": unsupported protocol scheme \"\"");
}

TEST(HttpExecute, HeadersBodyAndTheGuessedContentType) {
  HttpPeer peer;
  for (const char* m : {"POST", "PUT", "PATCH"}) peer.on(m, "/in", {200, {}, ""});
  struct Case {
    const char* method;
    std::string body;
    Json headers;
    std::optional<std::string> content_type;
  } cases[] = {
      {"POST", R"({"a":1})", Json::array(), "application/json"},
      {"PUT", "<a x='1'><b>t &amp; u</b><!-- c --></a>", Json::array(), "application/xml"},
      {"PATCH", "plain words", Json::array(), std::nullopt},
      {"POST", "<a><b></a>", Json::array(), std::nullopt},
      {"POST", R"({"a":1})", Json::array({{{"name", "content-type"}, {"value", "text/x-mine"}}}), "text/x-mine"},
  };
  for (const auto& c : cases) {
    Json config = {{"url", peer.url("/in")}, {"method", c.method}, {"body", c.body}, {"headers", c.headers}};
    config["headers"].push_back({{"name", "X-Trace"}, {"value", "first"}});
    config["headers"].push_back({{"name", "X-Trace"}, {"value", "second"}});  // the last one wins
    auto r = run(config);
    ASSERT_FALSE(r.error) << error_of(r);
    const auto got = peer.requests().back();
    EXPECT_EQ(got.method, c.method);
    EXPECT_EQ(got.body, c.body);
    EXPECT_EQ(got.header("Content-Type"), c.content_type) << c.body;
    EXPECT_EQ(got.header("X-Trace"), "second");
    EXPECT_EQ(got.header("Accept"), std::nullopt);  // libcurl's default is not sent
  }
}

TEST(HttpExecute, GetMaySendABody) {
  HttpPeer peer;
  peer.on("GET", "/search", {200, {}, ""});
  ASSERT_FALSE(run({{"url", peer.url("/search")}, {"method", "GET"}, {"body", "q"}}).error);
  EXPECT_EQ(peer.requests().at(0).body, "q");
  EXPECT_EQ(peer.requests().at(0).method, "GET");
}

TEST(HttpExecute, BasicAndBearerAndAnExplicitAuthorizationWins) {
  HttpPeer peer;
  peer.on("GET", "/a", {200, {}, ""});
  ASSERT_FALSE(run({{"url", peer.url("/a")}, {"method", "GET"}, {"auth", {{"basic", {{"user", "Aladdin"}, {"password", "open sesame"}}}}}}).error);
  ASSERT_FALSE(run({{"url", peer.url("/a")}, {"method", "GET"}, {"auth", {{"bearer", "tok-1"}}}}).error);
  ASSERT_FALSE(run({{"url", peer.url("/a")},
                    {"method", "GET"},
                    {"auth", {{"bearer", "tok-1"}}},
                    {"headers", {{{"name", "Authorization"}, {"value", "Custom x"}}}}}).error);
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].header("Authorization"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(requests[1].header("Authorization"), "Bearer tok-1");
  EXPECT_EQ(requests[2].header("Authorization"), "Custom x");
}

std::string md5_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_md5(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

// `key="value"` or `key=value` of a Digest header.
std::map<std::string, std::string> digest_fields(std::string header) {
  std::map<std::string, std::string> out;
  header.erase(0, header.find(' ') + 1);
  size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = header.substr(i, eq - i), value;
    i = eq + 1;
    if (i < header.size() && header[i] == '"') {
      size_t end = header.find('"', i + 1);
      value = header.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      size_t end = header.find(',', i);
      value = header.substr(i, end == std::string::npos ? std::string::npos : end - i);
      i = end == std::string::npos ? header.size() : end;
    }
    out[key] = value;
  }
  return out;
}

TEST(HttpExecute, DigestAnswersTheChallenge) {
  HttpPeer peer;
  peer.on("GET", "/private",
          std::vector<PeerResponse>{{401, {{"WWW-Authenticate", R"(Digest realm="utask", nonce="abc123", qop="auth")"}}, "who?"},
                                    {200, {}, "welcome"}});
  auto r = run({{"url", peer.url("/private")}, {"method", "GET"}, {"auth", {{"digest", {{"user", "u"}, {"password", "p"}}}}}});
  ASSERT_FALSE(r.error) << error_of(r);
  EXPECT_EQ(r.output, "welcome");
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("Authorization"), std::nullopt);
  auto f = digest_fields(requests[1].header("Authorization").value_or(""));
  EXPECT_EQ(f["username"], "u");
  EXPECT_EQ(f["realm"], "utask");
  const std::string ha1 = md5_hex("u:utask:p"), ha2 = md5_hex("GET:" + f["uri"]);
  EXPECT_EQ(f["response"], md5_hex(ha1 + ":abc123:" + f["nc"] + ":" + f["cnonce"] + ":auth:" + ha2));
}

TEST(HttpExecute, RedirectsFollowedOnlyWhenAsked) {
  HttpPeer peer;
  peer.on("POST", "/old", {302, {{"Location", "/new"}}, ""});
  peer.on("GET", "/new", {200, {}, "moved here"});
  peer.on("PUT", "/temp", {307, {{"Location", "/kept"}}, ""});
  peer.on("PUT", "/kept", {200, {}, "kept"});

  auto unfollowed = run({{"url", peer.url("/old")}, {"method", "POST"}, {"body", "x"}});
  ASSERT_TRUE(unfollowed.error);
  EXPECT_EQ(unfollowed.error->kind, ErrorKind::server);
  EXPECT_EQ(unfollowed.metadata["HTTPStatus"], 302);

  auto as_get = run({{"url", peer.url("/old")}, {"method", "POST"}, {"body", "x"}, {"follow_redirect", "true"}});
  ASSERT_FALSE(as_get.error) << error_of(as_get);
  EXPECT_EQ(as_get.output, "moved here");
  auto requests = peer.requests();
  EXPECT_EQ(requests.back().method, "GET");
  EXPECT_EQ(requests.back().body, "");

  auto kept = run({{"url", peer.url("/temp")}, {"method", "PUT"}, {"body", "payload"}, {"follow_redirect", "1"}});
  ASSERT_FALSE(kept.error) << error_of(kept);
  requests = peer.requests();
  EXPECT_EQ(requests.back().path, "/kept");
  EXPECT_EQ(requests.back().method, "PUT");
  EXPECT_EQ(requests.back().body, "payload");
}

TEST(HttpExecute, AtMostTenRedirects) {
  HttpPeer peer;
  peer.on("GET", "/loop", {302, {{"Location", "/loop"}}, ""});
  auto r = run({{"url", peer.url("/loop")}, {"method", "GET"}, {"follow_redirect", "true"}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_NE(r.error->message.find("stopped after 10 redirects"), std::string::npos) << r.error->message;
  EXPECT_EQ(peer.requests().size(), 11u);
}

TEST(HttpExecute, CredentialsStayOnTheirHost) {
  HttpPeer peer;
  const std::string other = "http://localhost:" + std::to_string(peer.port());
  peer.on("GET", "/here", {302, {{"Location", "/there"}}, ""});
  peer.on("GET", "/there", {302, {{"Location", other + "/away"}}, ""});
  peer.on("GET", "/away", {200, {}, ""});
  auto r = run({{"url", peer.url("/here")}, {"method", "GET"}, {"follow_redirect", "true"}, {"auth", {{"bearer", "secret"}}}});
  ASSERT_FALSE(r.error) << error_of(r);
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].header("Authorization"), "Bearer secret");  // same host
  EXPECT_EQ(requests[2].header("Authorization"), std::nullopt);     // another host
}

TEST(HttpExecute, TimeoutIsAServerError) {
  HttpPeer peer;
  peer.on("GET", "/slow", {200, {}, "late", std::chrono::milliseconds(2000)});
  auto r = run({{"url", peer.url("/slow")}, {"method", "GET"}, {"timeout", "300ms"}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message.rfind("can't do HTTP request: Get \"" + peer.url("/slow") + "\": ", 0), 0u) << r.error->message;
  EXPECT_NE(r.error->message.find("timed out"), std::string::npos) << r.error->message;
}

TEST(HttpExecute, RefusedConnectionIsAServerError) {
  const std::string url = "http://127.0.0.1:" + std::to_string(testing::unused_loopback_port()) + "/";
  auto r = run({{"url", url}, {"method", "GET"}});
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message.rfind("can't do HTTP request: Get \"" + url + "\": ", 0), 0u) << r.error->message;
  EXPECT_TRUE(r.output.is_null());
}

TEST(HttpExecute, RenderedValuesBreakingARuleAreClientErrors) {
  struct Case {
    Json configuration;
    const char* message;
  } cases[] = {
      {{{"url", "http://127.0.0.1:1/"}, {"method", "FETCH"}}, "unknown method for HTTP runner: FETCH"},
      {{{"url", "http://127.0.0.1:1/"}, {"method", "GET"}, {"timeout", "soon"}},
       "failed to parse timeout: time: invalid duration \"soon\""},
      {{{"url", "http://127.0.0.1:1/"}, {"method", "GET"}, {"follow_redirect", "maybe"}},
       "failed to parse follow_redirect: strconv.ParseBool: parsing \"maybe\": invalid syntax"},
      {{{"url", "http://127.0.0.1:1/"}, {"method", "GET"}, {"auth", {{"mutual_tls", {{"client_cert", "junk"}, {"client_key", "junk"}}}}}},
       "failed to parse x509 mTLS certificate or key: tls: failed to find any PEM data in certificate input"},
      {{{"url", "http://127.0.0.1:1/"}, {"method", "GET"}, {"root_ca", "not a certificate"}},
       "WithTLSRootCA: failed to add a certificate to the cert pool"},
      {{{"url", 12}, {"method", "GET"}},
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field Config.url of type string"},
  };
  for (const auto& c : cases) {
    auto r = run(c.configuration);
    ASSERT_TRUE(r.error) << c.message;
    EXPECT_EQ(r.error->kind, ErrorKind::client) << c.message;
    EXPECT_EQ(r.error->message, c.message);
  }
}

TEST(HttpExecute, CancelledBeforeTheAnswerIsInterrupted) {
  HttpPeer peer;
  peer.on("GET", "/slow", {200, {}, "", std::chrono::milliseconds(5000)});
  std::atomic<bool> cancelled{true};
  const auto start = std::chrono::steady_clock::now();
  auto r = run({{"url", peer.url("/slow")}, {"method", "GET"}}, nullptr, &cancelled);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_provisioned);
  EXPECT_EQ(r.error->message, "interrupted");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(4000));
}

TEST(HttpExecute, BaseConfigurationGivesTheHostAndHeaders) {
  HttpPeer peer;
  peer.on("GET", "/v", {200, {}, "ok"});
  Json base = {{"host", peer.base_url()}, {"headers", {{{"name", "X-Base"}, {"value", "b"}}}}};
  auto r = run({{"path", "/v"}, {"method", "GET"}}, base);
  ASSERT_FALSE(r.error) << error_of(r);
  EXPECT_EQ(peer.requests().at(0).header("X-Base"), "b");
}

// ---------------------------------------------------------------- TLS

TEST(HttpTls, TheTestCaAsRootCaOrSkippingVerification) {
  HttpPeerOptions options;
  options.tls = true;
  HttpPeer peer(options);
  peer.on("GET", "/", {200, {{"Content-Type", "application/json"}}, R"({"secure":true})"});
  const std::string ca = testing::TestPki::read(peer.pki().ca_cert);

  auto trusted = run({{"url", peer.url("/")}, {"method", "GET"}, {"root_ca", ca}});
  ASSERT_FALSE(trusted.error) << error_of(trusted);
  EXPECT_EQ(to_json_text(trusted.output), R"({"secure":true})");

  auto unknown = run({{"url", peer.url("/")}, {"method", "GET"}});
  ASSERT_TRUE(unknown.error);
  EXPECT_EQ(unknown.error->kind, ErrorKind::server);
  EXPECT_EQ(unknown.error->message.rfind("can't do HTTP request: ", 0), 0u);

  auto skipped = run({{"url", peer.url("/")}, {"method", "GET"}, {"insecure_skip_verify", "true"}});
  ASSERT_FALSE(skipped.error) << error_of(skipped);
}

TEST(HttpTls, MutualTls) {
  HttpPeerOptions options;
  options.require_client_cert = true;
  HttpPeer peer(options);
  peer.on("GET", "/", {200, {}, "hello client"});
  const auto& pki = peer.pki();
  const std::string ca = testing::TestPki::read(pki.ca_cert);

  auto without = run({{"url", peer.url("/")}, {"method", "GET"}, {"root_ca", ca}});
  ASSERT_TRUE(without.error);
  EXPECT_EQ(without.error->kind, ErrorKind::server);

  Json with = {{"url", peer.url("/")},
               {"method", "GET"},
               {"root_ca", ca},
               {"auth",
                {{"mutual_tls",
                  {{"client_cert", testing::TestPki::read(pki.client_cert)}, {"client_key", testing::TestPki::read(pki.client_key)}}},
                 {"bearer", "also"}}}};
  auto r = run(with);
  ASSERT_FALSE(r.error) << error_of(r);
  EXPECT_EQ(r.output, "hello client");
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].client_cert_subject, "commonName=utask-test-client");
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer also");

  // A key that is not the certificate's.
  testing::TempDir other;
  auto other_pki = testing::make_test_pki(other.str(), "other");
  with["auth"]["mutual_tls"]["client_key"] = testing::TestPki::read(other_pki.client_key);
  auto mismatch = run(with);
  ASSERT_TRUE(mismatch.error);
  EXPECT_EQ(mismatch.error->kind, ErrorKind::client);
  EXPECT_EQ(mismatch.error->message, "failed to parse x509 mTLS certificate or key: tls: private key does not match public key");
}

// STYLE §14: the README's example is a valid http action.
TEST(HttpActionReadme, ExampleIsValid) {
  std::ifstream in(std::filesystem::path(UTASK_SOURCE_DIR) / "src/actions/http/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t start = readme.find("```yaml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = readme.find("```", start + 8);
  auto example = model::yaml_to_json(readme.substr(start + 8, end - start - 8));
  ASSERT_TRUE(example.ok()) << example.error().message;
  const Json& action = (*example)["action"];
  EXPECT_EQ(action["type"], "http");
  auto valid = HttpAction().validate(nullptr, action["configuration"]);
  EXPECT_TRUE(valid.ok()) << (valid.ok() ? "" : valid.error().message);
}

}  // namespace
}  // namespace utask::actions
