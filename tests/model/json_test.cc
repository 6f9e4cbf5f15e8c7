#include "model/json.h"

#include <gtest/gtest.h>

namespace utask {
namespace {

TEST(Json, FloatsKeepTheirLiteralText) {
  auto j = parse_json(R"({"a": 1.50, "b": 1e3, "c": 2.5, "d": 123456789012345678901})");
  ASSERT_TRUE(j.ok()) << j.error().message;
  EXPECT_EQ(to_json_text(*j), R"({"a":1.50,"b":1e3,"c":2.5,"d":123456789012345678901})");
  EXPECT_EQ(json_number_text((*j)["a"]), "1.50");
  EXPECT_DOUBLE_EQ((*j)["a"].get<double>(), 1.5);
}

TEST(Json, IntegersStayIntegers) {
  auto j = parse_json(R"([12, -3, 12345678901234567890])");
  ASSERT_TRUE(j.ok());
  EXPECT_TRUE((*j)[0].is_number_integer());
  EXPECT_TRUE((*j)[2].is_number_unsigned());
  EXPECT_EQ(to_json_text(*j), "[12,-3,12345678901234567890]");
}

TEST(Json, ComputedFloatsUseGoJsonForm) {
  EXPECT_EQ(format_json_double(1e21), "1e+21");
  EXPECT_EQ(format_json_double(3e-7), "3e-7");
  EXPECT_EQ(format_json_double(0.00001), "0.00001");
  EXPECT_EQ(format_json_double(1234567), "1234567");
  EXPECT_EQ(format_json_double(-2.3), "-2.3");
  EXPECT_EQ(format_json_double(1.0), "1");
  EXPECT_EQ(to_json_text(Json(0.1)), "0.1");
}

TEST(Json, LiteralNumbersFromText) {
  EXPECT_TRUE(json_number_from_literal("42").is_number_integer());
  EXPECT_EQ(json_number_text(json_number_from_literal("1.50")), "1.50");
  EXPECT_EQ(json_number_text(json_number_from_literal("18446744073709551616")), "18446744073709551616");
}

TEST(Json, TrailingGarbageIsAnError) {
  auto j = parse_json("[1,2] junk");
  ASSERT_FALSE(j.ok());
  EXPECT_NE(j.error().message.find("malformed JSON"), std::string::npos);
  EXPECT_FALSE(parse_json("{\"a\":").ok());
  // Out of double range: an error, not an exception.
  auto huge = parse_json("[1e400]");
  ASSERT_FALSE(huge.ok());
  EXPECT_NE(huge.error().message.find("number overflow"), std::string::npos) << huge.error().message;
}

TEST(Json, EqualityIsByValue) {
  EXPECT_EQ(*parse_json("1.50"), *parse_json("1.5"));
  EXPECT_EQ(*parse_json(R"({"x":[1,"a"]})"), (Json{{"x", {1, "a"}}}));
}

}  // namespace
}  // namespace utask
