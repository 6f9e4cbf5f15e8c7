#include "actions/ssh/ssh_action.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include "model/json.h"
#include "support/sshd_peer.h"

namespace utask::actions {
namespace {

using Clock = std::chrono::steady_clock;

Json json(const std::string& text) { return parse_json(text).value(); }

std::string message(const Result<void>& r) { return r ? "" : r.error().message; }

// Load-time checks on configurations that never reach a server.
TEST(SshActionValidation, TheOriginalsRules) {
  const SshAction action;
  const std::string key = "-----BEGIN OPENSSH PRIVATE KEY-----\\nabc\\n-----END OPENSSH PRIVATE KEY-----";
  const std::string ok = R"("user":"u","target":"h","ssh_key":")" + key + "\"";
  struct Case {
    std::string configuration;
    std::string message;  // "" = accepted
  } cases[] = {
      {"{" + ok + "}", ""},
      {"{" + ok + R"(,"timeout":"30s","output_mode":"manual-delimiters","output_manual_delimiters":["<a>","</a>"],"exit_codes_unrecoverable":["2","10-20"]})", ""},
      {"{" + ok + R"(,"result":{"name":"$NAME"},"hops":["bastion:2222"]})", ""},
      {"{" + ok + R"(,"timeout":"{{.input.t}}","output_mode":"{{.input.m}}","host_key":"{{.config.k}}"})", ""},
      {"{" + ok + R"(,"host_key":"SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU"})", ""},
      {R"({"target":"h","ssh_key":"k"})", "missing ssh username"},
      {R"({"user":"u","ssh_key":"k"})", "missing ssh target"},
      {R"({"user":"u","target":"h"})", "missing ssh key"},
      {"{" + ok + R"(,"hops":["1","2","3","4","5","6","7","8","9","10","11"]})", "ssh too many hops (max 10)"},
      {"{" + ok + R"(,"timeout":"soon"})", "can't parse timeout field \"soon\": time: invalid duration \"soon\""},
      {"{" + ok + R"(,"timeout":"-1s"})", "timeout must be positive"},
      {"{" + ok + R"(,"timeout":"0s"})", "timeout must be positive"},
      {"{" + ok + R"(,"output_mode":"json"})",
       "invalid value \"json\" for output_mode, allowed values are: auto-result, disabled, manual-delimiters, manual-lastline"},
      {"{" + ok + R"(,"output_manual_delimiters":["a","b"]})",
       "invalid parameter \"output_manual_delimiters\", output_mode is configured to \"auto-result\""},
      {"{" + ok + R"(,"output_mode":"disabled","result":{"a":"b"}})",
       "invalid parameter \"result\", output_mode is configured to \"disabled\""},
      {"{" + ok + R"(,"output_mode":"manual-delimiters","output_manual_delimiters":["a"]})",
       "wrong number of output_manual_delimiters, 2 expected, found 1"},
      {"{" + ok + R"(,"exit_codes_unrecoverable":["x"]})",
       "invalid value \"x\" for exit_codes_unrecoverable, should be an integer, or a range of integer (e.g: 123, or 120-130)"},
      {"{" + ok + R"(,"host_key":"SHA256:short"})", "invalid host_key \"SHA256:short\": not a SHA256 fingerprint"},
      {"{" + ok + R"(,"host_key":"ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ"})",
       "invalid host_key \"ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIJdD7y3aLq454yWBdwLWbieU1ebz9/cu7/QEXn9OIeZJ\": the key is not of type ssh-rsa"},
      {R"({"user":1})",
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field Config.user of type string"},
      {"{" + ok + R"(,"result":{"a":1}})",
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field Config.result of type string"},
      {"{" + ok + R"(,"hops":"bastion"})",
       "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field Config.hops of type []string"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(message(action.validate(nullptr, json(c.configuration))), c.message) << c.configuration;
  }
}

TEST(SshActionValidation, BaseConfigurationUnderTheConfiguration) {
  const SshAction action;
  const Json base = json(R"({"user":"u","ssh_key":"k","result":{"a":"$A"}})");
  EXPECT_EQ(message(action.validate(base, json(R"({"target":"h","result":{"b":"$B"}})"))), "");
  EXPECT_EQ(message(action.validate(base, json(R"({"output_mode":"disabled"})"))), "missing ssh target");
  EXPECT_EQ(message(action.validate(base, json(R"({"target":"h","user":""})"))), "missing ssh username");
}

TEST(SshActionValidation, Resources) {
  const SshAction action;
  EXPECT_EQ(action.resources(json(R"({"target":"db:22","hops":["b1","b2"]})")),
            (std::vector<std::string>{"socket", "url:db:22", "url:b1", "url:b2"}));
  EXPECT_EQ(action.resources(json(R"({"target":"db"})")), (std::vector<std::string>{"socket", "url:db"}));
}

// Against a real sshd on 127.0.0.1.
class SshActionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { peer_ = new testing::SshdPeer(); }
  static void TearDownTestSuite() {
    delete peer_;
    peer_ = nullptr;
  }

  // The configuration reaching the peer as its user with the authorised key, plus `extra`.
  static Json config(const Json& extra = Json::object()) {
    Json c = {{"user", peer_->user()}, {"target", peer_->target()}, {"ssh_key", peer_->user_key()}};
    for (const auto& [k, v] : extra.items()) c[k] = v;
    return c;
  }
  ActionResult run(const Json& configuration, const std::atomic<bool>* cancelled = nullptr) const {
    EXPECT_TRUE(action_.validate(nullptr, configuration).ok());
    ExecutionRequest r;
    r.configuration = configuration;
    r.step_name = "remote";
    r.cancelled = cancelled;
    return action_.execute(r);
  }

  static testing::SshdPeer* peer_;
  SshAction action_{std::chrono::seconds(5)};
};

testing::SshdPeer* SshActionTest::peer_ = nullptr;

TEST_F(SshActionTest, AutoResultBuildsTheOutputFromShellExpressions) {
  ActionResult r = run(config({{"script", "echo hello\nNAME=remote"},
                               {"result", {{"name", "$NAME"}, {"sum", "$((2 + 3))"}, {"lines", "$(printf 'a\\nb')"}}}}));
  ASSERT_FALSE(r.error) << r.error->message << "\n" << peer_->log();
  EXPECT_EQ(to_json_text(r.output), R"({"lines":"a\nb","name":"remote","sum":"5"})");
  EXPECT_EQ(r.metadata["exit_code"], "0");
  EXPECT_EQ(r.metadata["exit_signal"], "");
  EXPECT_EQ(r.metadata["exit_msg"], "");
  EXPECT_EQ(r.metadata["output"], "hello\n{\"lines\":\"a\\nb\",\"name\":\"remote\",\"sum\":\"5\"}");
}

TEST_F(SshActionTest, StandardErrorIsCaptured) {
  ActionResult r = run(config({{"script", "echo oops >&2"}, {"output_mode", "disabled"}}));
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.metadata["output"], "oops\n");
}

TEST_F(SshActionTest, ManualLastLineAndDisabledModes) {
  ActionResult last = run(config({{"script", "echo start; echo '{\"a\":1}'"}, {"output_mode", "manual-lastline"}}));
  ASSERT_FALSE(last.error) << last.error->message;
  EXPECT_EQ(to_json_text(last.output), R"({"a":1})");
  ActionResult delimited = run(config({{"script", "echo '<r>{\"b\":2}</r> tail'"},
                                       {"output_mode", "manual-delimiters"},
                                       {"output_manual_delimiters", {"<r>", "</r>"}}}));
  ASSERT_FALSE(delimited.error) << delimited.error->message;
  EXPECT_EQ(to_json_text(delimited.output), R"({"b":2})");
  ActionResult disabled = run(config({{"script", "echo not json"}, {"output_mode", "disabled"}}));
  ASSERT_FALSE(disabled.error) << disabled.error->message;
  EXPECT_EQ(to_json_text(disabled.output), "{}");
  // Exit 0 with a last line that is no JSON object: a server error, metadata kept.
  ActionResult bad = run(config({{"script", "echo not json"}, {"output_mode", "manual-lastline"}}));
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->kind, ErrorKind::server);
  EXPECT_TRUE(bad.output.is_null());
  EXPECT_EQ(bad.metadata["output"], "not json\n");
}

TEST_F(SshActionTest, LargeOutputIsReadWhileTheScriptIsSent) {
  ActionResult r = run(config({{"script", "seq 1 200000"}, {"output_mode", "disabled"}}));
  ASSERT_FALSE(r.error) << r.error->message;
  const std::string out = r.metadata["output"].get<std::string>();
  EXPECT_EQ(out.substr(0, 4), "1\n2\n");
  EXPECT_EQ(out.substr(out.size() - 7), "200000\n");
}

TEST_F(SshActionTest, NonZeroExitStatusIsAServerErrorUnlessListed) {
  const Json failing = config({{"script", "echo '{\"partial\":true}'; exit 3"}, {"output_mode", "manual-lastline"}});
  ActionResult r = run(failing);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "exit code: 3");
  EXPECT_EQ(to_json_text(r.output), R"({"partial":true})");
  EXPECT_EQ(r.metadata["exit_code"], "3");

