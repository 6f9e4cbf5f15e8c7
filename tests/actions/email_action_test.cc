#include "actions/email/email_action.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>

#include "actions/catalog.h"
#include "actions/email/email_message.h"
#include "actions/email/mime_sniff.h"
#include "model/json.h"
#include "support/smtp_sink.h"

namespace utask::actions {
namespace {

using Clock = std::chrono::steady_clock;

Json json(const std::string& text) { return parse_json(text).value(); }

std::string message(const Result<void>& r) { return r ? "" : r.error().message; }

const char* kValid =
    R"({"smtp_port":"25","smtp_hostname":"mail","from_address":"a@x","to":["b@y"],"subject":"s","body":"b"})";

Json valid_with(const Json& changes) {
  Json c = json(kValid);
  for (const auto& [k, v] : changes.items()) {
    if (v.is_null()) {
      c.erase(k);
    } else {
      c[k] = v;
    }
  }
  return c;
}

TEST(EmailActionValidation, TheOriginalsRules) {
  const EmailAction action;
  struct Case {
    Json changes;
    std::string message;  // "" = accepted
  } cases[] = {
      {Json::object(), ""},
      {{{"smtp_port", "{{.config.smtp.port}}"}, {"smtp_skip_tls_verify", "{{.input.skip}}"}}, ""},
      {{{"smtp_skip_tls_verify", "True"}, {"smtp_username", "u"}, {"smtp_password", "p"}}, ""},
      {{{"smtp_port", nullptr}}, "smtp_port is missing"},
      {{{"smtp_port", "smtp"}}, "can't parse smtp_port field \"smtp\": strconv.ParseUint: parsing \"smtp\": invalid syntax"},
      {{{"smtp_port", "70000"}},
       "can't parse smtp_port field \"70000\": strconv.ParseUint: parsing \"70000\": value out of range"},
      {{{"smtp_port", "-1"}}, "can't parse smtp_port field \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax"},
      {{{"smtp_hostname", nullptr}}, "smtp_hostname is missing"},
      {{{"smtp_skip_tls_verify", "yes"}},
       "can't parse smtp_skip_tls_verify field \"yes\": strconv.ParseBool: parsing \"yes\": invalid syntax"},
      {{{"from_address", ""}}, "from_address is missing"},
      {{{"to", Json::array()}}, "to is missing"},
      {{{"subject", nullptr}}, "subject is missing"},
      {{{"body", ""}}, "body is missing"},
      {{{"smtp_port", 25}},
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field Config.smtp_port of type string"},
      {{{"to", "b@y"}},
       "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field Config.to of type []string"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(message(action.validate(nullptr, valid_with(c.changes))), c.message) << to_json_text(c.changes);
  }
}

TEST(EmailActionValidation, RegisteredAsABuiltin) {
  const ActionRegistry registry = ActionRegistry::with_builtins();
  const Action* email = registry.find_action("email");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->version(), "0.2");
  EXPECT_EQ(message(registry.validate_plugin_configuration("email", nullptr, json(R"({"smtp_port":"x"})"))),
            "can't parse smtp_port field \"x\": strconv.ParseUint: parsing \"x\": invalid syntax");
  EXPECT_EQ(email->resources(json(kValid)), (std::vector<std::string>{"socket", "url:mail"}));
}

TEST(EmailMessage, HeadersAndEncodings) {
  EXPECT_EQ(q_encode_header("plain subject"), "plain subject");
  EXPECT_EQ(q_encode_header("Caf\xC3\xA9 ready?"), "=?UTF-8?q?Caf=C3=A9_ready=3F?=");
  const std::string longer = q_encode_header(std::string(40, 'a') + "\xC3\xA9" + std::string(40, 'b'));
  EXPECT_EQ(longer.find(' '), 75u) << longer;  // two encoded words of at most 75 characters
  EXPECT_EQ(quoted_printable("a=b \nline\r\nend\t"), "a=3Db=20\r\nline\r\nend=09");
  const std::string wrapped = quoted_printable(std::string(100, 'x'));
  EXPECT_EQ(wrapped, std::string(75, 'x') + "=\r\n" + std::string(25, 'x'));
  EXPECT_EQ(quoted_printable("\xC3\xA9"), "=C3=A9");
  EXPECT_EQ(envelope_address("Bob <bob@example.org>"), "bob@example.org");
  EXPECT_EQ(envelope_address("bob@example.org"), "bob@example.org");
}

TEST(EmailMessage, SniffedContentType) {
  EXPECT_EQ(sniff_content_type("hello"), "text/plain; charset=utf-8");
  EXPECT_EQ(sniff_content_type("  <html><body>hi</body></html>"), "text/html; charset=utf-8");
  EXPECT_EQ(sniff_content_type("<p>para</p>"), "text/html; charset=utf-8");
  EXPECT_EQ(sniff_content_type("<!DOCTYPE html>"), "text/html; charset=utf-8");
  EXPECT_EQ(sniff_content_type("<pre>x</pre>"), "text/plain; charset=utf-8");  // "<P" must end the tag
  EXPECT_EQ(sniff_content_type("<?xml version=\"1.0\"?>"), "text/xml; charset=utf-8");
  EXPECT_EQ(sniff_content_type(std::string("a\x01z", 3)), "application/octet-stream");
}

TEST(EmailMessage, ComposedMessage) {
  const std::string text = compose_email({"bot@example.org", "uTask \"bot\"", {"a@example.org", "b@example.org"},
                                          "Subject", "<div>hi</div>"},
                                         0);
  EXPECT_NE(text.find("From: \"uTask \\\"bot\\\"\" <bot@example.org>\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("To: a@example.org, b@example.org\r\n"), std::string::npos) << text;
  const std::string named = compose_email({"bot@example.org", "", {"J\xC3\xB6rg <jorg@example.org>"}, "s", "b"}, 0);
  EXPECT_NE(named.find("From: bot@example.org\r\n"), std::string::npos) << named;
  EXPECT_NE(named.find("To: =?UTF-8?q?J=C3=B6rg?= <jorg@example.org>\r\n"), std::string::npos) << named;
  EXPECT_NE(text.find("Subject: Subject\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Mime-Version: 1.0\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Content-Type: text/html; charset=utf-8\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Content-Transfer-Encoding: quoted-printable\r\n\r\n<div>hi</div>"), std::string::npos) << text;
}

// Against a real SMTP server (aiosmtpd) on 127.0.0.1.
class EmailActionTest : public ::testing::Test {
 protected:
  static Json config(const testing::SmtpSink& sink, const Json& extra = Json::object()) {
    Json c = {{"smtp_hostname", "127.0.0.1"},
              {"smtp_port", std::to_string(sink.port())},
              {"from_address", "bot@example.org"},
              {"from_name", "uTask bot"},
              {"to", {"alice@example.org", "Bob <bob@example.org>"}},
              {"subject", "R\xC3\xA9sum\xC3\xA9 of task T1"},
              {"body", "Line one\nLine = two \n"}};
    for (const auto& [k, v] : extra.items()) c[k] = v;
    return c;
  }
  static ActionResult send(const EmailAction& action, const Json& configuration,
                           const std::atomic<bool>* cancelled = nullptr) {
    EXPECT_EQ(message(action.validate(nullptr, configuration)), "");
    ExecutionRequest r;
    r.configuration = configuration;
    r.cancelled = cancelled;
    return action.execute(r);
  }
};

TEST_F(EmailActionTest, DeliversTheMessage) {
  testing::SmtpSink sink;
  const EmailAction action;
  ActionResult r = send(action, config(sink));
  ASSERT_FALSE(r.error) << r.error->message << "\n" << sink.log();
  EXPECT_EQ(to_json_text(r.output),
            to_json_text(json(R"({"from_address":"bot@example.org","from_name":"uTask bot",)"
                              R"("to":["alice@example.org","Bob <bob@example.org>"],)"
                              R"("subject":"R\u00e9sum\u00e9 of task T1","body":"Line one\nLine = two \n"})")));
  EXPECT_TRUE(r.metadata.is_null());
  const auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 1u);
  const Json envelope = json(mails[0].envelope);
  EXPECT_EQ(envelope["from"], "bot@example.org");
  EXPECT_EQ(envelope["to"], Json::array({"alice@example.org", "bob@example.org"}));
  EXPECT_EQ(envelope["tls"], false);
  const std::string& m = mails[0].content;
  EXPECT_NE(m.find("From: \"uTask bot\" <bot@example.org>\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: alice@example.org, Bob <bob@example.org>\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("Subject: =?UTF-8?q?R=C3=A9sum=C3=A9_of_task_T1?=\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\r\nDate: "), std::string::npos) << m;
  EXPECT_NE(m.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("\r\n\r\nLine one\r\nLine =3D two=20\r\n"), std::string::npos) << m;
}

TEST_F(EmailActionTest, AuthenticatesWithTheConfiguredCredentials) {
  testing::SmtpSink sink({"robot", "s3cret"});
  const EmailAction action;
  ActionResult r = send(action, config(sink, {{"smtp_username", "robot"}, {"smtp_password", "s3cret"}}));
  ASSERT_FALSE(r.error) << r.error->message << "\n" << sink.log();
  ASSERT_EQ(sink.messages().size(), 1u);
  EXPECT_EQ(json(sink.messages()[0].envelope)["authenticated"], true);
}

TEST_F(EmailActionTest, BadCredentialsAreAServerError) {
  testing::SmtpSink sink({"robot", "s3cret"});
  const EmailAction action;
  ActionResult r = send(action, config(sink, {{"smtp_username", "robot"}, {"smtp_password", "wrong"}}));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message.rfind("can't send email: ", 0), 0u) << r.error->message;
  EXPECT_EQ(r.error->message.find("s3cret"), std::string::npos);
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(EmailActionTest, ServerRequiringAuthenticationRefusesAnonymousMail) {
  testing::SmtpSink sink({"robot", "s3cret"});
  const EmailAction action;
  ActionResult r = send(action, config(sink));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_TRUE(sink.messages().empty());
}

TEST_F(EmailActionTest, OpportunisticStartTls) {
  testing::SmtpSinkOptions options;
  options.username = "robot";
  options.password = "s3cret";
  options.starttls = true;
  testing::SmtpSink sink(options);
  const Json configuration = config(sink, {{"smtp_username", "robot"}, {"smtp_password", "s3cret"}});

  // Trusted certificate: delivered over TLS.
  const EmailAction trusting({std::chrono::milliseconds(10000), sink.certificate_file()});
  ActionResult verified = send(trusting, configuration);
  ASSERT_FALSE(verified.error) << verified.error->message << "\n" << sink.log();

  // Unknown certificate: refused unless verification is skipped.
  const EmailAction system_trust;
  ActionResult refused = send(system_trust, configuration);
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->kind, ErrorKind::server);
  Json skipping = configuration;
  skipping["smtp_skip_tls_verify"] = "true";
  ActionResult skipped = send(system_trust, skipping);
  ASSERT_FALSE(skipped.error) << skipped.error->message;

  const auto mails = sink.messages();
  ASSERT_EQ(mails.size(), 2u);
  for (const auto& m : mails) EXPECT_EQ(json(m.envelope)["tls"], true) << m.envelope;
}

TEST_F(EmailActionTest, RefusedConnection) {
  const EmailAction action;
  Json c = json(kValid);
  c["smtp_hostname"] = "127.0.0.1";
  c["smtp_port"] = std::to_string(testing::free_loopback_port());
  ActionResult r = send(action, c);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message.rfind("can't send email: ", 0), 0u) << r.error->message;
  EXPECT_TRUE(r.output.is_null());
}

TEST_F(EmailActionTest, SilentServerTimesOut) {
  // A listening socket nobody accepts from: connected, but no greeting ever comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const EmailAction action({std::chrono::milliseconds(300), ""});
  Json c = json(kValid);
  c["smtp_hostname"] = "127.0.0.1";
  c["smtp_port"] = std::to_string(ntohs(addr.sin_port));
  const auto start = Clock::now();
  ActionResult r = send(action, c);
  ::close(fd);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  const std::string& m = r.error->message;
  EXPECT_TRUE(m.find("timed out") != std::string::npos || m.find("timeout") != std::string::npos) << m;
  EXPECT_LT(Clock::now() - start, std::chrono::seconds(3));
}

TEST_F(EmailActionTest, TemplatedValuesAreCheckedOnceRendered) {
  const EmailAction action;
  ExecutionRequest r;
  r.configuration = valid_with({{"smtp_port", "twenty-five"}});
  ActionResult result = action.execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::client);
  EXPECT_EQ(result.error->message,
            "can't parse smtp_port field \"twenty-five\": strconv.ParseUint: parsing \"twenty-five\": invalid syntax");
}

TEST_F(EmailActionTest, CancelledDeliveryIsInterrupted) {
  testing::SmtpSink sink;
  const EmailAction action;
  std::atomic<bool> cancelled{true};
  ActionResult r = send(action, config(sink), &cancelled);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_provisioned);
  EXPECT_EQ(r.error->message, "interrupted");
  EXPECT_TRUE(sink.messages().empty());
}

}  // namespace
}  // namespace utask::actions
