#include "actions/echo/echo_action.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "actions/catalog.h"
#include "model/json.h"
#include "model/yaml_json.h"

namespace utask::actions {
namespace {

Json json(const char* text) { return parse_json(text).value(); }

ActionResult run(const char* base, const char* configuration) {
  ExecutionRequest request;
  request.base_configuration = json(base);
  request.configuration = json(configuration);
  return EchoAction().execute(request);
}

TEST(Echo, ReturnsOutputAndMetadata) {
  ActionResult r = run("null", R"({"output":{"a":1.50},"metadata":{"m":"x"}})");
  EXPECT_FALSE(r.error);
  EXPECT_EQ(to_json_text(r.output), R"({"a":1.50})");
  EXPECT_EQ(to_json_text(r.metadata), R"({"m":"x"})");
}

TEST(Echo, NothingConfiguredIsNull) {
  ActionResult r = run("null", "{}");
  EXPECT_FALSE(r.error);
  EXPECT_TRUE(r.output.is_null());
  EXPECT_TRUE(r.metadata.is_null());
}

TEST(Echo, BaseConfigurationMergesUnderTheConfiguration) {
  // engine.md §8.1: output replaced whole, metadata merged key by key.
  ActionResult r = run(R"({"output":"testingoutput","metadata":{"a":1,"b":2}})",
                       R"({"error_message":"error1","metadata":{"b":3}})");
  EXPECT_EQ(r.output, "testingoutput");
  EXPECT_EQ(to_json_text(r.metadata), R"({"a":1,"b":3})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "error1");
}

TEST(Echo, ClientErrorsKeepTheOutput) {
  ActionResult r = run("null", R"({"output":{"x":1},"error_message":"client error","error_type":"client"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_EQ(r.error->message, "client error");
  EXPECT_EQ(to_json_text(r.output), R"({"x":1})");
}

TEST(Echo, UnmarshalParsesJsonOrYaml) {
  EXPECT_EQ(to_json_text(run("null", R"({"output":"[1, 2.50, {\"a\": \"b\"}]","unmarshal":true})").output),
            R"([1,2.50,{"a":"b"}])");
  EXPECT_EQ(to_json_text(run("null", R"({"output":"a: 1","unmarshal":true})").output), R"({"a":1})");
}

TEST(Echo, UnmarshalFailures) {
  ActionResult not_string = run("null", R"({"output":{"a":1},"unmarshal":true})");
  ASSERT_TRUE(not_string.error);
  EXPECT_EQ(not_string.error->message, "cannot unmarshal: invalid data type (map[string]interface {})");
  ActionResult bad = run("null", R"({"output":"{a: [","unmarshal":true})");
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->message.rfind("failed to unmarshal output: ", 0), 0u);
}

TEST(Echo, ValidatesTheErrorType) {
  EchoAction echo;
  EXPECT_TRUE(echo.validate(nullptr, json(R"({"error_type":"client"})")).ok());
  EXPECT_TRUE(echo.validate(nullptr, json(R"({"error_type":""})")).ok());
  auto bad = echo.validate(nullptr, json(R"({"error_type":"other"})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "Wrong error type: expecting 'client' or 'server'");
  EXPECT_FALSE(echo.validate(nullptr, json(R"({"unmarshal":"yes"})")).ok());
}

TEST(Echo, RegisteredAsAnExecutableBuiltin) {
  const ActionRegistry registry = ActionRegistry::with_builtins();
  const Action* echo = registry.find_action("echo");
  ASSERT_NE(echo, nullptr);
  EXPECT_EQ(echo->name(), "echo");
  EXPECT_FALSE(registry.validate_plugin_configuration("echo", nullptr, json(R"({"error_type":"x"})")).ok());
  EXPECT_EQ(registry.find_action("nope"), nullptr);
}

// STYLE §14: the README's example is a valid echo action.
TEST(Echo, ReadmeExampleIsValid) {
  std::ifstream in(std::filesystem::path(UTASK_SOURCE_DIR) / "src/actions/echo/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t start = readme.find("```yaml\n");
  ASSERT_NE(start, std::string::npos);
  const size_t end = readme.find("```", start + 8);
  auto example = model::yaml_to_json(readme.substr(start + 8, end - start - 8));
  ASSERT_TRUE(example.ok()) << example.error().message;
  const Json& action = (*example)["action"];
  EXPECT_EQ(action["type"], "echo");
  EXPECT_TRUE(EchoAction().validate(nullptr, action["configuration"]).ok());
}

}  // namespace
}  // namespace utask::actions
