#include "engine/conditions.h"

#include <gtest/gtest.h>

#include "engine/data_tree.h"
#include "harness.h"
#include "values/variables.h"

namespace utask::engine {
namespace {

struct AssertCase {
  const char* value;
  const char* op;
  const char* expected;
  bool holds;
  bool error = false;
};

class Assert : public ::testing::TestWithParam<AssertCase> {
 protected:
  Assert() : variables_(values::Variables::make({})) {
    resolution_.task.input = testing::json(R"({"n":12,"list":"a, b ,c","mail":"john@example.com"})");
    tree_.emplace(resolution_, Json::object(), "default", variables_, cache_);
  }
  ResolutionState resolution_;
  values::Variables variables_;
  TemplateCache cache_;
  std::optional<DataTree> tree_;
};

TEST_P(Assert, Evaluates) {
  const AssertCase& c = GetParam();
  model::Assert a{c.value, c.op, c.expected, ",", ""};
  AssertResult r = evaluate_assert(a, *tree_, nullptr, "");
  EXPECT_EQ(r.error.has_value(), c.error) << (r.error ? *r.error : "");
  if (!c.error) {
    EXPECT_EQ(r.holds, c.holds) << c.value << " " << c.op << " " << c.expected;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, Assert,
    ::testing::Values(
        AssertCase{"{{.input.n}}", "EQ", "12", true}, AssertCase{"{{.input.n}}", "eq", "13", false},
        AssertCase{"{{.input.n}}", "NE", "13", true}, AssertCase{"{{.input.n}}", "NE", "12", false},
        // `<no value>` is removed from both sides.
        AssertCase{"{{.input.missing}}", "EQ", "", true},
        AssertCase{"{{.input.n}}", "GT", "9", true}, AssertCase{"{{.input.n}}", "GT", "12", false},
        AssertCase{"{{.input.n}}", "GE", "12", true}, AssertCase{"{{.input.n}}", "LT", "100", true},
        AssertCase{"{{.input.n}}", "LE", "11", false},
        AssertCase{"1.5", "LT", "2", true},  // doubles compare too (DECISIONS.md)
        AssertCase{"4000000000", "GT", "3000000000", true},  // 64-bit
        AssertCase{"abc", "GT", "2", false, true},
        AssertCase{"{{.input.mail}}", "REGEXP", "@example\\.com$", true},
        AssertCase{"{{.input.mail}}", "NOTREGEXP", "@example\\.com$", false},
        AssertCase{"x", "REGEXP", "(", false, true},
        AssertCase{"{{.input.list}}", "IN", "b", true}, AssertCase{"{{.input.list}}", "IN", "d", false},
        AssertCase{"{{.input.list}}", "NOTIN", "d", true},
        AssertCase{"{{.input.list}}", "NOTIN", "a", false},
        AssertCase{"{{ .input.n.x }}", "EQ", "", false, true},
        AssertCase{"a", "SIMILAR", "a", false, true}));

TEST_F(Assert, RegexpCompiledAfterRenderingFailsFatally) {
  model::Assert a{"x", "REGEXP", "{{ \"(\" }}", ",", ""};
  AssertResult r = evaluate_assert(a, *tree_, nullptr, "");
  ASSERT_TRUE(r.error);
  EXPECT_TRUE(r.fatal);
}

TEST_F(Assert, ListSeparatorIsConfigurable) {
  model::Assert a{"a|b", "IN", "b", "|", ""};
  EXPECT_TRUE(evaluate_assert(a, *tree_, nullptr, "").holds);
  a.list_separator = ",";
  EXPECT_FALSE(evaluate_assert(a, *tree_, nullptr, "").holds);
}

}  // namespace
}  // namespace utask::engine
