// The notification backends (actions.md §8.1) against a real HTTP peer on 127.0.0.1: request
// shapes, success rules, and each failure mode (refused, timeout, 4xx vs 5xx, bad key).

#include <gtest/gtest.h>

#include "actions/notify/senders/opsgenie_sender.h"
#include "actions/notify/senders/slack_sender.h"
#include "actions/notify/senders/webhook_sender.h"
#include "model/json.h"
#include "support/http_peer.h"

namespace utask::actions::notify {
namespace {

using testing::HttpPeer;
using testing::PeerResponse;

NotifyMessage task_message(const std::string& state = "BLOCKED") {
  NotifyMessage m;
  m.main = "#task #id:t1\nDeploy";
  m.type = "task_state_update";
  m.fields = {{"task_id", "t1"}, {"state", state}, {"template", "deploy"}, {"resolver", ""}};
  return m;
}

Json body_of(const testing::RecordedRequest& r) { return parse_json(r.body).value(); }

TEST(SlackSender, FieldTitlesCapitaliseEachWord) {
  EXPECT_EQ(slack_field_title("task_id"), "Task Id");
  EXPECT_EQ(slack_field_title("potential_resolvers"), "Potential Resolvers");
  EXPECT_EQ(slack_field_title("state"), "State");
}

TEST(SlackSender, PostsBlockKitAndNeedsOk) {
  HttpPeer peer;
  peer.on("POST", "/services/T000/SECRET", PeerResponse{200, {}, "ok"});
  SlackSender sender("team-chat", peer.url("/services/T000/SECRET"));
  ASSERT_TRUE(sender.send(task_message()).ok());
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("Content-Type").value_or(""), "application/json");
  const Json body = body_of(requests[0]);
  const Json& blocks = body["blocks"];
  ASSERT_EQ(blocks.size(), 4u);
  EXPECT_EQ(blocks[0]["text"]["text"], "#task #id:t1\nDeploy");
  // Empty fields (resolver) are left out; the rest sorted by key.
  ASSERT_EQ(blocks[1]["fields"].size(), 3u);
  EXPECT_EQ(blocks[1]["fields"][0]["text"], "*State:*\nBLOCKED");
  EXPECT_EQ(blocks[1]["fields"][1]["text"], "*Task Id:*\nt1");
  EXPECT_EQ(blocks[2]["type"], "divider");
  EXPECT_EQ(blocks[3]["elements"][0]["text"], "🚀 Sent from team-chat");
  EXPECT_FALSE(blocks[2].contains("text"));  // no empty members (actions.md §8.1)
}

TEST(SlackSender, AnythingButOkFailsAndNeverShowsTheUrl) {
  HttpPeer peer;
  peer.on("POST", "/hook/SECRET", {PeerResponse{200, {}, "invalid_payload"},
                                   PeerResponse{404, {}, "no_team"},
                                   PeerResponse{500, {}, "oops"}});
  SlackSender sender("chat", peer.url("/hook/SECRET"));
  auto not_ok = sender.send(task_message());
  ASSERT_FALSE(not_ok.ok());
  EXPECT_EQ(not_ok.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(not_ok.error().message, "non-ok response returned from Slack: invalid_payload");
  auto client = sender.send(task_message());
  ASSERT_FALSE(client.ok());
  EXPECT_EQ(client.error().code, ErrorCode::invalid_input);
  auto server = sender.send(task_message());
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().code, ErrorCode::transient);
  for (const auto& e : {not_ok.error(), client.error(), server.error()}) {
    EXPECT_EQ(e.message.find("SECRET"), std::string::npos) << e.message;
  }
}

TEST(SlackSender, RefusedConnectionAndTimeoutAreTransient) {
  SlackSender refused("chat", "http://127.0.0.1:" + std::to_string(testing::unused_loopback_port()) + "/SECRET");
  auto r = refused.send(task_message());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::transient);
  EXPECT_EQ(r.error().message.find("SECRET"), std::string::npos);

  HttpPeer peer;
  peer.on("POST", "/slow", PeerResponse{200, {}, "ok", std::chrono::milliseconds(3000)});
  SlackSender slow("chat", peer.url("/slow"), std::chrono::milliseconds(300));
  auto t = slow.send(task_message());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::transient);
  EXPECT_NE(t.error().message.find("imeout"), std::string::npos) << t.error().message;
}

