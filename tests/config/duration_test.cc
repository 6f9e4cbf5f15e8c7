#include "config/duration.h"

#include <gtest/gtest.h>

#include <chrono>

namespace utask::config {
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
    EXPECT_NE(d.error().message.find("invalid duration \"" + std::string(c) + "\""), std::string::npos)
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

}  // namespace
}  // namespace utask::config
