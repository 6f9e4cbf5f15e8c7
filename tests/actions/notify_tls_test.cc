// The one POST every notification backend makes (senders/http_post.h) over HTTPS, against a
// real TLS peer whose certificate comes from a CA made at test time: trusted through that CA
// the message is delivered; without it the certificate is refused (transient, no answer),
// and the message never names the URL (a Slack webhook URL is a secret).

#include <gtest/gtest.h>

#include "actions/notify/senders/http_post.h"
#include "support/http_peer.h"

namespace utask::actions::notify {
namespace {

using testing::HttpPeer;
using testing::HttpPeerOptions;
using testing::PeerResponse;

TEST(NotifyOverTls, DeliversToAPeerTrustedThroughTheTestCa) {
  HttpPeer peer(HttpPeerOptions{.tls = true});
  peer.on("POST", "/hook", PeerResponse{200, {}, "ok"});
  HttpPost post;
  post.url = peer.url("/hook");
  post.body = R"({"message":"hello"})";
  post.headers = {{"Content-Type", "application/json"}};
  post.ca_file = peer.pki().ca_cert;
  auto answer = http_post(post, "webhook backend tls");
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "ok");
  ASSERT_TRUE(check_status(*answer, "webhook backend tls").ok());
  auto seen = peer.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].body, R"({"message":"hello"})");
}

TEST(NotifyOverTls, RefusesACertificateItCannotVerifyWithoutNamingTheUrl) {
  HttpPeer peer(HttpPeerOptions{.tls = true});
  peer.on("POST", "/services/T000/B000/secret-token", PeerResponse{200, {}, "ok"});
  HttpPost post;
  post.url = peer.url("/services/T000/B000/secret-token");
  post.body = "{}";
  auto answer = http_post(post, "slack backend tls");  // the system store lacks the test CA
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, ErrorCode::transient);
  EXPECT_EQ(answer.error().message.find("secret-token"), std::string::npos) << answer.error().message;
  EXPECT_TRUE(peer.requests().empty());
}

}  // namespace
}  // namespace utask::actions::notify