TEST(WebhookSender, PostsFlatJsonWithHeadersAndBasicAuth) {
  HttpPeer peer;
  peer.on("POST", "/notify", PeerResponse{204, {}, ""});
  WebhookSettings settings;
  settings.webhook_url = peer.url("/notify");
  settings.headers = {{"X-Team", "infra"}};
  settings.username = "bot";
  settings.password = "s3cret";
  WebhookSender sender("hook", settings);
  NotifyMessage m = task_message();
  m.fields["message"] = "overridden";  // fields are written last (original behaviour)
  ASSERT_TRUE(sender.send(m).ok());
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("X-Team").value_or(""), "infra");
  EXPECT_EQ(requests[0].header("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(requests[0].header("Authorization").value_or(""), "Basic Ym90OnMzY3JldA==");
  const Json body = body_of(requests[0]);
  EXPECT_EQ(body["message"], "overridden");
  EXPECT_EQ(body["notification_type"], "task_state_update");
  EXPECT_EQ(body["task_id"], "t1");
  EXPECT_EQ(body["resolver"], "");
}

TEST(WebhookSender, NoAuthWithoutBothCredentials) {
  HttpPeer peer;
  peer.on("POST", "/notify", PeerResponse{200, {}, ""});
  WebhookSettings settings;
  settings.webhook_url = peer.url("/notify");
  settings.username = "bot";  // no password
  ASSERT_TRUE(WebhookSender("hook", settings).send(task_message()).ok());
  EXPECT_FALSE(peer.requests().at(0).header("Authorization").has_value());
}

TEST(WebhookSender, ClientAndServerErrorsQuoteTheBodyNotThePassword) {
  HttpPeer peer;
  peer.on("POST", "/notify", {PeerResponse{401, {}, "bad credentials"}, PeerResponse{503, {}, "busy"}});
  WebhookSettings settings;
  settings.webhook_url = peer.url("/notify");
  settings.username = "bot";
  settings.password = "wrong-password";
  WebhookSender sender("hook", settings);
  auto denied = sender.send(task_message());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(denied.error().message, "webhook: status 401: bad credentials");
  auto busy = sender.send(task_message());
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, ErrorCode::transient);
  EXPECT_EQ(busy.error().message, "webhook: status 503: busy");
}

TEST(OpsgenieSender, ZonesMapToTheirApi) {
  EXPECT_EQ(opsgenie_zone_url("global").value(), "https://api.opsgenie.com");
  EXPECT_EQ(opsgenie_zone_url("eu").value(), "https://api.eu.opsgenie.com");
  EXPECT_EQ(opsgenie_zone_url("sandbox").value(), "https://api.sandbox.opsgenie.com");
  EXPECT_FALSE(opsgenie_zone_url("mars").has_value());
}

TEST(OpsgenieSender, CreatesAnAlertAliasedByTheTask) {
  HttpPeer peer;
  peer.on("POST", "/v2/alerts", PeerResponse{202, {{"Content-Type", "application/json"}}, R"({"result":"Request will be processed"})"});
  OpsgenieSender sender("pager", peer.base_url(), "key-123");
  ASSERT_TRUE(sender.send(task_message("BLOCKED")).ok());
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("Authorization").value_or(""), "GenieKey key-123");
  const Json body = body_of(requests[0]);
  EXPECT_EQ(body["message"], "#task #id:t1\nDeploy");
  EXPECT_EQ(body["description"], "#task #id:t1\nDeploy");
  EXPECT_EQ(body["alias"], "t1");
  EXPECT_EQ(body["details"]["state"], "BLOCKED");
  EXPECT_EQ(parse_json(body["note"].get<std::string>()).value()["template"], "deploy");
}

TEST(OpsgenieSender, ClosesTheAlertWhenTheTaskIsDone) {
  HttpPeer peer;
  peer.on("POST", "/v2/alerts/t1/close", PeerResponse{202, {}, "{}"});
  OpsgenieSender sender("pager", peer.base_url(), "key-123");
  ASSERT_TRUE(sender.send(task_message("DONE")).ok());
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/v2/alerts/t1/close");
  EXPECT_EQ(requests[0].query, "identifierType=alias");
  EXPECT_EQ(requests[0].body, "{}");
}

TEST(OpsgenieSender, RefusesAnEmptyMessageAndReportsABadKey) {
  HttpPeer peer;
  peer.on("POST", "/v2/alerts", PeerResponse{401, {}, R"({"message":"Key format is not valid!"})"});
  OpsgenieSender sender("pager", peer.base_url(), "bad-key");
  NotifyMessage empty = task_message();
  empty.main.clear();
  auto refused = sender.send(empty);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().message, "opsgenie: message can not be empty");
  EXPECT_TRUE(peer.requests().empty());
  auto denied = sender.send(task_message());
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.error().code, ErrorCode::invalid_input);
  EXPECT_EQ(denied.error().message.find("bad-key"), std::string::npos);
}

}  // namespace
}  // namespace utask::actions::notify
