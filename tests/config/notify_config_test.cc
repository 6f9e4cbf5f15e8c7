#include "config/notify_config.h"

#include <gtest/gtest.h>

#include "config/utask_config.h"

namespace utask::config {
namespace {

using namespace std::chrono_literals;

Result<UtaskConfig> with_notify(const std::string& notify_config, const std::string& notify_actions = "{}",
                                std::vector<std::string>* warnings = nullptr) {
  return parse_utask_config(R"({"admin_usernames": ["a"], "notify_config": )" + notify_config +
                                R"(, "notify_actions": )" + notify_actions + "}",
                            warnings);
}

TEST(NotifyConfig, ParsesEveryBackendKind) {
  auto c = with_notify(R"({
    "og": {"type": "opsgenie", "config": {"zone": "eu", "api_key": "k", "timeout": "10s"}},
    "og-default": {"type": "opsgenie", "config": {"zone": "sandbox"}},
    "sl": {"type": "slack", "config": {"webhook_url": "https://hooks.slack.example/x"},
           "default_notification_strategy": {"task_state_update": "failure_only"}},
    "wh": {"type": "webhook", "config": {"webhook_url": "https://example.org/hook",
           "headers": {"X-Token": "t"}, "username": "u", "password": "p"},
           "template_notification_strategies": {"task_step_update": [
              {"templates": ["hello-world"], "notification_strategy": "failure_or_done"}]}}
  })");
  ASSERT_TRUE(c.ok()) << c.error().message;
  const auto& b = c->notify.backends;
  ASSERT_EQ(b.size(), 4u);
  EXPECT_EQ(b.at("og").type, NotifyBackendType::opsgenie);
  EXPECT_EQ(b.at("og").zone, "eu");
  EXPECT_EQ(b.at("og").api_key, "k");
  EXPECT_EQ(b.at("og").timeout, 10s);
  EXPECT_EQ(b.at("og-default").timeout, 30s);
  EXPECT_EQ(b.at("sl").webhook_url, "https://hooks.slack.example/x");
  EXPECT_EQ(b.at("sl").default_strategy.at(NotifyAction::task_state_update), NotifyStrategy::failure_only);
  EXPECT_EQ(b.at("sl").default_strategy.at(NotifyAction::task_validation), NotifyStrategy::always);
  EXPECT_EQ(b.at("sl").default_strategy.at(NotifyAction::task_step_update), NotifyStrategy::always);
  EXPECT_EQ(b.at("wh").headers.at("X-Token"), "t");
  EXPECT_EQ(b.at("wh").username, "u");
  EXPECT_EQ(b.at("wh").password, "p");
  const auto& ts = b.at("wh").template_strategies.at(NotifyAction::task_step_update);
  ASSERT_EQ(ts.size(), 1u);
  EXPECT_EQ(ts[0].templates, std::vector<std::string>{"hello-world"});
  EXPECT_EQ(ts[0].strategy, NotifyStrategy::failure_or_done);
}

TEST(NotifyConfig, ActionsSelectBackends) {
  std::vector<std::string> warnings;
  auto c = with_notify(R"({"a": {"type": "slack", "config": {"webhook_url": "u"}},
                           "b": {"type": "slack", "config": {"webhook_url": "u"}}})",
                       R"({"task_state_update": {"notify_backends": ["a"]},
                           "task_step_update": {"disabled": true},
                           "task_validation": {"notify_backends": []}})",
                       &warnings);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(warnings.empty());
  const auto& n = c->notify;
  EXPECT_TRUE(n.action_enabled_for(NotifyAction::task_state_update, "a"));
  EXPECT_FALSE(n.action_enabled_for(NotifyAction::task_state_update, "b"));
  EXPECT_FALSE(n.action_enabled_for(NotifyAction::task_step_update, "a"));
  EXPECT_TRUE(n.action_enabled_for(NotifyAction::task_validation, "b"));
}

TEST(NotifyConfig, UnknownBackendInActionsIsAWarning) {
  std::vector<std::string> warnings;
  auto c = with_notify(R"({"a": {"type": "slack", "config": {"webhook_url": "u"}}})",
                       R"({"task_state_update": {"notify_backends": ["typo"]}})", &warnings);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("no backend named \"typo\""), std::string::npos);
}

struct Broken {
  const char* notify_config;
  const char* field;
  const char* message;
};

