// YAML 1.1 (go-yaml v2) → JSON conversion: scalar resolution, keys, merges, aliases, errors.

#include "model/yaml_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace utask::model {
namespace {

std::string convert(const std::string& yaml) {
  auto j = yaml_to_json(yaml, "t.yaml");
  if (!j) return "ERROR: " + j.error().message;
  return to_json_text(*j);
}

// One plain scalar under key `v`, and the JSON it must become.
struct ScalarCase {
  const char* yaml;
  const char* json;
};

class YamlScalar : public ::testing::TestWithParam<ScalarCase> {};

TEST_P(YamlScalar, ResolvesAsYaml11) {
  EXPECT_EQ(convert(std::string("v: ") + GetParam().yaml), std::string("{\"v\":") + GetParam().json + "}")
      << GetParam().yaml;
}

INSTANTIATE_TEST_SUITE_P(
    Booleans, YamlScalar,
    ::testing::Values(ScalarCase{"y", "true"}, ScalarCase{"Y", "true"}, ScalarCase{"yes", "true"},
                      ScalarCase{"Yes", "true"}, ScalarCase{"YES", "true"}, ScalarCase{"on", "true"},
                      ScalarCase{"On", "true"}, ScalarCase{"ON", "true"}, ScalarCase{"true", "true"},
                      ScalarCase{"True", "true"}, ScalarCase{"TRUE", "true"}, ScalarCase{"n", "false"},
                      ScalarCase{"N", "false"}, ScalarCase{"no", "false"}, ScalarCase{"No", "false"},
                      ScalarCase{"NO", "false"}, ScalarCase{"off", "false"}, ScalarCase{"Off", "false"},
                      ScalarCase{"OFF", "false"}, ScalarCase{"false", "false"},
                      ScalarCase{"False", "false"}, ScalarCase{"FALSE", "false"},
                      // Not a YAML 1.1 case variant, or quoted: strings.
                      ScalarCase{"yEs", "\"yEs\""}, ScalarCase{"tRUE", "\"tRUE\""},
                      ScalarCase{"'yes'", "\"yes\""}, ScalarCase{"\"off\"", "\"off\""},
                      ScalarCase{"!!str true", "\"true\""}));

INSTANTIATE_TEST_SUITE_P(
    Nulls, YamlScalar,
    ::testing::Values(ScalarCase{"", "null"}, ScalarCase{"~", "null"}, ScalarCase{"null", "null"},
                      ScalarCase{"Null", "null"}, ScalarCase{"NULL", "null"},
                      ScalarCase{"nULL", "\"nULL\""}, ScalarCase{"'null'", "\"null\""},
                      ScalarCase{"'~'", "\"~\""}));

INSTANTIATE_TEST_SUITE_P(
    Integers, YamlScalar,
    ::testing::Values(ScalarCase{"12", "12"}, ScalarCase{"-3", "-3"}, ScalarCase{"+5", "5"},
                      ScalarCase{"0", "0"}, ScalarCase{"0x1F", "31"}, ScalarCase{"-0x10", "-16"},
                      ScalarCase{"0o17", "15"}, ScalarCase{"017", "15"}, ScalarCase{"0b101", "5"},
                      ScalarCase{"1_000", "1000"}, ScalarCase{"1_000_000", "1000000"},
                      ScalarCase{"12345678901234567890", "12345678901234567890"},
                      ScalarCase{"-9223372036854775808", "-9223372036854775808"},
                      // invalid octal digits: go-yaml falls back to a float
                      ScalarCase{"08", "8"}, ScalarCase{"!!int 42", "42"},
                      ScalarCase{"'404'", "\"404\""}));

INSTANTIATE_TEST_SUITE_P(
    Floats, YamlScalar,
    ::testing::Values(ScalarCase{"1.5", "1.5"}, ScalarCase{"1.50", "1.50"}, ScalarCase{"-2.3", "-2.3"},
                      ScalarCase{".5", "0.5"}, ScalarCase{"-.5", "-0.5"}, ScalarCase{"1.", "1.0"},
                      ScalarCase{"1e3", "1e3"}, ScalarCase{"1E3", "1E3"}, ScalarCase{"+1.5e-3", "1.5e-3"},
                      ScalarCase{"1_000.5", "1000.5"}, ScalarCase{"!!float 2", "2"}));

INSTANTIATE_TEST_SUITE_P(
    Strings, YamlScalar,
    ::testing::Values(ScalarCase{"hello", "\"hello\""}, ScalarCase{"1.2.3", "\"1.2.3\""},
                      ScalarCase{"0x", "\"0x\""}, ScalarCase{"12abc", "\"12abc\""},
                      ScalarCase{"2001-12-14", "\"2001-12-14\""}, ScalarCase{"1e", "\"1e\""},
                      ScalarCase{".", "\".\""}, ScalarCase{"-x", "\"-x\""}, ScalarCase{"_1", "\"_1\""},
                      ScalarCase{"1e400", "\"1e400\""}, ScalarCase{"\"12\"", "\"12\""},
                      ScalarCase{"!custom 12", "\"12\""}));

TEST(YamlJson, InfinityAndNaN) {
  for (const char* text : {".inf", ".Inf", "+.INF", "-.inf", ".nan", ".NaN"}) {
    auto j = yaml_to_json(std::string("v: ") + text);
    ASSERT_TRUE(j.ok()) << text;
    ASSERT_TRUE((*j)["v"].is_number_float()) << text;
    double d = (*j)["v"].get<double>();
    EXPECT_TRUE(std::isinf(d) || std::isnan(d)) << text;
  }
  auto neg = yaml_to_json("v: -.inf");
  EXPECT_LT((*neg)["v"].get<double>(), 0);
}

TEST(YamlJson, ExplicitTagThatDoesNotFitIsAnError) {
  EXPECT_NE(convert("v: !!int abc").find("ERROR: t.yaml:1:4"), std::string::npos);
  EXPECT_NE(convert("v: !!bool maybe").find("ERROR"), std::string::npos);
  EXPECT_EQ(convert("v: !!bool yes"), R"({"v":true})");
}

TEST(YamlJson, NonStringKeysBecomeStrings) {
  EXPECT_EQ(convert("1: a\n2.5: b\ntrue: c\n0x10: d\n"), R"({"1":"a","16":"d","2.5":"b","true":"c"})");
  EXPECT_EQ(convert("y: a\n"), R"({"true":"a"})");  // YAML 1.1: `y` is a boolean key
  EXPECT_EQ(convert("'1': a\n"), R"({"1":"a"})");
}

TEST(YamlJson, NullOrCollectionKeysAreErrors) {
  EXPECT_NE(convert("~: a\n").find("ERROR"), std::string::npos);
  EXPECT_NE(convert("? [a, b]\n: c\n").find("ERROR"), std::string::npos);
}

TEST(YamlJson, AnchorsAndAliases) {
  EXPECT_EQ(convert("a: &x {k: 1}\nb: *x\nc: &s hello\nd: *s\n"),
            R"({"a":{"k":1},"b":{"k":1},"c":"hello","d":"hello"})");
}

TEST(YamlJson, MergeKeys) {
  // Keys after `<<` override merged ones.
  EXPECT_EQ(convert("base: &b {a: 1, b: 2}\nv:\n  <<: *b\n  b: 3\n"),
            R"({"base":{"a":1,"b":2},"v":{"a":1,"b":3}})");
  // go-yaml v2: a merge overrides a key written before it.
  EXPECT_EQ(convert("base: &b {a: 1}\nv:\n  a: 0\n  <<: *b\n"), R"({"base":{"a":1},"v":{"a":1}})");
  // A list of mappings: the first one wins.
  EXPECT_EQ(convert("p: &p {a: 1}\nq: &q {a: 2, b: 2}\nv:\n  <<: [*p, *q]\n"),
            R"({"p":{"a":1},"q":{"a":2,"b":2},"v":{"a":1,"b":2}})");
  // A quoted `<<` is an ordinary key.
  EXPECT_EQ(convert("v:\n  '<<': 1\n"), R"({"v":{"<<":1}})");
}

TEST(YamlJson, MergeOfAScalarIsAnError) {
  EXPECT_NE(convert("v:\n  <<: 3\n").find("map merge requires map"), std::string::npos);
}

TEST(YamlJson, SyntaxErrorNamesFileLineAndColumn) {
  auto j = yaml_to_json("a: 1\nb: [1, 2\n", "bad.yaml");
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.error().code, ErrorCode::invalid_template);
  EXPECT_NE(j.error().message.find("bad.yaml:"), std::string::npos) << j.error().message;
  EXPECT_NE(j.error().message.find("YAML syntax error"), std::string::npos) << j.error().message;
}

