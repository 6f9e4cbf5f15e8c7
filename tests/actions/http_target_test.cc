// The pure parts of the `http` request (actions/http/http_target.h, curl_request.h's
// canonical names): tables of inputs and what Go's net/url, encoding/xml and textproto give.

#include "actions/http/http_target.h"

#include <gtest/gtest.h>

#include "actions/http/curl_request.h"

namespace utask::actions {
namespace {

struct UrlCase {
  std::string url, host, path;
  QueryParameters extra;
  std::string expected;
};

class HttpTargetUrl : public ::testing::TestWithParam<UrlCase> {};

TEST_P(HttpTargetUrl, AsGoBuildsIt) {
  const auto& c = GetParam();
  EXPECT_EQ(http_target_url(c.url, c.host, c.path, c.extra), c.expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, HttpTargetUrl,
    ::testing::Values(
        UrlCase{"http://h/stuff", "", "", {{"foo", "bar"}}, "http://h/stuff?foo=bar"},
        UrlCase{"http://h/stuff?lang=en", "", "", {{"foo", "bar"}}, "http://h/stuff?foo=bar&lang=en"},
        UrlCase{"http://h/s?b=2&a=1&b=1", "", "", {}, "http://h/s?a=1&b=2&b=1"},  // stable for repeats
        UrlCase{"http://h/s?flag", "", "", {}, "http://h/s?flag="},
        UrlCase{"http://h/s?a=x+y&bad=%zz&c=%41", "", "", {}, "http://h/s?a=x+y&c=A"},  // bad escape dropped
        UrlCase{"http://h/s?a=1;b=2", "", "", {}, "http://h/s"},                         // ';' dropped
        UrlCase{"http://h/s#frag", "", "", {{"q", "a b/c&d=é"}}, "http://h/s?q=a+b%2Fc%26d%3D%C3%A9"},
        UrlCase{"http://h", "", "", {}, "http://h"},
        UrlCase{"", "https://api.example.org:8443/ignored?x=1", "/v1/items?page=2", {{"n", "1"}},
                "https://api.example.org:8443/v1/items?n=1&page=2"},
        UrlCase{"", "http://h", "relative", {}, "http://h/relative"},
        UrlCase{"", "http://h", "", {}, "http://h"},
        UrlCase{"", "example.org", "/x", {}, "/x"}));  // no scheme: no authority, as Go

TEST(HttpTarget, Authority) {
  EXPECT_EQ(url_authority("https://user:pw@api.example.org:8443/x?y#z"), "api.example.org:8443");
  EXPECT_EQ(url_authority("http://[::1]:80"), "[::1]:80");
  EXPECT_EQ(url_authority("example.org/x"), "");
}

TEST(HttpTarget, QueryEscape) {
  EXPECT_EQ(query_escape("aZ09-_.~"), "aZ09-_.~");
  EXPECT_EQ(query_escape("a b+c/d?e"), "a+b%2Bc%2Fd%3Fe");
}

struct GuessCase {
  std::string body;
  std::optional<std::string> type;
};

class ContentTypeGuess : public ::testing::TestWithParam<GuessCase> {};

TEST_P(ContentTypeGuess, FromTheBody) { EXPECT_EQ(guess_content_type(GetParam().body), GetParam().type) << GetParam().body; }

INSTANTIATE_TEST_SUITE_P(
    Cases, ContentTypeGuess,
    ::testing::Values(GuessCase{R"({"a":[1,2]})", "application/json"}, GuessCase{"42", "application/json"},
                      GuessCase{R"("text")", "application/json"}, GuessCase{"{\"a\":1} x", std::nullopt},
                      GuessCase{"<a/>", "application/xml"},
                      GuessCase{"<?xml version=\"1.0\"?>\n<!-- c --><r a=\"1\" b='2'><c>x &lt; y &#x41;</c><![CDATA[<raw>]]></r>",
                                "application/xml"},
                      GuessCase{"text first <a>x</a>", "application/xml"},  // Go skips leading text
                      GuessCase{"<a><b></a></b>", std::nullopt}, GuessCase{"<a>", std::nullopt},
                      GuessCase{"<a x=1/>", std::nullopt}, GuessCase{"<a>&nbsp;</a>", std::nullopt},
                      GuessCase{"a < b", std::nullopt}, GuessCase{"plain", std::nullopt},
                      GuessCase{"", std::nullopt}));

TEST(HttpHeaders, CanonicalNames) {
  EXPECT_EQ(canonical_header_name("content-type"), "Content-Type");
  EXPECT_EQ(canonical_header_name("X-OVH-QUERYID"), "X-Ovh-Queryid");
  EXPECT_EQ(canonical_header_name("www-authenticate"), "Www-Authenticate");
  EXPECT_EQ(canonical_header_name("bad header"), "bad header");  // not a token: unchanged
}

TEST(HttpHeaders, BasicAuthorization) {
  EXPECT_EQ(basic_authorization("Aladdin", "open sesame"), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  EXPECT_EQ(basic_authorization("", ""), "Basic Og==");
}

}  // namespace
}  // namespace utask::actions
