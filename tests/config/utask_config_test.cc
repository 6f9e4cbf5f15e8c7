#include "config/utask_config.h"

#include <gtest/gtest.h>

#include <chrono>

namespace utask::config {
namespace {

using namespace std::chrono_literals;

TEST(UtaskConfig, DefaultsOfEveryField) {
  auto c = parse_utask_config(R"({"admin_usernames": ["admin"]})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->application_name, "");
  EXPECT_EQ(c->admin_usernames, std::vector<std::string>{"admin"});
  EXPECT_TRUE(c->admin_groups.empty());
  EXPECT_EQ(c->completed_task_expiration, 720h);
  EXPECT_TRUE(c->notify.backends.empty());
  EXPECT_EQ(c->notify.actions.size(), 3u);
  EXPECT_TRUE(c->notify.action_enabled_for(NotifyAction::task_step_update, "any"));
  EXPECT_EQ(c->database_config.max_open_conns, 50);
  EXPECT_EQ(c->database_config.max_idle_conns, 30);
  EXPECT_EQ(c->database_config.conn_max_lifetime, 60);
  EXPECT_EQ(c->database_config.config_name, "database");
  EXPECT_TRUE(c->concealed_secrets.empty());
  EXPECT_TRUE(c->resource_limits.empty());
  EXPECT_EQ(c->resource_acquire_timeout, 1min);
  EXPECT_EQ(c->max_concurrent_executions, 100);
  EXPECT_EQ(c->max_concurrent_executions_from_crashed, 20);
  EXPECT_EQ(c->delay_between_crashed_tasks_resolution, 1s);
  EXPECT_EQ(c->base_url, "");
  EXPECT_EQ(c->dashboard_path_prefix, "");
  EXPECT_EQ(c->dashboard_api_path_prefix, "");
  EXPECT_EQ(c->dashboard_sentry_dsn, "");
  EXPECT_FALSE(c->template_functions_allow_env);
  EXPECT_EQ(c->steps_compression_algorithm, "noop");
  EXPECT_EQ(c->max_body_bytes, 262144);
}

TEST(UtaskConfig, SpecExampleParses) {
  auto c = parse_utask_config(R"({
    "application_name": "µTask",
    "admin_usernames": ["admin"],
    "admin_groups": ["administrators"],
    "completed_task_expiration": "720h",
    "concealed_secrets": ["database", "Encryption_Key", "utask-cfg", "basic-auth"],
    "resource_limits": {"socket": 1024, "fork": 50, "url:example.org": 10, "dead": 0},
    "max_concurrent_executions": 100,
    "max_concurrent_executions_from_crashed": 20,
    "delay_between_crashed_tasks_resolution": "1s",
    "base_url": "https://utask.example.org",
    "dashboard_path_prefix": "/my-utask",
    "dashboard_api_path_prefix": "/my-utask-api",
    "dashboard_sentry_dsn": "https://key@sentry.example.org/1",
    "steps_compression_algorithm": "gzip",
    "template_functions_allow_env": true,
    "server_options": {"max_body_bytes": 262144},
    "database_config": {"max_open_conns": 5, "max_idle_conns": 0, "conn_max_lifetime": 0,
                        "config_name": "Other_DB"},
    "resource_acquire_timeout": "1m30s"
  })");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->application_name, "µTask");
  EXPECT_EQ(c->admin_groups, std::vector<std::string>{"administrators"});
  EXPECT_EQ(c->concealed_secrets,
            (std::vector<std::string>{"database", "encryption-key", "utask-cfg", "basic-auth"}));
  EXPECT_EQ(c->resource_limits.at("url:example.org"), 10);
  EXPECT_EQ(c->resource_limits.at("dead"), 0);
  EXPECT_EQ(c->base_url, "https://utask.example.org");
  EXPECT_EQ(c->dashboard_path_prefix, "/my-utask");
  EXPECT_EQ(c->dashboard_api_path_prefix, "/my-utask-api");
  EXPECT_EQ(c->dashboard_sentry_dsn, "https://key@sentry.example.org/1");
  EXPECT_EQ(c->steps_compression_algorithm, "gzip");
  EXPECT_TRUE(c->template_functions_allow_env);
  EXPECT_EQ(c->database_config.max_open_conns, 5);
  EXPECT_EQ(c->database_config.max_idle_conns, 0);
  EXPECT_EQ(c->database_config.conn_max_lifetime, 0);
  EXPECT_EQ(c->database_config.config_name, "other-db");
  EXPECT_EQ(c->resource_acquire_timeout, 90s);
}

TEST(UtaskConfig, FieldNamesAreCaseInsensitiveExactFirst) {
  auto c = parse_utask_config(
      R"({"Admin_Usernames": ["a"], "APPLICATION_NAME": "loose", "application_name": "exact"})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->admin_usernames, std::vector<std::string>{"a"});
  EXPECT_EQ(c->application_name, "exact");
}

TEST(UtaskConfig, RemovedAndUnknownFieldsAreIgnored) {
  auto c = parse_utask_config(R"({"admin_groups": ["g"], "resolver_usernames": ["r"],
    "resolver_groups": ["rg"], "editor_path_prefix": "/editor", "concurrency_rate_limit": 3,
    "something_new": {"x": 1}})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->admin_groups, std::vector<std::string>{"g"});
}

TEST(UtaskConfig, NullFieldsKeepDefaults) {
  auto c = parse_utask_config(R"({"admin_usernames": ["a"], "completed_task_expiration": null,
    "max_concurrent_executions": null, "database_config": null})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->completed_task_expiration, 720h);
  EXPECT_EQ(c->max_concurrent_executions, 100);
}

