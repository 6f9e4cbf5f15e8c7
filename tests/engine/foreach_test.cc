#include "engine/foreach.h"

#include <gtest/gtest.h>

#include "harness.h"

namespace utask::engine {
namespace {

using testing::json;

TEST(ForeachItems, ArraysAndNull) {
  EXPECT_EQ(to_json_text(parse_foreach_items("[1,\"a\",{\"b\":2}]").value()), R"([1,"a",{"b":2}])");
  EXPECT_EQ(to_json_text(parse_foreach_items("null").value()), "[]");
}

TEST(ForeachItems, OtherValuesAndGarbageAreErrors) {
  auto object = parse_foreach_items(R"({"a":1})");
  ASSERT_FALSE(object.ok());
  EXPECT_EQ(object.error().message, "json: cannot unmarshal object into Go value of type []interface {}");
  EXPECT_FALSE(parse_foreach_items("\"s\"").ok());
  EXPECT_FALSE(parse_foreach_items("[1,2] junk").ok());  // DECISIONS.md: no trailing garbage
}

TEST(Foreach, ExpandsRunsAndCollectsChildren) {
  auto tmpl = testing::template_from_yaml(R"(
name: test-template
description: test template
title_format: title
inputs: [{name: items, collection: true}]
steps:
  loop:
    description: loop
    foreach: '{{ .input.items | toJson }}'
    foreach_strategy: sequence
    action: {type: echo, configuration: {output: {v: "x{{.iterator}}"}, metadata: {m: 1}}}
  after:
    description: after
    dependencies: [loop]
    action: {type: echo, configuration: {output: "{{ len .step.loop.children }}"}}
)");
  ASSERT_TRUE(tmpl.ok()) << tmpl.error().message;
  auto f = testing::create_from(std::move(*tmpl), json(R"({"items":["a","b"]})"));
  ASSERT_TRUE(f.ok()) << f.error().message;

  std::vector<std::string> order;
  auto report = f->run([&](const Execution& e) {
    order.push_back(e.step_name);
    return e.action->execute(e.request());
  });
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(order, (std::vector<std::string>{"loop-0", "loop-1", "after"}));
  EXPECT_EQ(f->resolution.state, "DONE");
  EXPECT_FALSE(f->resolution.steps.count("loop-0"));
  const StepState& loop = f->step("loop");
  EXPECT_EQ(loop.state, "DONE");
  EXPECT_TRUE(loop.definition.dependencies.empty());
  EXPECT_TRUE(loop.children_steps.empty());
  EXPECT_EQ(to_json_text(loop.children),
            R"([{"metadata":{"iterator":"a","m":1},"output":{"v":"xa"},"state":"DONE"},)"
            R"({"metadata":{"iterator":"b","m":1},"output":{"v":"xb"},"state":"DONE"}])");
  EXPECT_EQ(to_json_text(f->step("after").output), "\"2\"");
  // The checkpoints removed the children's rows.
  bool removed = false;
  for (const auto& c : report->checkpoints) removed = removed || c.removed_steps.count("loop-1");
  EXPECT_TRUE(removed);
}

TEST(Foreach, BadExpressionIsFatal) {
  auto tmpl = testing::template_from_yaml(R"(
name: test-template
description: test template
title_format: title
steps:
  loop:
    description: loop
    foreach: '{"a":1}'
    action: {type: echo, configuration: {output: x}}
)");
  ASSERT_TRUE(tmpl.ok()) << tmpl.error().message;
  auto f = testing::create_from(std::move(*tmpl), Json::object());
  ASSERT_TRUE(f->run().ok());
  EXPECT_EQ(f->step("loop").state, "FATAL_ERROR");
  EXPECT_EQ(f->step("loop").error, "json: cannot unmarshal object into Go value of type []interface {}");
  EXPECT_EQ(f->resolution.state, "BLOCKED_FATAL");
}

}  // namespace
}  // namespace utask::engine
