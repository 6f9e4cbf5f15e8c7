#include "config/configuration.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/template_items.h"
#include "support/temp_dir.h"

namespace utask::config {
namespace {

using testing::TempDir;

const char* kDevKey =
    R"({"identifier":"storage","cipher":"aes-gcm","timestamp":1535627466,"key":"e5f45aef9f072e91f735547be63f3434e6de49695b178e3868b23b0e32269800"})";

// The docker-compose environment of the original.
Environment compose_env() {
  return {{"CFG_DATABASE", "postgres://user:pass@db/utask?sslmode=disable"},
          {"CFG_UTASK_CFG", R"({"admin_usernames":["admin"],"application_name":"µTask"})"},
          {"CFG_CALLBACK_CONFIG", R"({"base_url": "http://foo.example.com"})"},
          {"CFG_BASIC_AUTH", R"({"admin":"1234","resolver":"3456","regular":"5678"})"},
          {"CFG_GROUPS_AUTH", R"({"admins":["admin"],"resolvers":["admin","resolver"]})"},
          {"CFG_ENCRYPTION_KEY", kDevKey},
          {"DEBUG", "true"}};
}

TEST(LoadConfiguration, ComposeEnvironment) {
  auto c = load_configuration("env:CFG", compose_env(), Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->utask.application_name, "µTask");
  EXPECT_EQ(c->database, "postgres://user:pass@db/utask?sslmode=disable");
  ASSERT_TRUE(c->storage_keys.has_value());
  EXPECT_EQ(c->storage_keys->current().cipher, Cipher::aes_gcm);
  EXPECT_EQ(c->basic_auth.at("resolver"), "3456");
  EXPECT_EQ(groups_of(c->groups_auth, "admin"), (std::vector<std::string>{"admins", "resolvers"}));
  EXPECT_EQ(c->callback.base_url, "http://foo.example.com");
  EXPECT_EQ(c->callback.url_for("abc"), "http://foo.example.com/unsecured/callback/abc");
  EXPECT_EQ(c->callback.source, CallbackConfig::Source::item);
  // Nothing concealed: every item is visible to templates.
  EXPECT_EQ(c->template_items.size(), 6u);
}

TEST(LoadConfiguration, MissingConfigurationFromSaysHowToSetIt) {
  auto from = configuration_from(Environment{});
  ASSERT_FALSE(from.ok());
  EXPECT_NE(from.error().message.find("CONFIGURATION_FROM=file:config/dev.yaml"), std::string::npos);
  auto c = load_configuration("", Environment{}, Settings{});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("CONFIGURATION_FROM is not set"), std::string::npos);
  auto set = configuration_from(Environment{{"CONFIGURATION_FROM", "env:CFG"}});
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*set, "env:CFG");
}

TEST(LoadConfiguration, UtaskCfgIsRequired) {
  auto c = load_configuration("env:CFG", {{"CFG_DATABASE", "x"}}, Settings{});
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("configuration item \"utask-cfg\" not found"), std::string::npos);
}

TEST(LoadConfiguration, NoKeyAndNoDatabaseAreExplicit) {
  auto c = load_configuration("env:CFG", {{"CFG_UTASK_CFG", R"({"admin_groups":["g"]})"}}, Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->storage_keys.has_value());
  EXPECT_TRUE(c->database.empty());
  EXPECT_TRUE(c->basic_auth.empty());
}

TEST(LoadConfiguration, DatabaseItemNamedByConfigName) {
  TempDir dir;
  dir.write("utask-cfg", R"({"admin_usernames":["a"],"database_config":{"config_name":"Main_DB"}})");
  dir.write("main-db", "host=db user=u password=pw\n");
  dir.write("database", "ignored");
  auto c = load_configuration("filetree:" + dir.str(), {}, Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->database, "host=db user=u password=pw");  // trailing newline of the file dropped
}