TEST(UtaskConfig, ConcurrencyRules) {
  auto parse = [](const std::string& extra) {
    return parse_utask_config(R"({"admin_usernames": ["a"])" + extra + "}");
  };
  auto unlimited = parse(R"(, "max_concurrent_executions": -1, "max_concurrent_executions_from_crashed": -7)");
  ASSERT_TRUE(unlimited.ok()) << unlimited.error().message;
  EXPECT_EQ(unlimited->max_concurrent_executions, kUnlimited);
  EXPECT_EQ(unlimited->max_concurrent_executions_from_crashed, kUnlimited);

  auto stopped = parse(R"(, "max_concurrent_executions": 0, "max_concurrent_executions_from_crashed": 0)");
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(stopped->max_concurrent_executions, 0);

  auto equal = parse(R"(, "max_concurrent_executions": 5, "max_concurrent_executions_from_crashed": 5)");
  EXPECT_TRUE(equal.ok());

  auto crashed_unlimited = parse(R"(, "max_concurrent_executions_from_crashed": -1)");
  EXPECT_TRUE(crashed_unlimited.ok());

  auto only_max_unlimited = parse(R"(, "max_concurrent_executions": -1)");
  ASSERT_FALSE(only_max_unlimited.ok());
  EXPECT_NE(only_max_unlimited.error().message.find(
                "max_concurrent_executions_from_crashed can't be greater than max_concurrent_executions"),
            std::string::npos);
}

TEST(UtaskConfig, DelayAcceptsSecondsAsNumber) {
  auto c = parse_utask_config(R"({"admin_usernames": ["a"], "delay_between_crashed_tasks_resolution": 2.5})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->delay_between_crashed_tasks_resolution, 2500ms);
  auto s = parse_utask_config(R"({"admin_usernames": ["a"], "delay_between_crashed_tasks_resolution": "250ms"})");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->delay_between_crashed_tasks_resolution, 250ms);
}

TEST(UtaskConfig, BodyBytesAreClamped) {
  struct Case {
    const char* value;
    int64_t expected;
  } cases[] = {{"0", 262144}, {"1", 1024}, {"-5", 1024}, {"5000", 5000},
               {"99999999", 10485760}, {"10485760", 10485760}, {"1024", 1024}};
  for (const auto& c : cases) {
    auto cfg = parse_utask_config(std::string(R"({"admin_usernames": ["a"], "server_options": {"max_body_bytes": )") +
                                  c.value + "}}");
    ASSERT_TRUE(cfg.ok()) << c.value;
    EXPECT_EQ(cfg->max_body_bytes, c.expected) << c.value;
  }
}

TEST(UtaskConfig, NegativePoolSettingsFallBackToDefaults) {
  auto c = parse_utask_config(R"({"admin_usernames": ["a"],
    "database_config": {"max_open_conns": -1, "max_idle_conns": -2, "conn_max_lifetime": -3}})");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->database_config.max_open_conns, 50);
  EXPECT_EQ(c->database_config.max_idle_conns, 30);
  EXPECT_EQ(c->database_config.conn_max_lifetime, 60);
}

// Every broken field gives one message naming the item and the field.
struct Broken {
  const char* json;
  const char* field;
  const char* message;
};