TEST(YamlJson, TabIndentationIsASyntaxError) {
  auto tabbed = yaml_to_json("a:\n  b: 1\nc:\n\td: 1\n\te: 2\n");
  ASSERT_FALSE(tabbed.ok());
  EXPECT_NE(tabbed.error().message.find("line 4 is indented with a TAB"), std::string::npos)
      << tabbed.error().message;
  EXPECT_EQ(yaml_to_json("a: [1\n").error().message.find("TAB"), std::string::npos);
  EXPECT_TRUE(yaml_to_json("a:\n  b: 1\n").ok());
}

TEST(YamlJson, AliasBombIsRefused) {
  std::string yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'f'; ++c) {  // 10^6 leaves
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) yaml += std::string(i ? ", " : "") + "*" + prev;
    yaml += "]\n";
    prev = c;
  }
  auto j = yaml_to_json(yaml);
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find("too large"), std::string::npos);
}

TEST(YamlJson, RecursiveAliasIsRefused) {
  EXPECT_NE(convert("a: &a [*a]\n").find("nested too deeply"), std::string::npos);
  EXPECT_NE(convert("a: &a {b: *a}\n").find("nested too deeply"), std::string::npos);
  EXPECT_NE(convert("a: *nothing\n").find("ERROR: t.yaml:1:4"), std::string::npos);
}

