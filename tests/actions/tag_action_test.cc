#include "actions/tag/tag_action.h"

#include <gtest/gtest.h>

#include "actions/catalog.h"
#include "model/json.h"

namespace utask::actions {
namespace {

Json json(const char* text) { return parse_json(text).value(); }

TEST(TagAction, ReturnsItsTagsForTheEngine) {
  ExecutionRequest r;
  r.base_configuration = json(R"({"tags":{"team":"infra","old":"x"}})");
  r.configuration = json(R"({"tags":{"foo":"bar","old":"","gone":null}})");
  ActionResult result = TagAction().execute(r);
  EXPECT_FALSE(result.error);
  EXPECT_TRUE(result.output.is_null());
  EXPECT_TRUE(result.metadata.is_null());
  EXPECT_EQ(result.tags, (std::map<std::string, std::string>{
                             {"foo", "bar"}, {"gone", ""}, {"old", ""}, {"team", "infra"}}));
}

TEST(TagAction, ValidationRefusesTheReservedKeyAndNonStrings) {
  const auto registry = ActionRegistry::with_builtins();
  EXPECT_TRUE(registry.validate_plugin_configuration("tag", Json(), json(R"({"tags":{"a":"{{ .input.x }}"}})")).ok());
  EXPECT_TRUE(registry.validate_plugin_configuration("tag", Json(), json("{}")).ok());
  auto reserved = registry.validate_plugin_configuration("tag", Json(), json(R"({"tags":{"_utask_parent_task_id":"x"}})"));
  ASSERT_FALSE(reserved.ok());
  EXPECT_EQ(reserved.error().message, "tag name \"_utask_parent_task_id\" not allowed");
  auto number = registry.validate_plugin_configuration("tag", Json(), json(R"({"tags":{"a":1}})"));
  ASSERT_FALSE(number.ok());
  EXPECT_EQ(number.error().message,
            "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field "
            "Config.tags of type string");
  ExecutionRequest r;
  r.configuration = json(R"({"tags":{"_utask_parent_task_id":"x"}})");
  ActionResult result = TagAction().execute(r);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->kind, ErrorKind::client);
}

}  // namespace
}  // namespace utask::actions
