// `notify` (actions.md §8): validation of backends at template load, delivery of the message to
// the selected backends through the dispatcher (a real webhook peer on 127.0.0.1), and the
// dispatcher's bounded queue and failure reports.

#include "actions/notify/notify_action.h"

#include <gtest/gtest.h>

#include <mutex>

#include "actions/catalog.h"
#include "actions/notify/senders/dispatcher.h"
#include "actions/notify/senders/webhook_sender.h"
#include "model/json.h"
#include "support/http_peer.h"

namespace utask::actions {
namespace {

using testing::HttpPeer;
using testing::PeerResponse;

Json json(const char* text) { return parse_json(text).value(); }

std::shared_ptr<const notify::Sender> webhook(const std::string& name, const std::string& url) {
  notify::WebhookSettings s;
  s.webhook_url = url;
  s.timeout = std::chrono::milliseconds(2000);
  return std::make_shared<notify::WebhookSender>(name, s);
}

std::shared_ptr<notify::Dispatcher> two_backends(const HttpPeer& peer,
                                                 notify::DispatcherOptions options = {}) {
  return std::make_shared<notify::Dispatcher>(
      std::vector<std::shared_ptr<const notify::Sender>>{webhook("ops", peer.url("/ops")),
                                                         webhook("dev", peer.url("/dev"))},
      std::move(options));
}

TEST(NotifyAction, ValidationNamesUnknownBackends) {
  HttpPeer peer;
  BuiltinOptions options;
  options.notify = two_backends(peer);
  const auto registry = ActionRegistry::with_builtins(options);
  auto ok = registry.validate_plugin_configuration(
      "notify", Json(), json(R"({"message":"hi","fields":{"a":"b"},"backends":["ops"]})"));
  EXPECT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(registry.validate_plugin_configuration("notify", Json(), json(R"({"message":"hi"})")).ok());
  EXPECT_TRUE(registry.validate_plugin_configuration("notify", Json(),
                                                     json(R"({"backends":["{{ .input.b }}"]})")).ok());
  auto unknown = registry.validate_plugin_configuration("notify", Json(), json(R"({"backends":["ops","pager"]})"));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "can't find backend name: pager. Available backends: dev, ops");
}

TEST(NotifyAction, ValidationNeedsConfiguredBackendsAndTypedFields) {
  const auto registry = ActionRegistry::with_builtins();
  EXPECT_TRUE(registry.validate_plugin_configuration("notify", Json(), json(R"({"message":"hi"})")).ok());
  auto none = registry.validate_plugin_configuration("notify", Json(), json(R"({"backends":["ops"]})"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().message, "registered notify senders list is empty");
  auto number = registry.validate_plugin_configuration("notify", Json(), json(R"({"message":3})"));
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().message,
            "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
            "Config.message of type string");
  auto field = registry.validate_plugin_configuration("notify", Json(), json(R"({"fields":{"a":1}})"));
  ASSERT_FALSE(field.ok());
  EXPECT_NE(field.error().message.find("Config.fields"), std::string::npos);
  auto list = registry.validate_plugin_configuration("notify", Json(), json(R"({"backends":"ops"})"));
  ASSERT_FALSE(list.ok());
}

TEST(NotifyAction, DeliversToTheSelectedBackends) {
  HttpPeer peer;
  peer.on("POST", "/ops", PeerResponse{200, {}, ""});
  peer.on("POST", "/dev", PeerResponse{200, {}, ""});
  auto dispatcher = two_backends(peer);
  NotifyAction action(dispatcher);
  ExecutionRequest r;
  r.base_configuration = json(R"({"fields":{"team":"infra","env":"prod"}})");
  r.configuration = json(R"({"message":"deployed","fields":{"env":"staging"},"backends":["ops"]})");
  ActionResult result = action.execute(r);
  EXPECT_FALSE(result.error);
  EXPECT_TRUE(result.output.is_null());
  EXPECT_TRUE(result.metadata.is_null());
  ASSERT_TRUE(dispatcher->wait_idle(std::chrono::seconds(10)));
  auto requests = peer.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/ops");
  EXPECT_EQ(parse_json(requests[0].body).value(),
            json(R"({"message":"deployed","notification_type":"","team":"infra","env":"staging"})"));
}

TEST(NotifyAction, NoBackendsListedMeansAll) {
  HttpPeer peer;
  peer.on("POST", "/ops", PeerResponse{200, {}, ""});
  peer.on("POST", "/dev", PeerResponse{200, {}, ""});
  auto dispatcher = two_backends(peer);
  ExecutionRequest r;
  r.configuration = json(R"({"message":"hello"})");
  EXPECT_FALSE(NotifyAction(dispatcher).execute(r).error);
  ASSERT_TRUE(dispatcher->wait_idle(std::chrono::seconds(10)));
  EXPECT_EQ(peer.requests().size(), 2u);
  EXPECT_EQ(dispatcher->stats().delivered, 2u);
}

TEST(NotifyAction, ARenderedUnknownBackendIsAClientError) {
  HttpPeer peer;
  ExecutionRequest r;
  r.configuration = json(R"({"message":"hello","backends":["nope"]})");
  ActionResult result = NotifyAction(two_backends(peer)).execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::client);
  EXPECT_TRUE(peer.requests().empty());
}