TEST(YamlJson, EmptyDocumentIsNull) { EXPECT_EQ(convert(""), "null"); }

TEST(YamlJson, BlockScalarsAreStrings) {
  EXPECT_EQ(convert("v: |\n  12\n"), R"({"v":"12\n"})");
  EXPECT_EQ(convert("v: >\n  yes\n"), R"({"v":"yes\n"})");
}

TEST(YamlJson, PositionsByPath) {
  auto doc = parse_yaml_document("steps:\n  one:\n    max_retries: abc\nlist:\n  - a\n  - b\n");
  ASSERT_TRUE(doc.ok());
  YamlPosition p = doc->position_of("steps.one.max_retries");
  EXPECT_EQ(p.line, 3);
  EXPECT_EQ(p.column, 18);
  EXPECT_EQ(doc->position_of("list[1]").line, 6);
  // Unknown path: the nearest ancestor's position.
  EXPECT_EQ(doc->position_of("steps.one.nothing").line, 3);
  EXPECT_EQ(doc->position_of("steps.one.nothing").column, 5);
}

struct FloatCase {
  double value;
  const char* text;
};

class Float32G : public ::testing::TestWithParam<FloatCase> {};

TEST_P(Float32G, MatchesGoFormatFloat) { EXPECT_EQ(format_float32_g(GetParam().value), GetParam().text); }

INSTANTIATE_TEST_SUITE_P(
    Table, Float32G,
    ::testing::Values(FloatCase{1.5, "1.5"}, FloatCase{0.1, "0.1"}, FloatCase{3.14159265, "3.1415927"},
                      FloatCase{123456, "123456"}, FloatCase{1e6, "1e+06"},
                      FloatCase{123456789, "1.2345679e+08"}, FloatCase{0.0001, "0.0001"},
                      FloatCase{0.00001, "1e-05"}, FloatCase{-2.5, "-2.5"}, FloatCase{100, "100"},
                      FloatCase{1e21, "1e+21"}, FloatCase{0, "0"}));

TEST(YamlJson, ScalarAsStringForStringFields) {
  EXPECT_EQ(yaml_scalar_as_string(Json(404)), "404");
  EXPECT_EQ(yaml_scalar_as_string(Json(true)), "true");
  EXPECT_EQ(yaml_scalar_as_string(Json(false)), "false");
  EXPECT_EQ(yaml_scalar_as_string(json_number_from_literal("1.50")), "1.5");
  EXPECT_EQ(yaml_scalar_as_string(json_number_from_literal("12345678901234567890")),
            "12345678901234567890");
  EXPECT_EQ(yaml_scalar_as_string(Json(std::numeric_limits<double>::infinity())), ".inf");
}

}  // namespace
}  // namespace utask::model
