#include "model/json_schema.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/json.h"

namespace utask::model {
namespace {

Json json(const std::string& text) {
  auto parsed = parse_json(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? *parsed : Json();
}

// {key: {key: ... inner}}, `depth` levels deep.
Json nest(Json inner, const std::string& key, int depth) {
  for (int i = 0; i < depth; ++i) {
    Json outer = Json::object();
    outer[key] = std::move(inner);
    inner = std::move(outer);
  }
  return inner;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// --- Normalization (engine.md §2.4; conformance template computeVersion.yaml) -------------

struct NormalizeCase {
  std::string name;
  std::string schema;
  std::string expected;
};

class NormalizeTest : public testing::TestWithParam<NormalizeCase> {};

TEST_P(NormalizeTest, SetsSchemaFromVersion) {
  const auto& c = GetParam();
  Json normalized = normalize_json_schema(json(c.schema));
  EXPECT_EQ(normalized, json(c.expected));
  EXPECT_TRUE(JsonSchema::compile(normalized).ok());
}

std::vector<NormalizeCase> normalize_cases() {
  const std::string props = R"("type":"object","properties":{"foo":{"type":"string"}})";
  auto with = [&](const std::string& members) { return "{" + members + "," + props + "}"; };
  const std::string d4 = R"("$schema":"http://json-schema.org/draft-04/schema#")";
  const std::string d6 = R"("$schema":"http://json-schema.org/draft-06/schema#")";
  const std::string d7 = R"("$schema":"http://json-schema.org/draft-07/schema#")";
  return {
      // The six steps of tests/conformance/original/templates/computeVersion.yaml.
      {"stepOne_draft07_kept", with(d7), with(d7)},
      {"stepTwo_draft06_kept", with(d6), with(d6)},
      {"stepThree_draft04_kept", with(d4), with(d4)},
      {"stepFour_version4", with(R"("version":4)"), with(d4)},
      {"stepFive_version_not_numeric", with(R"("version":"versionNotFound")"), with(d7)},
      {"stepSix_no_version", "{" + props + "}", with(d7)},
      // The other numbers.
      {"version6", with(R"("version":6)"), with(d6)},
      {"version6_float", with(R"("version":6.0)"), with(d6)},
      {"version7", with(R"("version":7)"), with(d7)},
      {"version_other_number", with(R"("version":5)"), with(d7)},
      {"version_string_six", with(R"("version":"6")"), with(d7)},
      {"schema_wins_and_version_stays", with(d6 + R"(,"version":4)"), with(d6 + R"(,"version":4)")},
  };
}

INSTANTIATE_TEST_SUITE_P(JsonSchema, NormalizeTest, testing::ValuesIn(normalize_cases()),
                         [](const testing::TestParamInfo<NormalizeCase>& param) {
                           return param.param.name;
                         });

TEST(JsonSchema, NormalizeLeavesNonObjectsAlone) {
  EXPECT_EQ(normalize_json_schema(Json(true)), Json(true));
  EXPECT_EQ(normalize_json_schema(Json("x")), Json("x"));
}

// --- Validation cases (tests/model/json_schema/validation_cases.json) ---------------------
//
// Each group: {"description", "schema", "tests": [{"data", "valid", "errors"?}]}; "errors",
// when present, is the exact list validate() must return.

TEST(JsonSchema, ValidationCases) {
  std::string path =
      std::string(UTASK_SOURCE_DIR) + "/tests/model/json_schema/validation_cases.json";
  Json groups = json(read_file(path));
  ASSERT_TRUE(groups.is_array());
  ASSERT_GT(groups.size(), 50u);
  int checked = 0;
  for (const auto& group : groups) {
    std::string description = group["description"].get<std::string>();
    auto schema = JsonSchema::compile(group["schema"]);
    ASSERT_TRUE(schema.ok()) << description << ": " << schema.error().message;
    for (const auto& test : group["tests"]) {
      auto errors = schema->validate(test["data"]);
      std::string context = description + ", data " + to_json_text(test["data"]);
      EXPECT_EQ(errors.empty(), test["valid"].get<bool>())
          << context << "\n  errors: " << testing::PrintToString(errors);
      if (test.contains("errors")) {
        EXPECT_EQ(errors, test["errors"].get<std::vector<std::string>>()) << context;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 150);
}

// --- Compile errors ------------------------------------------------------------------------

struct BadSchema {
  const char* name;
  const char* schema;
  const char* message;  // a substring of the error
  const char* field;    // Error::field
};

class CompileErrorTest : public testing::TestWithParam<BadSchema> {};

TEST_P(CompileErrorTest, NamesKeywordAndPointer) {
  const auto& c = GetParam();
  auto compiled = JsonSchema::compile(json(c.schema));
  ASSERT_FALSE(compiled.ok()) << c.schema;
  EXPECT_EQ(compiled.error().code, ErrorCode::invalid_template);
  EXPECT_NE(compiled.error().message.find(c.message), std::string::npos)
      << compiled.error().message;
  EXPECT_EQ(compiled.error().field, c.field) << compiled.error().message;
}

#define D4 R"("$schema":"http://json-schema.org/draft-04/schema#",)"
#define D6 R"("$schema":"http://json-schema.org/draft-06/schema#",)"

INSTANTIATE_TEST_SUITE_P(
    JsonSchema, CompileErrorTest,
    testing::Values(
        BadSchema{"not_a_schema", R"(5)", "must be an object or a boolean", "#"},
        BadSchema{"unknown_meta_schema", R"({"$schema":"http://json-schema.org/draft-03/schema#"})",
                  "keyword \"$schema\" at #: unknown meta-schema", "#/$schema"},
        BadSchema{"meta_schema_not_string", R"({"$schema":7})", "must be a string", "#/$schema"},
        BadSchema{"type_unknown", R"({"type":"str"})", "keyword \"type\" at #: must be one of",
                  "#/type"},
        BadSchema{"type_empty_array", R"({"type":[]})", "\"type\"", "#/type"},
        BadSchema{"type_repeated", R"({"type":["string","string"]})", "\"type\"", "#/type"},
        BadSchema{"required_not_array", R"({"properties":{"a":{"required":"x"}}})",
                  "keyword \"required\" at #/properties/a: must be an array of unique strings",
                  "#/properties/a/required"},
        BadSchema{"required_repeated", R"({"required":["a","a"]})", "unique strings", "#/required"},
        BadSchema{"required_not_strings", R"({"required":[1]})", "unique strings", "#/required"},
        BadSchema{"draft4_required_empty", "{" D4 R"("required":[]})",
                  "must be a non-empty array of unique strings", "#/required"},
        BadSchema{"pattern_not_string", R"({"pattern":1})", "must be a string", "#/pattern"},
        BadSchema{"pattern_invalid", R"({"items":{"pattern":"(a"}})",
                  "keyword \"pattern\" at #/items: invalid regular expression \"(a\"",
                  "#/items/pattern"},
        BadSchema{"pattern_lookahead", R"j({"pattern":"a(?=b)"})j", "lookahead is not supported",
                  "#/pattern"},
        BadSchema{"pattern_lookbehind", R"({"pattern":"(?<!a)b"})", "lookbehind is not supported",
                  "#/pattern"},
        BadSchema{"pattern_backreference", R"({"pattern":"(a)\\1"})",
                  "backreferences are not supported", "#/pattern"},
        BadSchema{"pattern_properties_invalid", R"({"patternProperties":{"[":{}}})",
                  "keyword \"patternProperties\" at #: invalid regular expression",
                  "#/patternProperties"},
        BadSchema{"ref_not_string", R"({"$ref":1})", "keyword \"$ref\" at #: must be a string",
                  "#/$ref"},
        BadSchema{"ref_missing_definition", R"({"properties":{"a":{"$ref":"#/definitions/x"}}})",
                  "keyword \"$ref\" at #/properties/a: \"#/definitions/x\" designates nothing",
                  "#/properties/a/$ref"},
        BadSchema{"ref_remote", R"({"$ref":"http://example.com/schema.json"})",
                  "reference to another document \"http://example.com/schema.json\" is not "
                  "supported",
                  "#/$ref"},
        BadSchema{"ref_relative_without_id", R"({"items":{"$ref":"other.json#/a"}})",
                  "reference to another document \"other.json#/a\"", "#/items/$ref"},
        BadSchema{"ref_unknown_anchor", R"({"$ref":"#nowhere"})",
                  "no schema has the id \"#nowhere\"", "#/$ref"},
        BadSchema{"ref_to_non_schema", R"({"enum":[1],"$ref":"#/enum/0"})",
                  "designates a value that is not a schema", "#/$ref"},
        BadSchema{"ref_malformed_pointer", R"({"$ref":"#/a~2"})", "malformed JSON pointer",
                  "#/$ref"},
        BadSchema{"duplicate_id", R"({"definitions":{"a":{"$id":"#x"},"b":{"$id":"#x"}}})",
                  "duplicate schema id \"#x\"", "#/definitions/b"},
        BadSchema{"max_length_negative", R"({"maxLength":-1})",
                  "keyword \"maxLength\" at #: must be a non-negative integer", "#/maxLength"},
        BadSchema{"min_items_fraction", R"({"minItems":1.5})", "non-negative integer",
                  "#/minItems"},
        BadSchema{"max_properties_string", R"({"maxProperties":"1"})", "non-negative integer",
                  "#/maxProperties"},
        BadSchema{"multiple_of_zero", R"({"multipleOf":0})", "must be a number greater than 0",
                  "#/multipleOf"},
        BadSchema{"maximum_string", R"({"maximum":"3"})", "must be a number", "#/maximum"},
        BadSchema{"draft7_exclusive_boolean", R"({"maximum":3,"exclusiveMaximum":true})",
                  "keyword \"exclusiveMaximum\" at #: must be a number", "#/exclusiveMaximum"},
        BadSchema{"draft6_exclusive_boolean", "{" D6 R"("exclusiveMinimum":false})",
                  "must be a number", "#/exclusiveMinimum"},
        BadSchema{"draft4_exclusive_number", "{" D4 R"("maximum":3,"exclusiveMaximum":2})",
                  "must be a boolean", "#/exclusiveMaximum"},
        BadSchema{"draft4_exclusive_without_bound", "{" D4 R"("exclusiveMinimum":true})",
                  "requires \"minimum\"", "#/exclusiveMinimum"},
        BadSchema{"draft4_boolean_subschema", "{" D4 R"("properties":{"a":true}})",
                  "schema at #/properties/a must be an object", "#/properties/a"},
        BadSchema{"draft4_boolean_items", "{" D4 R"("items":false})", "\"items\"", "#/items"},
        BadSchema{"draft4_enum_empty", "{" D4 R"("enum":[]})", "non-empty array of unique",
                  "#/enum"},
        BadSchema{"draft6_enum_repeated", "{" D6 R"("enum":[1,1]})", "non-empty array of unique",
                  "#/enum"},
        BadSchema{"enum_not_array", R"({"enum":1})", "keyword \"enum\" at #: must be an array",
                  "#/enum"},
        BadSchema{"items_empty_tuple", R"({"items":[]})", "non-empty array of schemas", "#/items"},
        BadSchema{"items_number", R"({"items":1})", "must be a schema", "#/items"},
        BadSchema{"all_of_object", R"({"allOf":{}})", "keyword \"allOf\" at #", "#/allOf"},
        BadSchema{"any_of_empty", R"({"anyOf":[]})", "non-empty array of schemas", "#/anyOf"},
        BadSchema{"one_of_member_string", R"({"oneOf":[{}, "x"]})",
                  "schema at #/oneOf/1 must be an object or a boolean", "#/oneOf/1"},
        BadSchema{"not_array", R"({"not":[]})", "schema at #/not must be", "#/not"},
        BadSchema{"properties_array", R"({"properties":[]})",
                  "keyword \"properties\" at #: must be an object", "#/properties"},
        BadSchema{"definitions_value", R"({"definitions":{"a":3}})",
                  "schema at #/definitions/a must be", "#/definitions/a"},
        BadSchema{"dependencies_number", R"({"dependencies":{"a":5}})",
                  "\"a\" must be a schema or an array of strings", "#/dependencies"},
        BadSchema{"dependencies_repeated_names", R"({"dependencies":{"a":["b","b"]}})",
                  "unique strings", "#/dependencies"},
        BadSchema{"unique_items_string", R"({"uniqueItems":"yes"})", "must be a boolean",
                  "#/uniqueItems"},
        BadSchema{"format_number", R"({"format":5})", "keyword \"format\" at #: must be a string",
                  "#/format"},
        BadSchema{"title_number", R"({"title":5})", "must be a string", "#/title"},
        BadSchema{"id_number", R"({"$id":5})", "must be a string", "#/$id"},
        BadSchema{"draft4_id_number", "{" D4 R"("id":5})", "must be a string", "#/id"},
        BadSchema{"comment_number", R"({"$comment":5})", "must be a string", "#/$comment"},
        BadSchema{"contains_number", R"({"contains":5})", "schema at #/contains", "#/contains"},
        BadSchema{"property_names_number", R"({"propertyNames":5})", "#/propertyNames",
                  "#/propertyNames"},
        BadSchema{"if_number", R"({"if":5})", "schema at #/if", "#/if"},
        BadSchema{"examples_object", R"({"examples":{}})", "must be an array", "#/examples"},
        BadSchema{"read_only_string", R"({"readOnly":"yes"})", "must be a boolean", "#/readOnly"},
        BadSchema{"error_inside_definition_reached_by_ref",
                  R"({"$ref":"#/definitions/a","definitions":{"a":{"minLength":"x"}}})",
                  "keyword \"minLength\" at #/definitions/a", "#/definitions/a/minLength"}),
    [](const testing::TestParamInfo<BadSchema>& param) { return param.param.name; });

#undef D4
#undef D6

TEST(JsonSchema, BooleanSchemasNeedDraft6) {
  EXPECT_TRUE(JsonSchema::compile(Json(true)).ok());
  Json d4 = json(R"({"$schema":"http://json-schema.org/draft-04/schema#","not":true})");
  EXPECT_FALSE(JsonSchema::compile(d4).ok());
}

// Keywords a draft does not know are ignored, whatever their value.
TEST(JsonSchema, UnknownKeywordsAreIgnored) {
  EXPECT_TRUE(JsonSchema::compile(json(R"({"x-anything":{"type":5},"$comment":5,)"
                                       R"("$schema":"http://json-schema.org/draft-06/schema#"})"))
                  .ok());
  EXPECT_TRUE(JsonSchema::compile(json(R"({"const":1,"contains":5,"if":5,)"
                                       R"("$schema":"http://json-schema.org/draft-04/schema#"})"))
                  .ok());
  EXPECT_FALSE(JsonSchema::compile(json(R"({"contains":5})")).ok());
}

TEST(JsonSchema, MetaSchemaUriVariants) {
  for (const char* uri :
       {"http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema",
        "https://json-schema.org/draft-06/schema#", "http://json-schema.org/draft-04/schema"}) {
    EXPECT_TRUE(JsonSchema::compile(Json{{"$schema", uri}}).ok()) << uri;
  }
  EXPECT_FALSE(
      JsonSchema::compile(Json{{"$schema", "https://json-schema.org/draft/2020-12/schema"}}).ok());
}

// Siblings of "$ref" are ignored (drafts 4-7), so their shape is not checked either.
TEST(JsonSchema, RefSiblingsAreNotCompiled) {
  EXPECT_TRUE(
      JsonSchema::compile(json(R"({"definitions":{"a":{}},"$ref":"#/definitions/a","type":5})"))
          .ok());
}

// --- Recursion -----------------------------------------------------------------------------

TEST(JsonSchema, SelfReferenceCompilesAndValidates) {
  auto schema = JsonSchema::compile(json(R"({"$ref":"#"})"));
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->validate(json(R"({"a":[1,2]})")).empty());

  auto mutual = JsonSchema::compile(json(R"({"definitions":{
      "a":{"$ref":"#/definitions/b"},"b":{"$ref":"#/definitions/a"}},
      "properties":{"x":{"$ref":"#/definitions/a"}}})"));
  ASSERT_TRUE(mutual.ok());
  EXPECT_TRUE(mutual->validate(json(R"({"x":1})")).empty());
}

// A deeply nested instance of a recursive schema: long but finite.
TEST(JsonSchema, DeepInstanceOfRecursiveSchema) {
  auto schema = JsonSchema::compile(json(R"({"type":["object","integer"],
      "additionalProperties":{"$ref":"#"}})"));
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->validate(nest(1, "n", 100)).empty());
  auto errors = schema->validate(nest("x", "n", 100));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].rfind("/n/n/n/", 0), 0u);
  EXPECT_NE(errors[0].find(": expected integer or object, got string"), std::string::npos);

  // Past the supported depth, a violation instead of a stack overflow.
  auto too_deep = schema->validate(nest(1, "n", 2000));
  ASSERT_EQ(too_deep.size(), 1u);
  EXPECT_NE(too_deep[0].find("nested too deeply"), std::string::npos);
}

TEST(JsonSchema, DeeplyNestedSchemaIsRefused) {
  auto compiled = JsonSchema::compile(nest(Json::object(), "items", 1000));
  ASSERT_FALSE(compiled.ok());
  EXPECT_NE(compiled.error().message.find("nested too deeply"), std::string::npos);
}

TEST(JsonSchema, ConformanceTemplateLintingInfiniteOkSchema) {
  // The json_schema of tests/conformance/original/templates/lintingInfiniteOk.yaml.
  auto schema = JsonSchema::compile(json(R"({
      "$id": "randomeone.schema.json",
      "$schema": "http://json-schema.org/draft-07/schema#",
      "title": "RandomOne", "type": "object",
      "definitions": {
        "foo": {"type": "object",
                "properties": {"bar": {"anyOf": [{"$ref": "#/definitions/foo"},
                                                 {"$ref": "#/definitions/foo/definitions/baz"}]}},
                "definitions": {"baz": {"type": "string", "minLength": 15}}},
        "value": {"type": "string", "maxLength": 10}},
      "properties": {"value": {"$ref": "#/definitions/value"},
                     "foo": {"$ref": "#/definitions/foo"}}})"));
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  // The echo step's output of the template.
  EXPECT_EQ(schema->validate(json(R"({"foo":"bar"})")),
            std::vector<std::string>{"/foo: expected object, got string"});
  EXPECT_TRUE(schema->validate(json(R"({"foo":{"bar":{"bar":{}}}})")).empty());
}

// --- API -----------------------------------------------------------------------------------

TEST(JsonSchema, DocumentIsTheCompiledSchemaAndCopiesShareIt) {
  Json source = json(R"({"type":"object","required":["a"]})");
  auto compiled = JsonSchema::compile(source);
  ASSERT_TRUE(compiled.ok());
  JsonSchema copy = *compiled;
  EXPECT_EQ(copy.document(), source);
  EXPECT_EQ(&copy.document(), &compiled->document());
  EXPECT_EQ(copy.validate(json("{}")),
            std::vector<std::string>{": missing required property \"a\""});
}

// Numbers keep their literal text in messages.
TEST(JsonSchema, MessagesPrintNumbersAsWritten) {
  auto compiled = JsonSchema::compile(json(R"({"maximum":1.50})"));
  ASSERT_TRUE(compiled.ok());
  EXPECT_EQ(compiled->validate(json("2")), std::vector<std::string>{": must be <= 1.50"});
}

}  // namespace
}  // namespace utask::model
