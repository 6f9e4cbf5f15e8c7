// The HTTP test peer itself (tests/support/http_peer.h), driven with bare libcurl so that a
// fault of the peer is not mistaken for a fault of the actions built on it.

#include "support/http_peer.h"

#include <curl/curl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <string>

namespace utask::testing {
namespace {

struct Reply {
  CURLcode code = CURLE_OK;
  long status = 0;
  std::string body;
};

size_t append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

struct CurlOptions {
  std::string method = "GET";
  std::string body;
  std::vector<std::string> headers;
  std::string ca, cert, key;
  long timeout_ms = 10000;
};

Reply fetch(const std::string& url, const CurlOptions& o = {}) {
  Reply r;
  CURL* curl = curl_easy_init();
  curl_slist* headers = nullptr;
  for (const auto& h : o.headers) headers = curl_slist_append(headers, h.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, o.method.c_str());
  if (!o.body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, o.body.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, o.timeout_ms);
  if (!o.ca.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, o.ca.c_str());
  if (!o.cert.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, o.cert.c_str());
  if (!o.key.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, o.key.c_str());
  r.code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r.status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return r;
}

TEST(HttpPeer, ScriptedResponsesInOrderTheLastRepeats) {
  HttpPeer peer;
  peer.on("GET", "/a", std::vector<PeerResponse>{{500, {}, "first"}, {200, {}, "second"}});
  EXPECT_EQ(fetch(peer.url("/a")).body, "first");
  EXPECT_EQ(fetch(peer.url("/a?x=1")).body, "second");
  EXPECT_EQ(fetch(peer.url("/a")).status, 200);
  peer.on("GET", "/a", std::vector<PeerResponse>{{201, {}, "again"}, {202, {}, "then"}});
  EXPECT_EQ(fetch(peer.url("/a")).status, 201);  // a new list starts over
  auto unknown = fetch(peer.url("/b"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.body, "no route for GET /b");
}

TEST(HttpPeer, RecordsEveryRequest) {
  HttpPeer peer;
  peer.on("POST", "/items", {201, {{"X-Id", "7"}}, "{}"});
  CurlOptions o;
  o.method = "POST";
  o.body = "payload";
  o.headers = {"X-Trace: abc"};
  EXPECT_EQ(fetch(peer.url("/items?a=1&b=2"), o).status, 201);
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/items");
  EXPECT_EQ(requests[0].query, "a=1&b=2");
  EXPECT_EQ(requests[0].body, "payload");
  EXPECT_EQ(requests[0].header("x-trace"), "abc");
  EXPECT_EQ(requests[0].header("X-Absent"), std::nullopt);
}

TEST(HttpPeer, DelayMakesAShortTimeoutExpire) {
  HttpPeer peer;
  peer.on("GET", "/slow", {200, {}, "late", std::chrono::milliseconds(1500)});
  CurlOptions o;
  o.timeout_ms = 200;
  EXPECT_EQ(fetch(peer.url("/slow"), o).code, CURLE_OPERATION_TIMEDOUT);
}

TEST(HttpPeer, TlsWithItsCaAndRefusedWithout) {
  HttpPeerOptions options;
  options.tls = true;
  HttpPeer peer(options);
  peer.on("GET", "/", {200, {}, "secure"});
  ASSERT_EQ(peer.base_url().rfind("https://127.0.0.1:", 0), 0u);
  CurlOptions trusted;
  trusted.ca = peer.pki().ca_cert;
  EXPECT_EQ(fetch(peer.url("/"), trusted).body, "secure");
  EXPECT_EQ(fetch("https://localhost:" + std::to_string(peer.port()) + "/", trusted).body, "secure");
  EXPECT_EQ(fetch(peer.url("/")).code, CURLE_PEER_FAILED_VERIFICATION);  // system CAs only
}

TEST(HttpPeer, MutualTlsRequiresTheClientCertificate) {
  HttpPeerOptions options;
  options.require_client_cert = true;
  HttpPeer peer(options);
  peer.on("GET", "/", {200, {}, "hello"});
  CurlOptions o;
  o.ca = peer.pki().ca_cert;
  EXPECT_NE(fetch(peer.url("/"), o).code, CURLE_OK);
  o.cert = peer.pki().client_cert;
  o.key = peer.pki().client_key;
  EXPECT_EQ(fetch(peer.url("/"), o).body, "hello");
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].client_cert_subject, "commonName=utask-test-client");
}

std::string sha1_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha1(), nullptr);
  std::string out;
  char buf[3];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    out += buf;
  }
  return out;
}

TEST(HttpPeer, OvhModeChecksTheSignature) {
  HttpPeerOptions options;
  options.ovh = OvhCheck{"ak", "secret", "ck", 1700000000};
  HttpPeer peer(options);
  peer.on("GET", "/1.0/me", {200, {{"Content-Type", "application/json"}}, R"({"nichandle":"x"})"});
  EXPECT_EQ(fetch(peer.url("/1.0/auth/time")).body, "1700000000");

  const std::string url = peer.url("/1.0/me");
  const std::string good = "$1$" + sha1_hex("secret+ck+GET+" + url + "++1700000000");
  CurlOptions o;
  o.headers = {"X-Ovh-Application: ak", "X-Ovh-Consumer: ck", "X-Ovh-Timestamp: 1700000000",
               "X-Ovh-Signature: " + good};
  EXPECT_EQ(fetch(url, o).status, 200);
  o.headers.back() = "X-Ovh-Signature: $1$" + sha1_hex("wrong");
  auto bad = fetch(url, o);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("INVALID_SIGNATURE"), std::string::npos);
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].signature_valid, true);
  EXPECT_EQ(requests[2].signature_valid, false);
}

TEST(HttpPeer, UnusedPortRefusesConnections) {
  EXPECT_EQ(fetch("http://127.0.0.1:" + std::to_string(unused_loopback_port()) + "/").code,
            CURLE_COULDNT_CONNECT);
}

}  // namespace
}  // namespace utask::testing