TEST(NotifyAction, AFailingBackendIsLoggedNotTheStepsError) {
  HttpPeer peer;
  peer.on("POST", "/ops", PeerResponse{500, {}, "down"});
  std::mutex m;
  std::vector<notify::DeliveryFailure> failures;
  notify::DispatcherOptions options;
  options.on_failure = [&](const notify::DeliveryFailure& f) {
    std::lock_guard lock(m);
    failures.push_back(f);
  };
  auto dispatcher = two_backends(peer, options);
  ExecutionRequest r;
  r.configuration = json(R"({"message":"hello","fields":{"task_id":"t9"},"backends":["ops"]})");
  EXPECT_FALSE(NotifyAction(dispatcher).execute(r).error);
  ASSERT_TRUE(dispatcher->wait_idle(std::chrono::seconds(10)));
  std::lock_guard lock(m);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].backend, "ops");
  EXPECT_EQ(failures[0].backend_type, "webhook");
  EXPECT_EQ(failures[0].task_id, "t9");
  EXPECT_EQ(failures[0].error, "webhook: status 500: down");
  EXPECT_EQ(dispatcher->stats().failed, 1u);
}

TEST(NotifyDispatcher, AFullQueueDropsWithoutBlocking) {
  HttpPeer peer;
  peer.on("POST", "/ops", PeerResponse{200, {}, "", std::chrono::milliseconds(500)});
  std::mutex m;
  std::vector<std::string> errors;
  notify::DispatcherOptions options;
  options.workers = 1;
  options.queue_capacity = 1;
  options.on_failure = [&](const notify::DeliveryFailure& f) {
    std::lock_guard lock(m);
    errors.push_back(f.error);
  };
  notify::Dispatcher dispatcher({webhook("ops", peer.url("/ops"))}, options);
  notify::NotifyMessage msg{"m", "", {}};
  size_t queued = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) queued += dispatcher.submit({"ops", "unknown"}, msg);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(400));
  ASSERT_TRUE(dispatcher.wait_idle(std::chrono::seconds(10)));
  const auto stats = dispatcher.stats();
  EXPECT_GE(queued, 1u);
  EXPECT_LE(queued, 2u);  // one in the queue, at most one already taken by the worker
  EXPECT_EQ(stats.dropped, 5u - queued);
  EXPECT_EQ(stats.delivered, queued);
  std::lock_guard lock(m);
  EXPECT_EQ(errors.size(), stats.dropped);
  for (const auto& e : errors) EXPECT_EQ(e, "queue full");
}

}  // namespace
}  // namespace utask::actions