TEST(UtaskConfig, BrokenFieldsNameItemAndField) {
  const Broken cases[] = {
      {R"({"admin_usernames": []})", "admin_usernames", "Admin user list can't be empty"},
      {R"({})", "admin_usernames", "Admin user list can't be empty"},
      {R"({"admin_usernames": "admin"})", "admin_usernames", "expected a list of strings"},
      {R"({"admin_usernames": [1]})", "admin_usernames[0]", "expected a string"},
      {R"({"admin_groups": {"a": 1}})", "admin_groups", "expected a list of strings"},
      {R"({"application_name": 3})", "application_name", "expected a string"},
      {R"({"completed_task_expiration": "3 days"})", "completed_task_expiration", "invalid duration \"3 days\""},
      {R"({"completed_task_expiration": 30})", "completed_task_expiration", "expected a duration string"},
      {R"({"completed_task_expiration": "-1h"})", "completed_task_expiration", "must not be negative"},
      {R"({"resource_acquire_timeout": "1d"})", "resource_acquire_timeout", "invalid duration \"1d\""},
      {R"({"delay_between_crashed_tasks_resolution": "soon"})", "delay_between_crashed_tasks_resolution", "invalid duration"},
      {R"({"delay_between_crashed_tasks_resolution": true})", "delay_between_crashed_tasks_resolution", "expected a duration"},
      {R"({"max_concurrent_executions": "100"})", "max_concurrent_executions", "expected an integer"},
      {R"({"max_concurrent_executions": 1.5})", "max_concurrent_executions", "expected an integer"},
      {R"({"max_concurrent_executions": 10, "max_concurrent_executions_from_crashed": 11})",
       "max_concurrent_executions_from_crashed", "can't be greater than max_concurrent_executions"},
      {R"({"max_concurrent_executions_from_crashed": []})", "max_concurrent_executions_from_crashed", "expected an integer"},
      {R"({"resource_limits": {"fork": -1}})", "resource_limits.fork", "non-negative"},
      {R"({"resource_limits": {"fork": "10"}})", "resource_limits.fork", "expected an integer"},
      {R"({"resource_limits": [1]})", "resource_limits", "expected an object"},
      {R"({"steps_compression_algorithm": "zstd"})", "steps_compression_algorithm", "zstd compression algorithm not found"},
      {R"({"server_options": {"max_body_bytes": "1MB"}})", "server_options.max_body_bytes", "expected an integer"},
      {R"({"server_options": 5})", "server_options", "expected an object"},
      {R"({"database_config": {"max_open_conns": true}})", "database_config.max_open_conns", "expected an integer"},
      {R"({"database_config": {"config_name": 1}})", "database_config.config_name", "expected a string"},
      {R"({"concealed_secrets": "database"})", "concealed_secrets", "expected a list of strings"},
      {R"({"base_url": false})", "base_url", "expected a string"},
      {R"({"dashboard_path_prefix": 1})", "dashboard_path_prefix", "expected a string"},
      {R"({"dashboard_api_path_prefix": []})", "dashboard_api_path_prefix", "expected a string"},
      {R"({"dashboard_sentry_dsn": {}})", "dashboard_sentry_dsn", "expected a string"},
      {R"({"notify_config": {"x": {"type": "tat"}}})", "notify_config.x.type", "failed to identify backend type"},
      {R"({"notify_actions": {"task_validation": {"disabled": "yes"}}})", "notify_actions.task_validation.disabled", "expected a boolean"},
  };
  for (const auto& c : cases) {
    std::string json = c.json;
    // Give every case an admin unless it tests the admin rule.
    if (std::string(c.message).find("Admin") == std::string::npos && json.find("admin_usernames") == std::string::npos &&
        json.find("admin_groups") == std::string::npos)
      json.insert(1, R"("admin_usernames": ["a"])" + std::string(json.size() > 2 ? ", " : ""));
    auto r = parse_utask_config(json);
    ASSERT_FALSE(r.ok()) << json;
    std::string expected_prefix = std::string("configuration item \"utask-cfg\": field \"") + c.field + "\": ";
    EXPECT_EQ(r.error().message.rfind(expected_prefix, 0), 0u) << json << " → " << r.error().message;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << json << " → " << r.error().message;
    EXPECT_EQ(r.error().field, std::string("utask-cfg.") + c.field);
    EXPECT_EQ(r.error().code, ErrorCode::invalid_config);
  }
}

TEST(UtaskConfig, ItemLevelErrors) {
  auto bad_json = parse_utask_config(R"({"admin_usernames": ["a"],})");
  ASSERT_FALSE(bad_json.ok());
  EXPECT_EQ(bad_json.error().message.rfind("configuration item \"utask-cfg\": invalid JSON", 0), 0u)
      << bad_json.error().message;
  auto not_object = parse_utask_config("[1]");
  ASSERT_FALSE(not_object.ok());
  EXPECT_NE(not_object.error().message.find("expected a JSON object"), std::string::npos);
  auto trailing = parse_utask_config(R"({"admin_usernames": ["a"]} x)");
  EXPECT_FALSE(trailing.ok());
}

}  // namespace
}  // namespace utask::config
