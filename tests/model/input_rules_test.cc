// Input rules (engine.md §1.2): definition checks at template time and value checks at task
// creation, each with a passing and a failing case.

#include "model/input_rules.h"

#include <gtest/gtest.h>

namespace utask::model {
namespace {

Json j(const char* text) {
  auto v = parse_json(text);
  EXPECT_TRUE(v.ok()) << text;
  return v.ok() ? *v : Json();
}

Input input(const char* name, const char* type = "string") {
  Input in;
  in.name = name;
  in.type_name = type;
  parse_input_type(type, in.type);
  return in;
}

std::vector<Json> values(const char* json_array) {
  std::vector<Json> out;
  for (const auto& v : j(json_array)) out.push_back(v);
  return out;
}

// --- definitions ---

TEST(InputDefinition, PlainInputIsValid) { EXPECT_TRUE(check_input_definition(input("a")).empty()); }

TEST(InputDefinition, RegexAndLegalValuesTogether) {
  Input in = input("a");
  in.regex = "^a$";
  EXPECT_TRUE(check_input_definition(in).empty());
  in.legal_values = values(R"(["a"])");
  EXPECT_EQ(check_input_definition(in),
            std::vector<std::string>{"Invalid input 'a': both regex and legal value list configured"});
}

TEST(InputDefinition, RegexMustCompile) {
  Input in = input("a");
  in.regex = "(unclosed";
  EXPECT_EQ(check_input_definition(in), std::vector<std::string>{"Invalid regex for input 'a'"});
}

TEST(InputDefinition, TypeMustBeKnown) {
  for (const char* ok : {"", "string", "password", "bool", "number"}) {
    EXPECT_TRUE(check_input_definition(input("a", ok)).empty()) << ok;
  }
  EXPECT_EQ(check_input_definition(input("a", "boolean")),
            std::vector<std::string>{
                "Invalid input type 'boolean': must be either [string password bool number]"});
}

TEST(InputDefinition, LegalValuesMustMatchTheType) {
  Input in = input("n", "number");
  in.legal_values = values("[1, 2.5]");
  EXPECT_TRUE(check_input_definition(in).empty());
  in.legal_values = values(R"([1, "two"])");
  EXPECT_EQ(check_input_definition(in), std::vector<std::string>{"Invalid value 'n': expected a number"});
}

TEST(InputDefinition, DefaultMustMatchTheTypeAndTheRules) {
  Input in = input("b", "bool");
  in.default_value = Json(true);
  EXPECT_TRUE(check_input_definition(in).empty());
  in.default_value = Json("yes");
  EXPECT_EQ(check_input_definition(in), std::vector<std::string>{"Invalid value 'b': expected a boolean"});

  Input s = input("s");
  s.legal_values = values(R"(["x", "y"])");
  s.default_value = Json("z");
  EXPECT_EQ(check_input_definition(s),
            std::vector<std::string>{"Invalid input 's': 'z' is not a legal value ([x y])"});
  s.default_value = Json("y");
  EXPECT_TRUE(check_input_definition(s).empty());
}

TEST(InputDefinition, CollectionWithListDefaultNeverValidates) {
  // The original checks the default's type on the default itself ([quirk], engine.md §1.2).
  Input in = input("c");
  in.collection = true;
  in.default_value = j(R"(["a"])");
  EXPECT_EQ(check_input_definition(in), std::vector<std::string>{"Invalid value 'c': expected a string"});
}

TEST(InputDefinition, AllProblemsAreReported) {
  Input in = input("a", "weird");
  in.regex = "(";
  in.legal_values = values(R"(["x"])");
  EXPECT_EQ(check_input_definition(in).size(), 3u);
}

// --- values ---

TEST(InputValues, MissingRequiredInput) {
  auto r = validate_input_values({input("a")}, j("{}"), false);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message, "Missing input 'a'");
  EXPECT_EQ(r.errors[0].code, ErrorCode::invalid_input);
  EXPECT_EQ(r.errors[0].field, "a");
  EXPECT_TRUE(validate_input_values({input("a")}, j(R"({"a": "x"})"), false).ok());
}

TEST(InputValues, NullAndEmptyCountAsMissing) {
  EXPECT_FALSE(validate_input_values({input("a")}, j(R"({"a": null})"), false).ok());
  EXPECT_FALSE(validate_input_values({input("a")}, j(R"({"a": ""})"), false).ok());
  EXPECT_FALSE(validate_input_values({input("a")}, Json(), false).ok());
}

TEST(InputValues, OptionalInputMayBeMissing) {
  Input in = input("a");
  in.optional = true;
  auto r = validate_input_values({in}, j("{}"), false);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(to_json_text(r.values), "{}");
}

TEST(InputValues, DefaultsFillMissingNullAndEmpty) {
  Input in = input("a");
  in.default_value = Json("dflt");
  for (const char* given : {"{}", R"({"a": null})", R"({"a": ""})"}) {
    auto r = validate_input_values({in}, j(given), false);
    EXPECT_TRUE(r.ok()) << given;
    EXPECT_EQ(to_json_text(r.values), R"({"a":"dflt"})") << given;
  }
  // An empty-string default is a default (input.yaml's `foo`).
  Input e = input("foo");
  e.optional = true;
  e.default_value = Json("");
  EXPECT_EQ(to_json_text(validate_input_values({e}, j("{}"), false).values), R"({"foo":""})");
  auto given = validate_input_values({in}, j(R"({"a": "mine"})"), false);
  EXPECT_EQ(to_json_text(given.values), R"({"a":"mine"})");
}

TEST(InputValues, UndeclaredInputsDroppedOrKept) {
  auto dropped = validate_input_values({input("a")}, j(R"({"a": "x", "b": 1})"), false);
  EXPECT_EQ(to_json_text(dropped.values), R"({"a":"x"})");
  auto kept = validate_input_values({input("a")}, j(R"({"a": "x", "b": 1})"), true);
  EXPECT_EQ(to_json_text(kept.values), R"({"a":"x","b":1})");
}

TEST(InputValues, TypeChecks) {
  struct Case {
    const char* type;
    const char* good;
    const char* bad;
    const char* message;
  } cases[] = {
      {"string", R"("s")", "1", "Invalid value 'v': expected a string"},
      {"password", R"("s")", "true", "Invalid value 'v': expected a string"},
      {"bool", "false", R"("true")", "Invalid value 'v': expected a boolean"},
      {"number", "-2.3", R"("1")", "Invalid value 'v': expected a number"},
  };
  for (const auto& c : cases) {
    Input in = input("v", c.type);
    EXPECT_TRUE(check_input_value(in, j(c.good)).ok()) << c.type;
    auto bad = check_input_value(in, j(c.bad));
    ASSERT_FALSE(bad.ok()) << c.type;
    EXPECT_EQ(bad.error().message, c.message);
  }
}

TEST(InputValues, CollectionMustBeAnArrayOfValidValues) {
  Input in = input("c");
  in.collection = true;
  EXPECT_TRUE(check_input_value(in, j(R"(["a", "b"])")).ok());
  EXPECT_EQ(check_input_value(in, j(R"("a")")).error().message, "Input 'c' is expected to be an array");
  EXPECT_EQ(check_input_value(in, j(R"(["a", 2])")).error().message, "Invalid value 'c': expected a string");
}

TEST(InputValues, LegalValues) {
  Input in = input("mode");
  in.legal_values = values(R"(["dry", "wet"])");
  EXPECT_TRUE(check_input_value(in, Json("dry")).ok());
  EXPECT_EQ(check_input_value(in, Json("damp")).error().message,
            "Invalid input 'mode': 'damp' is not a legal value ([dry wet])");
}

TEST(InputValues, NumericLegalValuesMatchNumerically) {
  Input in = input("n", "number");
  in.legal_values = values("[5, 7.5]");
  EXPECT_TRUE(check_input_value(in, j("5.0")).ok());
  EXPECT_TRUE(check_input_value(in, j("5")).ok());
  EXPECT_TRUE(check_input_value(in, j("7.50")).ok());
  EXPECT_EQ(check_input_value(in, j("6")).error().message,
            "Invalid input 'n': '6' is not a legal value ([5 7.5])");
}

TEST(InputValues, LegalValuesKeepTheJsonType) {
  Input in = input("s");
  in.legal_values = values(R"(["5"])");
  EXPECT_TRUE(check_input_value(in, Json("5")).ok());
  Input any = input("s", "weird");  // unknown type: no type check, the legal value still typed
  any.legal_values = values(R"(["5"])");
  EXPECT_FALSE(check_input_value(any, j("5")).ok());
}

TEST(InputValues, RegexIsAnUnanchoredSearch) {
  Input in = input("id");
  in.regex = "[0-9]{3}";
  EXPECT_TRUE(check_input_value(in, Json("ab123cd")).ok());
  EXPECT_EQ(check_input_value(in, Json("ab12")).error().message,
            "Invalid input 'id': 'ab12' doesnt comply with regex '[0-9]{3}'");
  Input num = input("n", "number");
  num.regex = "^1\\.50$";  // matched on the number's text as written
  EXPECT_TRUE(check_input_value(num, j("1.50")).ok());
  EXPECT_FALSE(check_input_value(num, j("1.5")).ok());
}

TEST(InputValues, DoubleQuotesRefusedWithoutRegexOrLegalValues) {
  Input in = input("t");
  EXPECT_TRUE(check_input_value(in, Json("it's fine")).ok());
  EXPECT_EQ(check_input_value(in, Json("say \"hi\"")).error().message,
            "Invalid input 't': cannot contain double quotes");
  in.regex = ".*";
  EXPECT_TRUE(check_input_value(in, Json("say \"hi\"")).ok());
}

TEST(InputValues, TooLongValue) {
  Input in = input("t");
  EXPECT_TRUE(check_input_value(in, Json(std::string(100000, 'x'))).ok());
  EXPECT_EQ(check_input_value(in, Json(std::string(100001, 'x'))).error().message,
            "Invalid input 't': value can't be longer than 100000");
}

TEST(InputValues, EveryFailingFieldIsReported) {
  Input n = input("n", "number");
  Input s = input("s");
  s.legal_values = values(R"(["a"])");
  Input ok = input("ok");
  auto r = validate_input_values({input("missing"), n, s, ok},
                                 j(R"({"n": "x", "s": "b", "ok": "fine"})"), false);
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].message, "Missing input 'missing'");
  EXPECT_EQ(r.errors[1].field, "n");
  EXPECT_EQ(r.errors[2].field, "s");
}

TEST(InputValues, GivenMustBeAnObject) {
  auto r = validate_input_values({input("a")}, j("[1]"), false);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].code, ErrorCode::invalid_input);
}

TEST(GoValueText, FormatsLikeGoPercentV) {
  EXPECT_EQ(format_go_value(Json("s")), "s");
  EXPECT_EQ(format_go_value(j("12345678")), "12345678");
  EXPECT_EQ(format_go_value(j("1.50")), "1.50");
  EXPECT_EQ(format_go_value(Json(true)), "true");
  EXPECT_EQ(format_go_value(Json()), "<nil>");
  EXPECT_EQ(format_go_value(j(R"(["a", 1, [true]])")), "[a 1 [true]]");
  EXPECT_EQ(format_go_value(j(R"({"b": 1, "a": "x"})")), "map[a:x b:1]");
}

}  // namespace
}  // namespace utask::model
