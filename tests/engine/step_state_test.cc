#include "engine/step_state.h"

#include <gtest/gtest.h>

#include "engine/resolution_state.h"
#include "harness.h"

namespace utask::engine {
namespace {

using testing::json;

TEST(StepJson, RoundTripsRuntimeFields) {
  StepState s;
  s.definition.name = "loop-1";
  s.definition.description = "1 - loop";
  s.definition.action.type = "echo";
  s.definition.action.configuration = json(R"({"output":{"n":1.50}})");
  s.definition.action.output = model::OutputSpec{"merge", json(R"({"a":"b"})")};
  s.definition.dependencies = {"x", "loop-0"};
  s.definition.max_retries = 3;
  model::Condition c;
  c.type = "check";
  c.if_.push_back({"{{.iterator}}", "EQ", "2", ",", ""});
  c.then["this"] = "PRUNE";
  s.definition.conditions.push_back(c);
  s.state = "SERVER_ERROR";
  s.output = json(R"({"n":12345678912345})");
  s.error = "boom";
  s.try_count = 2;
  s.last_run = testing::fixed_now();
  s.is_child = true;
  s.item = 2;
  s.tags["k"] = "v";

  const Json j = step_to_json(s);
  EXPECT_EQ(j["state"], "SERVER_ERROR");
  EXPECT_EQ(to_json_text(j["action"]["configuration"]), R"({"output":{"n":1.50}})");
  EXPECT_EQ(j["last_run"], "2027-01-15T08:00:00Z");
  auto back = step_from_json(j);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(to_json_text(step_to_json(*back)), to_json_text(j));
  EXPECT_EQ(back->item, 2);
  EXPECT_TRUE(back->is_child);
  EXPECT_EQ(back->definition.conditions.at(0).then.at("this"), "PRUNE");
}

TEST(StepJson, OmitsEmptyFieldsAndWritesTheZeroDate) {
  StepState s;
  s.definition.name = "a";
  s.definition.action.type = "echo";
  const Json j = step_to_json(s);
  EXPECT_FALSE(j.contains("output"));
  EXPECT_FALSE(j.contains("error"));
  EXPECT_FALSE(j.contains("item"));
  EXPECT_EQ(j["last_run"], "0001-01-01T00:00:00Z");
  auto back = step_from_json(j);
  ASSERT_TRUE(back.ok());
  EXPECT_FALSE(back->last_run.has_value());
}

TEST(StepJson, RejectsWronglyTypedFields) {
  auto r = step_from_json(json(R"({"name":"a","try_count":"two"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("try_count"), std::string::npos);
  EXPECT_FALSE(step_from_json(json("[1]")).ok());
}

TEST(Time, FormatsAndParsesRfc3339) {
  const Time t = testing::fixed_now() + std::chrono::microseconds(120);
  EXPECT_EQ(format_time(t), "2027-01-15T08:00:00.00012Z");
  auto back = parse_time("2027-01-15T09:00:00.00012+01:00");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, t);
  EXPECT_FALSE(parse_time("yesterday").ok());
}

}  // namespace
}  // namespace utask::engine
