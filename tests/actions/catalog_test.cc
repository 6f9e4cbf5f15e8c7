// The action registry (actions/catalog.h): builtin names, one namespace for plugins and
// functions, configuration decoding and echo's rules.

#include "actions/catalog.h"

#include <gtest/gtest.h>

#include "model/json.h"

namespace utask::actions {
namespace {

Json json(std::string_view text) {
  auto j = parse_json(text);
  EXPECT_TRUE(j.ok()) << text;
  return j.ok() ? std::move(*j) : Json();
}

model::Function function_named(std::string name) {
  model::Function f;
  f.name = std::move(name);
  f.action.type = "echo";
  return f;
}

TEST(ActionRegistry, HasEveryBuiltinAction) {
  const auto registry = ActionRegistry::with_builtins();
  EXPECT_EQ(registry.plugin_names(),
            (std::vector<std::string>{"apiovh", "batch", "cache", "callback", "echo", "email",
                                      "http", "notify", "ping", "script", "ssh", "subtask",
                                      "tag"}));
  EXPECT_TRUE(registry.has_plugin("echo"));
  EXPECT_FALSE(registry.has_plugin("Echo"));
  EXPECT_FALSE(registry.plugin_metadata_schema("echo").has_value());
}

TEST(ActionRegistry, ANameIsRegisteredOnce) {
  auto registry = ActionRegistry::with_builtins();
  auto dup = registry.add_plugin({"echo", "2", {}, std::nullopt});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::conflict);
  EXPECT_EQ(dup.error().message, "Step executor conflict! 'echo' executor registered twice");

  ASSERT_TRUE(registry.add_function(function_named("my::fn")).ok());
  EXPECT_NE(registry.find_function("my::fn"), nullptr);
  EXPECT_EQ(registry.find_function("other"), nullptr);
  EXPECT_FALSE(registry.add_function(function_named("my::fn")).ok());
  EXPECT_FALSE(registry.add_function(function_named("http")).ok());
  EXPECT_FALSE(registry.add_plugin({"my::fn", "1", {}, std::nullopt}).ok());
  EXPECT_FALSE(registry.add_plugin({"", "1", {}, std::nullopt}).ok());

  std::vector<model::Function> batch;
  batch.push_back(function_named("a::b"));
  batch.push_back(function_named("a::b"));
  EXPECT_FALSE(registry.add_functions(std::move(batch)).ok());
  EXPECT_NE(registry.find_function("a::b"), nullptr);
}

TEST(ActionRegistry, ValidatorsAreRegisteredPerAction) {
  auto registry = ActionRegistry::with_builtins();
  // Without its own rules, an action accepts any configuration object (every builtin has its
  // rules: a plugin registered without validator stands for such an action).
  ASSERT_TRUE(registry.add_plugin({"bare", "1", {}, std::nullopt, nullptr}).ok());
  EXPECT_TRUE(registry.validate_plugin_configuration("bare", Json(), json(R"({"url": 1})")).ok());
  auto not_object = registry.validate_plugin_configuration("bare", Json(), json(R"("text")"));
  ASSERT_FALSE(not_object.ok());
  EXPECT_EQ(not_object.error().message,
            "failed to unmarshal configuration: json: cannot unmarshal string into Go value of "
            "type Config");

  ASSERT_TRUE(registry
                  .set_validator("bare",
                                 [](const Json&, const Json& c) -> Result<void> {
                                   if (!c.contains("url")) {
                                     return Error::invalid_template("missing url");
                                   }
                                   return {};
                                 })
                  .ok());
  EXPECT_FALSE(registry.validate_plugin_configuration("bare", Json(), json("{}")).ok());
  EXPECT_TRUE(registry.validate_plugin_configuration("bare", Json(), json(R"({"url": "x"})")).ok());
  EXPECT_FALSE(registry.set_validator("nothing", {}).ok());

  ASSERT_TRUE(registry.add_plugin({"meta", "1", {}, json(R"({"properties": {"a": {}}})")}).ok());
  ASSERT_TRUE(registry.plugin_metadata_schema("meta").has_value());
  EXPECT_TRUE(registry.plugin_metadata_schema("meta")->contains("properties"));
}

TEST(EchoValidation, ErrorTypeAndFieldTypes) {
  const auto registry = ActionRegistry::with_builtins();
  auto check = [&](std::string_view base, std::string_view config) {
    return registry.validate_plugin_configuration("echo", base.empty() ? Json() : json(base),
                                                  json(config));
  };
  for (const char* ok : {R"({})", R"(null)", R"({"error_type": "client"})",
                         R"({"error_type": "server", "error_message": "x"})",
                         R"({"error_type": ""})", R"({"output": [1, "a"], "metadata": {"a": 1}})",
                         R"({"unmarshal": true, "output": "{\"a\": 1}"})",
                         R"({"Error_Type": "client", "unknown": 3})", R"({"metadata": null})",
                         R"({"error_message": null})"}) {
    EXPECT_TRUE(check("", ok).ok()) << ok;
  }
  const std::pair<const char*, const char*> bad[] = {
      {R"({"error_type": "sometimes"})", "Wrong error type: expecting 'client' or 'server'"},
      {R"({"ERROR_TYPE": "x"})", "Wrong error type: expecting 'client' or 'server'"},
      {R"({"unmarshal": "yes"})",
       "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field "
       "Config.unmarshal of type bool"},
      {R"({"metadata": [1]})",
       "failed to unmarshal configuration: json: cannot unmarshal array into Go struct field "
       "Config.metadata of type map[string]interface {}"},
      {R"({"error_message": 404})",
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
       "Config.error_message of type string"},
  };
  for (const auto& [config, message] : bad) {
    auto r = check("", config);
    ASSERT_FALSE(r.ok()) << config;
    EXPECT_EQ(r.error().message, message);
  }
  // The base configuration is decoded first, with its own prefix; the configuration goes over it.
  auto base_bad = check(R"({"unmarshal": 1})", "{}");
  ASSERT_FALSE(base_bad.ok());
  EXPECT_EQ(base_bad.error().message,
            "failed to unmarshal base configuration: json: cannot unmarshal number into Go "
            "struct field Config.unmarshal of type bool");
  EXPECT_FALSE(check(R"({"error_type": "never"})", "{}").ok());
  EXPECT_TRUE(check(R"({"error_type": "never"})", R"({"error_type": "client"})").ok());
}

TEST(DecodeTypedConfiguration, MergesAsTheOriginalDecodes) {
  const std::vector<ConfigField> fields = {{"output", FieldType::any},
                                           {"metadata", FieldType::object},
                                           {"error_message", FieldType::string},
                                           {"count", FieldType::number}};
  auto merged = decode_typed_configuration(
      json(R"({"output": {"a": 1}, "metadata": {"a": 1, "b": 2}, "error_message": "base",
               "count": 1})"),
      json(R"({"Output": {"c": 3}, "METADATA": {"b": 20}, "error_message": null, "other": 1})"),
      fields);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(to_json_text(*merged),
            R"({"count":1,"error_message":"base","metadata":{"a":1,"b":20},"output":{"c":3}})");

  auto reset = decode_typed_configuration(json(R"({"metadata": {"a": 1}, "output": 1})"),
                                          json(R"({"metadata": null, "output": null})"), fields);
  ASSERT_TRUE(reset.ok());
  EXPECT_EQ(to_json_text(*reset), R"({"metadata":null,"output":null})");
}

}  // namespace
}  // namespace utask::actions
