// `ping` (actions.md §13): configuration rules at template load, ICMP echo to 127.0.0.1 (an
// unprivileged datagram socket where net.ipv4.ping_group_range allows, else a raw socket), an
// unresolvable host, a host that never answers (bounded), and cancellation.

#include "actions/ping/ping_action.h"

#include <gtest/gtest.h>

#include "actions/catalog.h"
#include "actions/ping/icmp_echo.h"
#include "model/json.h"

namespace utask::actions {
namespace {

Json json(const char* text) { return parse_json(text).value(); }

struct Rule {
  const char* configuration;
  const char* error;  // "" when accepted
};

TEST(PingAction, ValidationAtTemplateLoad) {
  const auto registry = ActionRegistry::with_builtins();
  const Rule rules[] = {
      {R"({"hostname":"127.0.0.1"})", ""},
      {R"({"hostname":"example.org","count":"3","interval_second":"2"})", ""},
      {R"({"hostname":"h","count":"{{ .input.count }}","interval_second":"{{ .input.i }}"})", ""},
      {R"({"hostname":"h","count":"","interval_second":""})", ""},
      {R"({})", "hostname is missing"},
      {R"({"hostname":""})", "hostname is missing"},
      {R"({"hostname":"h","count":"two"})",
       "can't parse count field \"two\": strconv.ParseUint: parsing \"two\": invalid syntax"},
      {R"({"hostname":"h","count":"-1"})",
       "can't parse count field \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax"},
      {R"({"hostname":"h","interval_second":"1.5"})",
       "can't parse interval_second field \"1.5\": strconv.ParseUint: parsing \"1.5\": invalid syntax"},
      {R"({"hostname":"h","count":"99999999999999999999"})",
       "can't parse count field \"99999999999999999999\": strconv.ParseUint: parsing "
       "\"99999999999999999999\": value out of range"},
      {R"({"hostname":"h","count":2})",
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
       "Config.count of type string"},
  };
  for (const auto& rule : rules) {
    auto r = registry.validate_plugin_configuration("ping", Json(), json(rule.configuration));
    if (*rule.error == '\0') {
      EXPECT_TRUE(r.ok()) << rule.configuration << ": " << r.error().message;
    } else {
      ASSERT_FALSE(r.ok()) << rule.configuration;
      EXPECT_EQ(r.error().message, rule.error) << rule.configuration;
    }
  }
}

TEST(PingAction, ResourcesAreTheSocketAndTheHost) {
  EXPECT_EQ(PingAction().resources(json(R"({"hostname":"db1"})")),
            (std::vector<std::string>{"socket", "url:db1"}));
}

TEST(PingAction, EchoesLoopback) {
  ExecutionRequest r;
  r.configuration = json(R"({"hostname":"127.0.0.1","count":"2"})");
  ActionResult result = PingAction().execute(r);
  ASSERT_FALSE(result.error) << result.error->message;
  const Json& out = result.output;
  EXPECT_EQ(out["packets_sent"], 2);
  EXPECT_EQ(out["packets_received"], 2);
  EXPECT_EQ(out["packet_loss"].get<double>(), 0.0);
  EXPECT_EQ(out["ip_addr"], "127.0.0.1");
  ASSERT_EQ(out["rtts"].size(), 2u);
  EXPECT_GT(out["min_rtt"].get<int64_t>(), 0);
  EXPECT_LE(out["min_rtt"].get<int64_t>(), out["avg_rtt"].get<int64_t>());
  EXPECT_LE(out["avg_rtt"].get<int64_t>(), out["max_rtt"].get<int64_t>());
  EXPECT_TRUE(out["std_dev_rtt"].is_number_integer());
  EXPECT_EQ(result.metadata, json(R"({"hostname":"127.0.0.1","count":"2"})"));
}

TEST(PingAction, ResolvesNames) {
  ExecutionRequest r;
  r.configuration = json(R"({"hostname":"localhost"})");
  ActionResult result = PingAction().execute(r);
  ASSERT_FALSE(result.error) << result.error->message;
  EXPECT_EQ(result.output["packets_received"], 1);
  EXPECT_EQ(result.metadata, json(R"({"hostname":"localhost"})"));
}

TEST(PingAction, AnUnresolvableHostIsAServerError) {
  ExecutionRequest r;
  r.configuration = json(R"({"hostname":"no-such-host.invalid"})");
  ActionResult result = PingAction().execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::server);
  EXPECT_EQ(result.error->message.rfind("can't initiate ping: can't resolve no-such-host.invalid", 0), 0u)
      << result.error->message;
  EXPECT_EQ(result.metadata, json(R"({"hostname":"no-such-host.invalid"})"));
}

TEST(PingAction, ARenderedBadCountIsAClientError) {
  ExecutionRequest r;
  r.configuration = json(R"({"hostname":"127.0.0.1","count":"many"})");
  ActionResult result = PingAction().execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::client);
}

// A request the network refuses to send (broadcast without SO_BROADCAST: EACCES) is a lost
// packet, as with the original: the step ends after the bounded wait with the loss reported.
TEST(PingAction, AnUnreachableHostEndsWithFullLoss) {
  ExecutionRequest r;
  r.configuration = json(R"({"hostname":"255.255.255.255"})");
  const auto start = std::chrono::steady_clock::now();
  ActionResult result = PingAction(std::chrono::milliseconds(300)).execute(r);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  ASSERT_FALSE(result.error) << result.error->message;
  EXPECT_EQ(result.output["packets_sent"], 1);
  EXPECT_EQ(result.output["packets_received"], 0);
  EXPECT_EQ(result.output["packet_loss"].get<double>(), 100.0);
  EXPECT_EQ(result.output["rtts"], Json::array());
}

TEST(PingAction, CancellationInterrupts) {
  std::atomic<bool> cancelled{true};
  ExecutionRequest r;
  r.configuration = json(R"({"hostname":"192.0.2.1","count":"100"})");
  r.cancelled = &cancelled;
  ActionResult result = PingAction().execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::not_provisioned);
  EXPECT_EQ(result.error->message, "interrupted");
}

TEST(IcmpEcho, UnprivilegedSocketsFollowPingGroupRange) {
  // Whatever the kernel allows here, run_echo works: through a datagram socket when the range
  // holds our group, else through a raw socket (this test runs as root or with CAP_NET_RAW).
  ping::EchoSpec spec;
  spec.host = "127.0.0.1";
  auto stats = ping::run_echo(spec);
  ASSERT_TRUE(stats.ok()) << stats.error().message << " (unprivileged allowed: "
                          << ping::unprivileged_ping_allowed() << ")";
  EXPECT_EQ(stats->received, 1u);
}

}  // namespace
}  // namespace utask::actions