TEST(NotifyConfig, InvalidSettingsNameTheField) {
  const Broken cases[] = {
      {R"({"x": {"type": "tat"}})", "notify_config.x.type", "failed to identify backend type: \"tat\""},
      {R"({"x": {}})", "notify_config.x.type", "failed to identify backend type"},
      {R"({"x": {"type": "opsgenie", "config": {"zone": "us"}}})", "notify_config.x.config.zone", "unknown opsgenie zone \"us\""},
      {R"({"x": {"type": "opsgenie", "config": {}}})", "notify_config.x.config.zone", "unknown opsgenie zone \"\""},
      {R"({"x": {"type": "opsgenie", "config": {"zone": "eu", "timeout": "30"}}})", "notify_config.x.config.timeout", "invalid duration"},
      {R"({"x": {"type": "slack", "config": {}}})", "notify_config.x.config.webhook_url", "missing"},
      {R"({"x": {"type": "webhook", "config": {"webhook_url": "u", "headers": {"a": 1}}}})", "notify_config.x.config.headers.a", "expected a string"},
      {R"({"x": {"type": "slack", "config": {"webhook_url": "u"}, "default_notification_strategy": {"task_created": "always"}}})",
       "notify_config.x.default_notification_strategy.task_created", "unknown notification action \"task_created\""},
      {R"({"x": {"type": "slack", "config": {"webhook_url": "u"}, "default_notification_strategy": {"task_state_update": "sometimes"}}})",
       "notify_config.x.default_notification_strategy.task_state_update", "unknown notification strategy \"sometimes\""},
      {R"({"x": {"type": "slack", "config": {"webhook_url": "u"}, "default_notification_strategy": {"task_validation": "failure_only"}}})",
       "notify_config.x.default_notification_strategy.task_validation", "not allowed for action task_validation"},
      {R"({"x": {"type": "slack", "config": {"webhook_url": "u"}, "default_notification_strategy": {"task_validation": "failure_or_done"}}})",
       "notify_config.x.default_notification_strategy.task_validation", "not allowed for action task_validation"},
      {R"({"x": {"type": "slack", "config": {"webhook_url": "u"}, "template_notification_strategies": {"nope": []}}})",
       "notify_config.x.template_notification_strategies.nope", "unknown notification action"},
      {R"({"x": {"type": "slack", "config": {"webhook_url": "u"}, "template_notification_strategies": {"task_validation": [{"templates": ["t"], "notification_strategy": "failure_only"}]}}})",
       "notify_config.x.template_notification_strategies.task_validation[0].notification_strategy", "not allowed for action task_validation"},
      {R"({"x": {"type": "slack", "config": {"webhook_url": "u"}, "template_notification_strategies": {"task_state_update": [{"templates": ["t"], "notification_strategy": "loud"}]}}})",
       "notify_config.x.template_notification_strategies.task_state_update[0].notification_strategy", "unknown notification strategy"},
      {R"({"x": "slack"})", "notify_config.x", "expected an object"},
  };
  for (const auto& c : cases) {
    auto r = with_notify(c.notify_config);
    ASSERT_FALSE(r.ok()) << c.notify_config;
    std::string prefix = std::string("configuration item \"utask-cfg\": field \"") + c.field + "\": ";
    EXPECT_EQ(r.error().message.rfind(prefix, 0), 0u) << r.error().message;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().message;
  }
}

TEST(NotifyConfig, StrategiesAllowedForOtherActions) {
  auto r = with_notify(R"({"x": {"type": "slack", "config": {"webhook_url": "u"},
    "default_notification_strategy": {"task_state_update": "failure_or_done", "task_step_update": "failure_only",
                                      "task_validation": "silent"}}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->notify.backends.at("x").default_strategy.at(NotifyAction::task_validation), NotifyStrategy::silent);
}

TEST(WebhookCredentials, ResolvedFromExactlyOneItem) {
  auto c = with_notify(R"({"wh": {"type": "webhook", "config": {"webhook_url": "u", "credentials_name": "team"}}})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  NotifyConfig n = c->notify;
  ASSERT_TRUE(resolve_webhook_credentials(
                  n, {R"({"credentials_name": "other", "username": "x", "password": "y"})",
                      R"({"credentials_name": "team", "username": "bot", "password": "s3cret"})"})
                  .ok());
  EXPECT_EQ(n.backends.at("wh").username, "bot");
  EXPECT_EQ(n.backends.at("wh").password, "s3cret");

  NotifyConfig none = c->notify;
  auto missing = resolve_webhook_credentials(none, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("field \"notify_config.wh.config.credentials_name\": no \"notify-webhook-credentials\""),
            std::string::npos)
      << missing.error().message;

  NotifyConfig twice = c->notify;
  auto dup = resolve_webhook_credentials(twice, {R"({"credentials_name": "team"})", R"({"credentials_name": "team"})"});
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("several"), std::string::npos);

  NotifyConfig broken = c->notify;
  auto bad = resolve_webhook_credentials(broken, {R"({"credentials_name": 3})"});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("configuration item \"notify-webhook-credentials\": field \"credentials_name\""),
            std::string::npos);
}

TEST(NotifyNames, RoundTrip) {
  for (auto a : kNotifyActions) EXPECT_EQ(notify_action_from_string(to_string(a)), a);
  for (auto s : {NotifyStrategy::always, NotifyStrategy::silent, NotifyStrategy::failure_only, NotifyStrategy::failure_or_done})
    EXPECT_EQ(notify_strategy_from_string(to_string(s)), s);
  for (auto t : {NotifyBackendType::opsgenie, NotifyBackendType::slack, NotifyBackendType::webhook})
    EXPECT_EQ(notify_backend_type_from_string(to_string(t)), t);
  EXPECT_FALSE(notify_action_from_string("task_created"));
}

}  // namespace
}  // namespace utask::config