TEST(LoadConfiguration, CallbackFallbacks) {
  Settings s;
  s.listen_address = "0.0.0.0";
  s.http_port = 9090;
  auto derived = load_configuration("env:CFG", {{"CFG_UTASK_CFG", R"({"admin_usernames":["a"]})"}}, s);
  ASSERT_TRUE(derived.ok()) << derived.error().message;
  EXPECT_EQ(derived->callback.base_url, "http://127.0.0.1:9090");
  EXPECT_EQ(derived->callback.source, CallbackConfig::Source::listen_address);

  auto from_cfg = load_configuration(
      "env:CFG", {{"CFG_UTASK_CFG", R"({"admin_usernames":["a"],"base_url":"https://u.example.org/"})"}}, s);
  ASSERT_TRUE(from_cfg.ok());
  EXPECT_EQ(from_cfg->callback.base_url, "https://u.example.org");
  EXPECT_EQ(from_cfg->callback.source, CallbackConfig::Source::utask_base_url);

  auto no_base = load_configuration("env:CFG",
                                    {{"CFG_UTASK_CFG", R"({"admin_usernames":["a"]})"},
                                     {"CFG_CALLBACK_CONFIG", R"({"path_prefix":"/x"})"}},
                                    s);
  ASSERT_FALSE(no_base.ok());
  EXPECT_NE(no_base.error().message.find("\"base_url\" key not defined in \"callback-config\""), std::string::npos);
}

TEST(CallbackConfig, ItemRules) {
  auto c = resolve_callback_config(std::string(R"({"base_url":"https://x.org//","path_prefix":"cb/"})"), "", "", 1);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->base_url, "https://x.org");
  EXPECT_EQ(c->path_prefix, "/cb");
  EXPECT_EQ(c->url_for("id1"), "https://x.org/cb/id1");
  // The item wins over utask-cfg.base_url.
  auto item_first = resolve_callback_config(std::string(R"({"base_url":"https://a"})"), "https://b", "", 1);
  ASSERT_TRUE(item_first.ok());
  EXPECT_EQ(item_first->base_url, "https://a");
  EXPECT_EQ(item_first->path_prefix, "/unsecured/callback");
  EXPECT_FALSE(resolve_callback_config(std::string("not json"), "", "", 1).ok());
  EXPECT_FALSE(resolve_callback_config(std::string(R"({"base_url": 1})"), "", "", 1).ok());
  auto v6 = resolve_callback_config(std::nullopt, "", "::1", 8081);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->base_url, "http://[::1]:8081");
  auto named = resolve_callback_config(std::nullopt, "", "localhost", 8081);
  EXPECT_EQ(named->base_url, "http://localhost:8081");
}

TEST(LoadConfiguration, BrokenItemsNameTheItem) {
  struct Case {
    const char* var;
    const char* value;
    const char* message;
  } cases[] = {
      {"CFG_BASIC_AUTH", R"({"admin": 1234})", "configuration item \"basic-auth\": field \"admin\": expected a password string"},
      {"CFG_BASIC_AUTH", R"(["admin"])", "configuration item \"basic-auth\": expected a JSON object"},
      {"CFG_BASIC_AUTH", "admin:1234", "configuration item \"basic-auth\": invalid JSON"},
      {"CFG_GROUPS_AUTH", R"({"admins": "admin"})", "configuration item \"groups-auth\": field \"admins\": expected a list"},
      {"CFG_GROUPS_AUTH", R"({"admins": [1]})", "configuration item \"groups-auth\": field \"admins[0]\": expected a string"},
      {"CFG_ENCRYPTION_KEY", R"({"identifier":"storage","cipher":"aes-pmac-siv","key":"x"})",
       "configuration item \"encryption-key\": field \"cipher\""},
      {"CFG_UTASK_CFG", R"({"admin_usernames":["a"],"completed_task_expiration":"3 days"})",
       "configuration item \"utask-cfg\": field \"completed_task_expiration\": invalid duration \"3 days\""},
      {"CFG_NOTIFY_WEBHOOK_CREDENTIALS", "{", "configuration item \"notify-webhook-credentials\": invalid JSON"},
  };
  for (const auto& c : cases) {
    auto env = compose_env();
    env[c.var] = c.value;
    auto r = load_configuration("env:CFG", env, Settings{});
    ASSERT_FALSE(r.ok()) << c.var << "=" << c.value;
    EXPECT_NE(r.error().message.find(c.message), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("1234"), std::string::npos) << "secret leaked: " << r.error().message;
  }
}

TEST(LoadConfiguration, WebhookCredentialsItems) {
  auto env = compose_env();
  env["CFG_UTASK_CFG"] = R"({"admin_usernames":["a"],"notify_config":{"wh":{"type":"webhook",
      "config":{"webhook_url":"https://h.example/x","credentials_name":"ops"}}}})";
  auto missing = load_configuration("env:CFG", env, Settings{});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("credentials_name \"ops\""), std::string::npos);
  env["CFG_NOTIFY_WEBHOOK_CREDENTIALS"] = R"({"credentials_name":"ops","username":"u","password":"p"})";
  auto ok = load_configuration("env:CFG", env, Settings{});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->utask.notify.backends.at("wh").password, "p");
}

TEST(LoadConfiguration, PriorityTieIsWarnedAndFirstProviderWins) {
  TempDir dir;
  auto a = dir.write("a.yaml", "- key: utask-cfg\n  value: '{\"admin_usernames\":[\"from-a\"]}'\n");
  auto b = dir.write("b.yaml", "- key: utask-cfg\n  value: '{\"admin_usernames\":[\"from-b\"]}'\n");
  auto c = load_configuration("file:" + b + ",file:" + a, {}, Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->utask.admin_usernames, std::vector<std::string>{"from-b"});
  ASSERT_EQ(c->warnings.size(), 1u);  // read twice (settings, templates), reported once
  EXPECT_NE(c->warnings[0].find("utask-cfg"), std::string::npos);

  // A tie on an item only templates read is reported too.
  auto d = dir.write("d.yaml", "- key: shared\n  value: x\n- key: shared\n  value: y\n"
                               "- key: utask-cfg\n  value: '{\"admin_usernames\":[\"a\"]}'\n");
  auto e = load_configuration("file:" + d, {}, Settings{});
  ASSERT_TRUE(e.ok()) << e.error().message;
  ASSERT_EQ(e->warnings.size(), 1u);
  EXPECT_NE(e->warnings[0].find("\"shared\""), std::string::npos);
  EXPECT_EQ(e->template_items.at("shared"), "x");
}

