#include "model/go_duration.h"

#include <gtest/gtest.h>

#include <chrono>

namespace utask::model {
namespace {

using std::chrono::nanoseconds;
using namespace std::chrono_literals;

struct Good {
  const char* text;
  nanoseconds expected;
};

TEST(GoDuration, AcceptsGoSyntax) {
  const Good cases[] = {
      {"0", 0ns},           {"+0", 0ns},         {"-0", 0ns},
      {"720h", 720h},       {"1m30s", 90s},      {"0.5s", 500ms},
      {"-1h", -1h},         {"+5s", 5s},         {"1h2m3s4ms5us6ns", 1h + 2min + 3s + 4ms + 5us + 6ns},
      {"10\xC2\xB5s", 10us}, {"10\xCE\xBCs", 10us}, {"7us", 7us},
      {".5m", 30s},         {"1.s", 1s},         {"1.0000000001s", 1s},
      {"100ns", 100ns},     {"1.5h", 90min},     {"2562047h47m16.854775807s", nanoseconds(INT64_MAX)},
      {"-2562047h47m16.854775808s", nanoseconds(INT64_MIN)},
  };
  for (const auto& c : cases) {
    auto d = parse_go_duration(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.error().message;
    EXPECT_EQ(d->count(), c.expected.count()) << c.text;
  }
}

TEST(GoDuration, RejectsOthers) {
  const char* cases[] = {"",    "3 days", "1d",   "10",   "s",     "-",  ".s", "1.5",
                         "1hh", "1h 2m",  " 1h",  "h1",   "1e3s",  "2562047h47m16.854775808s",
                         "9223372036854775808ns", "1x"};
  for (const char* c : cases) {
    auto d = parse_go_duration(c);
    ASSERT_FALSE(d.ok()) << c;
    EXPECT_NE(d.error().message.find("duration \"" + std::string(c) + "\""), std::string::npos)
        << d.error().message;
  }
}

TEST(GoDuration, FormatsLikeGo) {
  EXPECT_EQ(format_go_duration(720h), "720h0m0s");
  EXPECT_EQ(format_go_duration(90s), "1m30s");
  EXPECT_EQ(format_go_duration(1s), "1s");
  EXPECT_EQ(format_go_duration(1500ms), "1.5s");
  EXPECT_EQ(format_go_duration(500ms), "500ms");
  EXPECT_EQ(format_go_duration(1500us), "1.5ms");
  EXPECT_EQ(format_go_duration(10us), "10\xC2\xB5s");
  EXPECT_EQ(format_go_duration(0ns), "0s");
  EXPECT_EQ(format_go_duration(-1h), "-1h0m0s");
  EXPECT_EQ(format_go_duration(12ns), "12ns");
}

TEST(GoDuration, FormatThenParseRoundTrips) {
  for (nanoseconds d : {nanoseconds(1), nanoseconds(999), nanoseconds(123456789012345),
                        nanoseconds(-98765), nanoseconds(INT64_MAX)}) {
    auto back = parse_go_duration(format_go_duration(d));
    ASSERT_TRUE(back.ok()) << format_go_duration(d);
    EXPECT_EQ(back->count(), d.count());
  }
}

struct DurationCase {
  const char* text;
  int64_t ns;
};

class GoDurationTable : public ::testing::TestWithParam<DurationCase> {};

TEST_P(GoDurationTable, Parses) {
  auto d = parse_go_duration(GetParam().text);
  ASSERT_TRUE(d.ok()) << GetParam().text << ": " << d.error().message;
  EXPECT_EQ(d->count(), GetParam().ns);
}

INSTANTIATE_TEST_SUITE_P(
    Table, GoDurationTable,
    ::testing::Values(DurationCase{"0", 0}, DurationCase{"10s", 10'000'000'000},
                      DurationCase{"300ms", 300'000'000}, DurationCase{"1m30s", 90'000'000'000},
                      DurationCase{"1.5h", 5'400'000'000'000}, DurationCase{"-2s", -2'000'000'000},
                      DurationCase{"+1us", 1000}, DurationCase{"1\u00b5s", 1000},
                      DurationCase{"7ns", 7}, DurationCase{".5s", 500'000'000},
                      DurationCase{"1h2m3s4ms", 3'723'004'000'000}));

TEST(GoDurationErrors, CarryGoText) {
  EXPECT_EQ(parse_go_duration("abc").error().message, "time: invalid duration \"abc\"");
  EXPECT_EQ(parse_go_duration("").error().message, "time: invalid duration \"\"");
  EXPECT_EQ(parse_go_duration("10").error().message, "time: missing unit in duration \"10\"");
  EXPECT_EQ(parse_go_duration("1d").error().message, "time: unknown unit \"d\" in duration \"1d\"");
  EXPECT_EQ(parse_go_duration("9999999999h").error().message,
            "time: invalid duration \"9999999999h\"");
  EXPECT_FALSE(parse_go_duration(".s").ok());
}

}  // namespace
}  // namespace utask::model
