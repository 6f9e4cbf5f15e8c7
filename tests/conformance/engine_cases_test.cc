// Conformance: every engine case of the original's suite (original/expectations.json,
// EXPECTATIONS.md) run through the engine with LocalRunner, as the original's harness drives
// its engine: create (task + resolution in TODO), run, check; interactive scenarios edit the
// stored resolution between runs as the original's tests do.
//
// Here: the non-interactive entries, checked generically from their `expect` (and `derived`)
// members, plus the few members the checker does not know. Interactive entries are in
// engine_interactive_test.cc. Cases needing an action that does not exist yet are skipped
// with a message naming it (tests/conformance/README.md lists them).

#include "engine_cases.h"

namespace utask::engine {
namespace {

using conformance::check;
using conformance::check_all;
using conformance::entry;
using conformance::expectations;
using conformance::missing_actions;
using testing::create;
using testing::Fixture;
using testing::json;

// ---- non-interactive entries, generically ----

class Case : public ::testing::TestWithParam<std::string> {};

TEST_P(Case, Runs) {
  const Json& e = entry(GetParam());
  const std::string file = e["template"];
  SKIP_IF_ACTION_MISSING(file);
  auto f = create(file, e["inputs"], e["resolver_inputs"]);
  ASSERT_TRUE(f.ok()) << f.error().message;
  if (e["expect"].contains("before_run")) check(*f, e["expect"]["before_run"], "before run");
  auto report = f->run();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ran);
  conformance::g_facts = 0;
  check_all(*f, e["expect"], GetParam());
  EXPECT_GE(conformance::g_facts, 2) << "the expectation compares almost nothing";
}

std::vector<std::string> generic_cases() {
  std::vector<std::string> names;
  for (const auto& e : expectations()) {
    if (e["template"].is_null() || e.value("interactive", false)) continue;
    if (e["expect"].value("create_only", false)) continue;  // linting_test.cc
    names.push_back(e["name"]);
  }
  return names;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (auto& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Original, Case, ::testing::ValuesIn(generic_cases()), test_name);

// Extra members of some non-interactive entries.
TEST(CaseDetails, ForeachChildren) {
  auto f = create("foreach.yaml", json(R"({"list":["a","b","c"]})"));
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->run().ok());
  const Json& children = f->step("concatItems").children;
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0]["output"]["concat"], "foo-b-bar-b");
  EXPECT_EQ(to_json_text(children[0]["metadata"]["iterator"]["output"]),
            R"({"bar":"bar-b","foo":"foo-b"})");
}

TEST(CaseDetails, JsonTemplatingKeepsStrings) {
  const Json& e = entry("TestJSONTemplating");
  auto f = create("jsonTemplating.yaml", e["inputs"]);
  ASSERT_TRUE(f.ok()) << f.error().message;
  ASSERT_TRUE(f->run().ok());
  const Json& out = f->step("stepOne").output;
  EXPECT_EQ(out["raw-multiline"], e["inputs"]["multilineString"]);
  ASSERT_TRUE(out["my-json-body"].is_string());
  auto body = parse_json(out["my-json-body"].get<std::string>());
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_TRUE(body->is_object());
  EXPECT_EQ((*body)["singleMarshalled"], "hello");
}

TEST(CaseDetails, JsonNumbersStayLiteral) {
  auto f = create("jsonnumber.yaml", nullptr);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->run().ok());
  EXPECT_EQ(f->step("loopStep").children.at(0)["output"], "/id/1619464078");
}

TEST(CaseDetails, BaseConfigurationsMergeUnderTheConfiguration) {
  auto f = create("base_configuration.yaml", nullptr);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE(f->run().ok());
  for (const char* name : {"stepOne", "stepTwo"}) {
    EXPECT_EQ(f->step(name).definition.action.base_configuration, "testingcfg");
    EXPECT_EQ(f->step(name).output, f->resolution.base_configurations["testingcfg"]["output"]);
  }
  EXPECT_NE(f->step("stepOne").error, f->step("stepTwo").error);
}

}  // namespace
}  // namespace utask::engine