TEST(LoadConfiguration, PluginProviderAddedBeforeLoading) {
  auto store = Configstore::from_spec("env:CFG", {{"CFG_UTASK_CFG", R"({"admin_usernames":["a"]})"}});
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(store->add_provider("vault", {{"utask-cfg", R"({"admin_usernames":["vault-admin"]})", 100, ""}}).ok());
  auto c = load_configuration(std::move(*store), Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->utask.admin_usernames, std::vector<std::string>{"vault-admin"});
}

TEST(TemplateItems, ConcealedSecretsAreHidden) {
  auto env = compose_env();
  env["CFG_UTASK_CFG"] =
      R"({"admin_usernames":["admin"],"concealed_secrets":["database","Encryption_Key","utask-cfg","basic-auth"]})";
  env["CFG_EMPTY"] = "";
  env["CFG_PLAIN"] = "hello world";
  env["CFG_YAML"] = "a: 1\nb: [x, 'y']\n";
  auto c = load_configuration("env:CFG", env, Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::vector<std::string> keys;
  for (const auto& [k, _] : c->template_items) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"callback-config", "groups-auth", "plain", "yaml"}));
  auto json = template_items_json(c->template_items);
  EXPECT_EQ(json["callback-config"]["base_url"], "http://foo.example.com");
  EXPECT_EQ(json["groups-auth"]["resolvers"][1], "resolver");
  EXPECT_EQ(json["plain"], "hello world");
  EXPECT_EQ(json["yaml"], nlohmann::json::parse(R"({"a": 1, "b": ["x", "y"]})"));
}

TEST(TemplateItems, ValuesStructuredWhenTheyParse) {
  EXPECT_EQ(template_item_value("42"), 42);
  EXPECT_EQ(template_item_value("1.5"), 1.5);
  EXPECT_EQ(template_item_value("true"), true);
  EXPECT_EQ(template_item_value("'42'"), "42");
  EXPECT_EQ(template_item_value("[1, two]"), nlohmann::json::parse(R"([1, "two"])"));
  EXPECT_EQ(template_item_value(R"({"n": 12345678901234567890})")["n"].get<uint64_t>(), 12345678901234567890ull);
  EXPECT_EQ(template_item_value("key: [unclosed"), "key: [unclosed");
  EXPECT_EQ(template_item_value("plain text\n"), "plain text");
  EXPECT_TRUE(template_item_value("~").is_null());
}

TEST(DevConfig, LoadsAndHidesSecrets) {
  std::string path = std::string(UTASK_SOURCE_DIR) + "/config/dev.yaml";
  auto c = load_configuration("file:" + path, {}, Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->utask.application_name, "µTask");
  EXPECT_EQ(c->utask.admin_usernames, std::vector<std::string>{"admin"});
  EXPECT_EQ(c->basic_auth.size(), 3u);
  EXPECT_EQ(c->basic_auth.at("regular"), "5678");
  EXPECT_EQ(c->groups_auth.at("admins"), std::vector<std::string>{"admin"});
  EXPECT_EQ(c->callback.base_url, "http://127.0.0.1:8081");
  ASSERT_TRUE(c->storage_keys.has_value());
  EXPECT_EQ(c->storage_keys->current().cipher, Cipher::xchacha20_poly1305);
  EXPECT_TRUE(c->database.empty());
  EXPECT_EQ(c->template_items.count("basic-auth"), 0u);
  EXPECT_EQ(c->template_items.count("encryption-key"), 0u);
  EXPECT_EQ(c->template_items.count("utask-cfg"), 0u);
  EXPECT_EQ(c->template_items.count("groups-auth"), 1u);
  EXPECT_TRUE(c->warnings.empty());
}

TEST(RedactedSummary, NoSecretInIt) {
  auto env = compose_env();
  env["CFG_UTASK_CFG"] = R"({"admin_usernames":["admin"],"notify_config":{"s":{"type":"slack",
      "config":{"webhook_url":"https://hooks.example/T0KEN"}}}})";
  auto c = load_configuration("env:CFG", env, Settings{});
  ASSERT_TRUE(c.ok()) << c.error().message;
  std::string s = c->redacted_summary();
  EXPECT_NE(s.find("postgres://user:***@db/utask"), std::string::npos) << s;
  EXPECT_NE(s.find("admin, regular, resolver"), std::string::npos) << s;
  EXPECT_NE(s.find("s (slack)"), std::string::npos) << s;
  EXPECT_NE(s.find("aes-gcm"), std::string::npos) << s;
  for (const char* secret : {"pass@", "1234", "3456", "5678", "e5f45aef", "T0KEN"})
    EXPECT_EQ(s.find(secret), std::string::npos) << secret << " leaked in:\n" << s;
}

}  // namespace
}  // namespace utask::config
