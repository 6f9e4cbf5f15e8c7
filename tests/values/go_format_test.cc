#include "values/go_format.h"

#include <gtest/gtest.h>

#include "model/json.h"

namespace utask::values {
namespace {

TEST(GoFormat, FloatVerbsAsGo) {
  // Verified against Go's strconv.FormatFloat.
  struct {
    double d;
    char fmt;
    int prec;
    const char* want;
  } cases[] = {
      {12, 'g', -1, "12"},         {1000000, 'g', -1, "1e+06"},    {1234567, 'g', -1, "1.234567e+06"},
      {0.0001, 'g', -1, "0.0001"}, {0.00001, 'g', -1, "1e-05"},    {3e-7, 'g', -1, "3e-07"},
      {-2.3, 'g', -1, "-2.3"},     {1.0, 'g', -1, "1"},            {0, 'g', -1, "0"},
      {1e21, 'g', -1, "1e+21"},    {123456, 'g', 3, "1.23e+05"},   {100, 'g', 3, "100"},
      {3.14159, 'f', 2, "3.14"},   {2.5, 'f', 0, "2"},             {1234.5678, 'e', 6, "1.234568e+03"},
      {0, 'e', -1, "0e+00"},       {1.5, 'x', -1, "0x1.8p+00"},    {1.5, 'b', -1, "6755399441055744p-52"},
  };
  for (const auto& c : cases) EXPECT_EQ(go_format_float(c.d, c.fmt, c.prec), c.want) << c.d << c.fmt << c.prec;
}

TEST(GoFormat, PrintValueKinds) {
  EXPECT_EQ(go_sprint_value(Value::integer(-3)), "-3");
  EXPECT_EQ(go_sprint_value(Value::floating(1e6)), "1e+06");
  EXPECT_EQ(go_sprint_value(Value::number("1.50")), "1.50");
  EXPECT_EQ(go_sprint_value(Value::boolean(true)), "true");
  EXPECT_EQ(go_sprint_value(Value::nil()), "<nil>");
  EXPECT_EQ(go_sprint_value(Value::from_json(*parse_json(R"({"b":[1,null],"a":"x"})"))), "map[a:x b:[1 <nil>]]");
  EXPECT_EQ(go_sprint_value(Value::bytes("hi")), "[104 105]");
}

TEST(GoFormat, SprintSpacesOnlyBetweenNonStrings) {
  EXPECT_EQ(go_sprint({Value::integer(1), Value::integer(2), Value::string("a"), Value::integer(3)}), "1 2a3");
  EXPECT_EQ(go_sprintln({Value::string("a"), Value::string("b")}), "a b\n");
}

struct PrintfCase {
  const char* format;
  std::vector<Value> args;
  const char* want;
};

TEST(GoFormat, PrintfVerbsFlagsAndErrors) {
  const PrintfCase cases[] = {
      {"%05d|%-4d|%+d|%x|%#o", {Value::integer(-42), Value::integer(7), Value::integer(3), Value::integer(255), Value::integer(8)},
       "-0042|7   |+3|ff|010"},
      {"%8.3f|%-8.2e|%g", {Value::floating(3.14159), Value::floating(1234.5), Value::floating(0.00001)},
       "   3.142|1.23e+03|1e-05"},
      {"%q %5.2s %x", {Value::string("a\"b"), Value::string("abc"), Value::string("hi")}, "\"a\\\"b\"    ab 6869"},
      {"%c %U %#U", {Value::integer(65), Value::integer(0x1F600), Value::integer(65)}, "A U+1F600 U+0041 'A'"},
      {"%d", {Value::string("x")}, "%!d(string=x)"},
      {"%d %d", {Value::integer(1)}, "1 %!d(MISSING)"},
      {"x", {Value::integer(1), Value::string("a")}, "x%!(EXTRA int=1, string=a)"},
      {"%[2]d %[1]d|%[3]d", {Value::integer(1), Value::integer(2)}, "2 1|%!d(BADINDEX)"},
      {"%*d|%.*f", {Value::integer(4), Value::integer(1), Value::integer(1), Value::floating(2.25)}, "   1|2.2"},
      {"%!", {}, "%!!(MISSING)"},
      {"%", {}, "%!(NOVERB)"},
      {"%T %T %T", {Value::number("1"), Value::list({}), Value::nil()}, "json.Number []interface {} <nil>"},
      {"%v %d", {Value::number("12"), Value::number("12")}, "12 %!d(json.Number=12)"},
  };
  for (const auto& c : cases) EXPECT_EQ(go_sprintf(c.format, c.args), c.want) << c.format;
}

TEST(GoFormat, QuoteAsStrconv) {
  EXPECT_EQ(go_quote_string("a\tb\n\"é\x01"), "\"a\\tb\\n\\\"é\\x01\"");
  EXPECT_EQ(go_quote_ascii("é"), "\"\\u00e9\"");
  EXPECT_EQ(go_quote_string("\xff"), "\"\\xff\"");
  EXPECT_EQ(go_quote_rune('\''), "'\\''");
}

TEST(GoFormat, TimeForms) {
  Time t{1700000000, 123000000, 0, "UTC"};
  EXPECT_EQ(time_string(t), "2023-11-14 22:13:20.123 +0000 UTC");
  EXPECT_EQ(time_rfc3339(t), "2023-11-14T22:13:20.123Z");
  Time cet{1700000000, 0, 3600, "CET"};
  EXPECT_EQ(time_string(cet), "2023-11-14 23:13:20 +0100 CET");
  EXPECT_EQ(time_rfc3339(cet), "2023-11-14T23:13:20+01:00");
}

}  // namespace
}  // namespace utask::values
