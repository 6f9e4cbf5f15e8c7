// The property graph of a JSON schema used by text-template lint (model/lint_schema_paths.h),
// and the small helpers lint shares (model/lint_internal.h). White-box: these headers are
// internal to lint.

#include "model/go_duration.h"
#include "model/lint_schema_paths.h"

#include <gtest/gtest.h>

#include "model/json.h"
#include "model/lint_internal.h"

namespace utask::model::lint_detail {
namespace {

SchemaPaths paths_of(std::string_view schema) {
  auto json = parse_json(schema);
  EXPECT_TRUE(json.ok()) << schema;
  auto paths = SchemaPaths::build(json.ok() ? *json : Json());
  EXPECT_TRUE(paths.ok()) << paths.error().message;
  return std::move(*paths);
}

using Keys = std::vector<std::string>;

TEST(SchemaPaths, RootsAndInlineChildren) {
  const auto p = paths_of(R"({"properties": {"a": {"properties": {"b": {"properties": {"c": {}}}}},
                                             "x": {}}})");
  EXPECT_TRUE(p.has_path(Keys{}));
  EXPECT_TRUE(p.has_path(Keys{"a"}));
  EXPECT_TRUE(p.has_path(Keys{"a", "b", "c"}));
  EXPECT_TRUE(p.has_path(Keys{"x"}));
  EXPECT_FALSE(p.has_path(Keys{"b"}));  // only nested, not a root
  EXPECT_FALSE(p.has_path(Keys{"a", "c"}));
  EXPECT_FALSE(p.has_path(Keys{"a", "b", "c", "d"}));
}

TEST(SchemaPaths, RefsIdsAndPointerEscapes) {
  const auto p = paths_of(R"({
    "$id": "root.json",
    "definitions": {
      "a/b": {"properties": {"slash": {}}},
      "t~x": {"properties": {"tilde": {}}},
      "named": {"$id": "#named", "properties": {"anchor": {}}},
      "other": {"$id": "other.json", "definitions": {"deep": {"properties": {"far": {}}}}}
    },
    "properties": {
      "s": {"$ref": "#/definitions/a~1b"},
      "t": {"$ref": "root.json#/definitions/t~0x"},
      "n": {"$ref": "#named"},
      "o": {"$ref": "other.json#/definitions/deep"},
      "lost": {"$ref": "elsewhere.json#/x"},
      "pct": {"$ref": "#/definitions/a~1b%20"}
    }})");
  EXPECT_TRUE(p.has_path(Keys{"s", "slash"}));
  EXPECT_TRUE(p.has_path(Keys{"t", "tilde"}));
  EXPECT_TRUE(p.has_path(Keys{"n", "anchor"}));
  EXPECT_TRUE(p.has_path(Keys{"o", "far"}));
  EXPECT_TRUE(p.has_path(Keys{"lost"}));
  EXPECT_FALSE(p.has_path(Keys{"lost", "x"}));
  EXPECT_FALSE(p.has_path(Keys{"pct", "slash"}));
}

TEST(SchemaPaths, CompositionAndRecursion) {
  const auto p = paths_of(R"({
    "definitions": {"node": {"properties": {"next": {"$ref": "#/definitions/node"}, "v": {}}}},
    "properties": {
      "list": {"$ref": "#/definitions/node"},
      "either": {"oneOf": [{"properties": {"left": {}}},
                           {"allOf": [{"properties": {"right": {}}}]}]},
      "cond": {"if": {"properties": {"i": {}}}, "then": {"properties": {"t": {}}},
               "else": {"properties": {"e": {}}}, "not": {"properties": {"n": {}}}},
      "self": {"$ref": "#"}
    }})");
  EXPECT_TRUE(p.has_path(Keys{"list", "next", "next", "next", "v"}));
  EXPECT_FALSE(p.has_path(Keys{"list", "v", "next"}));
  EXPECT_TRUE(p.has_path(Keys{"either", "left"}));
  EXPECT_TRUE(p.has_path(Keys{"either", "right"}));
  for (const char* k : {"i", "t", "e", "n"}) EXPECT_TRUE(p.has_path(Keys{"cond", k})) << k;
  EXPECT_TRUE(p.has_path(Keys{"self", "self", "list", "next"}));
}

TEST(SchemaPaths, NamesAreGlobal) {
  // As in the original: children of a name merge wherever the name appears.
  const auto p = paths_of(R"({"properties": {
      "a": {"properties": {"id": {"properties": {"x": {}}}}},
      "b": {"properties": {"id": {"properties": {"y": {}}}}}}})");
  EXPECT_TRUE(p.has_path(Keys{"a", "id", "y"}));
  EXPECT_TRUE(p.has_path(Keys{"b", "id", "x"}));
}

TEST(SchemaPaths, ReservedRootKeyName) {
  auto json = parse_json(R"({"properties": {"a": {"properties": {"utaskRootKey": {}}}}})");
  ASSERT_TRUE(json.ok());
  auto p = SchemaPaths::build(*json);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message,
            "Cannot use property \"utaskRootKey\" as it's a reserved keyword. Please rename your "
            "property");
}

TEST(LintHelpers, GoDurationText) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "0s"},
      {999, "999ns"},
      {1500, "1.5µs"},
      {2'000'000, "2ms"},
      {1'500'000'000, "1.5s"},
      {20'000'000'000, "20s"},
      {60'000'000'000, "1m0s"},
      {3'723'000'000'000, "1h2m3s"},
      {-1'000'000'000, "-1s"},
  };
  for (const auto& [ns, text] : cases) EXPECT_EQ(format_go_duration(std::chrono::nanoseconds(ns)), text) << ns;
}

TEST(LintHelpers, Dependencies) {
  auto d = parse_dependency("step");
  EXPECT_EQ(d.step, "step");
  EXPECT_EQ(d.states, (std::vector<std::string>{"DONE"}));
  d = parse_dependency("step:A,B");
  EXPECT_EQ(d.step, "step");
  EXPECT_EQ(d.states, (std::vector<std::string>{"A", "B"}));
  d = parse_dependency("step:");
  EXPECT_EQ(d.states, (std::vector<std::string>{""}));

  TaskTemplate t;
  t.steps["a"].dependencies = {"b:ANY"};
  t.steps["b"].dependencies = {"c", "a"};
  t.steps["c"].dependencies = {"ghost"};
  EXPECT_EQ(dependency_closure(t, {"a"}), (std::set<std::string>{"a", "b", "c", "ghost"}));
  EXPECT_EQ(dependency_closure(t, {"c"}), (std::set<std::string>{"c", "ghost"}));
  EXPECT_TRUE(dependency_closure(t, {}).empty());
}

}  // namespace
}  // namespace utask::model::lint_detail
