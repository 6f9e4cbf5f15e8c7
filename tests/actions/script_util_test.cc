#include "actions/script/script_util.h"

#include <gtest/gtest.h>

namespace utask::actions::scriptutil {
namespace {

TEST(ScriptUtil, ExitCodeEntriesAreIntegersOrRanges) {
  EXPECT_TRUE(validate_exit_codes({}).ok());
  EXPECT_TRUE(validate_exit_codes({"3", "10-20", "0"}).ok());
  struct Case {
    const char* value;
    const char* message;
  } cases[] = {
      {"x", "invalid value \"x\" for exit_codes_unrecoverable, should be an integer, or a range of "
            "integer (e.g: 123, or 120-130)"},
      {"-3", "invalid value \"-3\" for exit_codes_unrecoverable, should be an integer, or a range "
             "of integer (e.g: 123, or 120-130)"},
      {"1-", "invalid value \"1-\" for exit_codes_unrecoverable, should be an integer, or a range "
             "of integer (e.g: 123, or 120-130)"},
      {"20-10", "exit_codes_unrecoverable value \"20-10\" should have end exit_code superior to "
                "start exit_code"},
      {"5-5", "exit_codes_unrecoverable value \"5-5\" should have end exit_code superior to start "
              "exit_code"},
      {"0-5", "exit_codes_unrecoverable cannot map exit code 0 (non-sense)"},
  };
  for (const auto& c : cases) {
    auto r = validate_exit_codes({"1", c.value});
    ASSERT_FALSE(r.ok()) << c.value;
    EXPECT_EQ(r.error().message, c.message);
  }
}

TEST(ScriptUtil, ListedExitCodesAreClientErrors) {
  const std::vector<std::string> codes = {"3", "10-20"};
  for (int code : {3, 10, 15, 20}) {
    const ActionError e = exit_code_error(code, codes, "exit status " + std::to_string(code));
    EXPECT_EQ(e.kind, ErrorKind::client) << code;
    EXPECT_EQ(e.message, "Client error: exit code: " + std::to_string(code) + ": exit status " +
                             std::to_string(code));
  }
  for (int code : {1, 4, 9, 21, -1}) {
    const ActionError e = exit_code_error(code, codes, "whatever");
    EXPECT_EQ(e.kind, ErrorKind::server) << code;
    EXPECT_EQ(e.message, "exit code: " + std::to_string(code));
  }
}

TEST(ScriptUtil, LastLineSkipsOneTrailingNewline) {
  const std::vector<std::string> none;
  struct Case {
    const char* output;
    const char* result;
  } cases[] = {
      {"a\n{\"x\":1}\n", "{\"x\":1}"},
      {"a\n{\"x\":1}", "{\"x\":1}"},
      {"a\n  {\"x\":1}  \n", "{\"x\":1}"},
      {"only line", "only line"},
      {" untrimmed ", " untrimmed "},  // no newline: the whole output as it is
      {"a\n\n", ""},                     // two trailing newlines: the empty line
      {"", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(select_result(c.output, kModeManualLastLine, none), c.result) << c.output;
    EXPECT_EQ(select_result(c.output, kModeAutoResult, none), c.result) << c.output;
  }
  EXPECT_EQ(select_result("a\n{}\n", kModeDisabled, none), "");
}

TEST(ScriptUtil, DelimitersCaptureBetweenTheLastPair) {
  const std::vector<std::string> d = {"<<<", ">>>"};
  EXPECT_EQ(select_result("x <<<{\"a\":1}>>> y", kModeManualDelimiters, d), "{\"a\":1}");
  EXPECT_EQ(select_result("<<<1>>> <<<\n2\n>>>", kModeManualDelimiters, d), "\n2\n");
  EXPECT_EQ(select_result("no delimiters", kModeManualDelimiters, d), "");
  EXPECT_TRUE(validate_delimiters(d).ok());
  auto count = validate_delimiters({"a"});
  ASSERT_FALSE(count.ok());
  EXPECT_EQ(count.error().message, "wrong number of output_manual_delimiters, 2 expected, found 1");
  auto bad = validate_delimiters({"(", "b"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message.rfind("unable to compile output_manual_delimiters regexp: ", 0), 0u);
}

TEST(ScriptUtil, TheResultIsAJsonObject) {
  EXPECT_EQ(to_json_text(parse_result("").value()), "{}");
  EXPECT_EQ(to_json_text(parse_result(R"({"a":1.50})").value()), R"({"a":1.50})");
  EXPECT_FALSE(parse_result("[1]").ok());
  EXPECT_FALSE(parse_result("\"s\"").ok());
  EXPECT_FALSE(parse_result("not json").ok());
}

}  // namespace
}  // namespace utask::actions::scriptutil