  Json listed = failing;
  listed["exit_codes_unrecoverable"] = {"1-5"};
  ActionResult client = run(listed);
  ASSERT_TRUE(client.error);
  EXPECT_EQ(client.error->kind, ErrorKind::client);
  EXPECT_EQ(client.error->message, "Client error: exit code: 3: Process exited with status 3");
}

TEST_F(SshActionTest, AutoResultStillPrintsOnAFailingExit) {
  ActionResult r = run(config({{"script", "STATE=broken; exit 4"}, {"result", {{"state", "$STATE"}}}}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message, "exit code: 4");
  EXPECT_EQ(to_json_text(r.output), R"({"state":"broken"})");
}

TEST_F(SshActionTest, KilledBySignal) {
  ActionResult r = run(config({{"script", "kill -KILL $$"}, {"output_mode", "disabled"}}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "exit code: 137");
  EXPECT_EQ(r.metadata["exit_code"], "137");
  EXPECT_EQ(r.metadata["exit_signal"], "KILL");
}

TEST_F(SshActionTest, UnknownKeyIsRefused) {
  ActionResult r = run(config({{"script", "true"}, {"ssh_key", peer_->unknown_key()}}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message,
            "ssh: handshake failed: ssh: unable to authenticate, attempted methods [none publickey], no "
            "supported methods remain");
  EXPECT_TRUE(r.metadata.is_null());
}

TEST_F(SshActionTest, EncryptedKeyNeedsItsPassphrase) {
  const Json script = {{"script", "echo ok"}, {"output_mode", "disabled"}, {"ssh_key", peer_->encrypted_key()}};
  Json with = config(script);
  with["ssh_key_passphrase"] = testing::SshdPeer::passphrase();
  ActionResult r = run(with);
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.metadata["output"], "ok\n");

  Json wrong = config(script);
  wrong["ssh_key_passphrase"] = "wrong";
  ActionResult refused = run(wrong);
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->kind, ErrorKind::client);
  EXPECT_EQ(refused.error->message.rfind("ssh plugin: private key: ", 0), 0u) << refused.error->message;
}

TEST_F(SshActionTest, TextThatIsNoKeyIsAClientError) {
  ActionResult r = run(config({{"ssh_key", "not a key"}}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_EQ(r.error->message, "ssh plugin: private key: ssh: no key found");
}

TEST_F(SshActionTest, PinnedHostKey) {
  for (const std::string& pin : {peer_->host_fingerprint(), peer_->host_public_key()}) {
    ActionResult r = run(config({{"script", "echo pinned"}, {"output_mode", "disabled"}, {"host_key", pin}}));
    EXPECT_FALSE(r.error) << pin << ": " << r.error->message;
  }
  ActionResult r = run(config({{"script", "echo never"}, {"host_key", peer_->other_host_public_key()}}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message,
            "ssh: handshake failed: host key mismatch: the server presented " + peer_->host_fingerprint());
  EXPECT_TRUE(r.metadata.is_null());
}

TEST_F(SshActionTest, SessionTimeout) {
  const auto start = Clock::now();
  ActionResult r = run(config({{"script", "sleep 5"}, {"timeout", "500ms"}}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "ssh session has not terminated before timeout");
  EXPECT_TRUE(r.metadata.is_null());
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(4));
}

TEST_F(SshActionTest, CancelledExecutionIsInterrupted) {
  std::atomic<bool> cancelled{true};
  ActionResult r = run(config({{"script", "sleep 5"}}), &cancelled);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_provisioned);
  EXPECT_EQ(r.error->message, "interrupted");
}

TEST_F(SshActionTest, ThroughBastionHops) {
  // A "bastion" whose command line names the next destinations and which runs stdin.
  const std::string bastion = peer_->folder() + "/bastion.sh";
  testing::run_shell("printf '#!/bin/sh\\necho \"bastion $*\"\\nexec bash -s\\n' > " + bastion + " && chmod 755 " + bastion);
  ActionResult one = run(config({{"target", bastion}, {"hops", {peer_->target()}}, {"script", "X=1"},
                                 {"result", {{"x", "$X"}}}}));
  ASSERT_FALSE(one.error) << one.error->message;
  EXPECT_EQ(to_json_text(one.output), R"({"x":"1"})");
  EXPECT_EQ(one.metadata["output"].get<std::string>().substr(0, 9), "bastion \n");
  ActionResult two = run(config({{"target", "final-host"}, {"hops", {peer_->target(), bastion}},
                                 {"script", "echo '{}'"}, {"output_mode", "manual-lastline"}}));
  ASSERT_FALSE(two.error) << two.error->message;
  EXPECT_EQ(two.metadata["output"], "bastion -- final-host\n{}\n");
}

TEST(SshActionFailures, RefusedConnection) {
  const SshAction action;
  ExecutionRequest r;
  r.configuration = {{"user", "u"},
                     {"target", "127.0.0.1:" + std::to_string(testing::free_loopback_port())},
                     {"ssh_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n"}};
  ActionResult result = action.execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::server);
  EXPECT_NE(result.error->message.find("connect: connection refused"), std::string::npos) << result.error->message;
  EXPECT_TRUE(result.metadata.is_null());
}

TEST(SshActionFailures, ServerThatNeverSpeaksTimesOutTheHandshake) {
  // A listening socket nobody accepts from: the TCP connection succeeds, no banner comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const SshAction action(std::chrono::milliseconds(300));
  ExecutionRequest r;
  r.configuration = {{"user", "u"},
                     {"target", "127.0.0.1:" + std::to_string(ntohs(addr.sin_port))},
                     {"ssh_key", "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n"}};
  const auto start = Clock::now();
  ActionResult result = action.execute(r);
  ::close(fd);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::server);
  EXPECT_EQ(result.error->message, "ssh: handshake failed: i/o timeout");
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

TEST(SshActionFailures, RenderedValuesAreCheckedAtExecution) {
  const SshAction action;
  ExecutionRequest r;
  r.configuration = {{"user", "u"}, {"target", "a:b:c"}, {"ssh_key", "-----BEGIN RSA PRIVATE KEY-----"},
                     {"timeout", "later"}};
  ActionResult bad_timeout = action.execute(r);
  ASSERT_TRUE(bad_timeout.error);
  EXPECT_EQ(bad_timeout.error->kind, ErrorKind::client);
  EXPECT_EQ(bad_timeout.error->message, "can't parse timeout field \"later\": time: invalid duration \"later\"");
  r.configuration.erase("timeout");
  ActionResult bad_target = action.execute(r);
  ASSERT_TRUE(bad_target.error);
  EXPECT_EQ(bad_target.error->kind, ErrorKind::client);
  EXPECT_EQ(bad_target.error->message, "ssh plugin: host port: address a:b:c: too many colons in address");
}

}  // namespace
}  // namespace utask::actions
