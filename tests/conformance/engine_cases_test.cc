// Conformance: every engine case of the original's suite (original/expectations.json,
// EXPECTATIONS.md) run as the original's harness drives its engine — create (task +
// resolution in TODO), run, check — on every driver (conformance_driver.h): the pure engine
// with LocalRunner, and the actors runtime over SQLite and over Postgres.
//
// Here: the non-interactive entries, checked generically from their `expect` (and `derived`)
// members, plus the few members the checker does not know. Interactive entries are in
// engine_interactive_test.cc and child_tasks_test.cc.

#include <tuple>

#include "engine_cases.h"

namespace utask::engine {
namespace {

using conformance::all_drivers;
using conformance::check;
using conformance::check_all;
using conformance::Driver;
using conformance::driver_name;
using conformance::DriverKind;
using conformance::entry;
using conformance::expectations;
using conformance::make_driver;
using testing::json;

// ---- non-interactive entries, generically ----

class Case : public ::testing::TestWithParam<std::tuple<std::string, DriverKind>> {};

TEST_P(Case, Runs) {
  const auto& [name, kind] = GetParam();
  const Json& e = entry(name);
  const std::string file = e["template"];
  auto d = make_driver(kind);
  auto created = d->create(file, e["inputs"], e["resolver_inputs"]);
  ASSERT_TRUE(created.ok()) << created.error().message;
  if (e["expect"].contains("before_run")) check(d->resolution(), e["expect"]["before_run"], "before run");
  auto report = d->run();
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->ran);
  conformance::g_facts = 0;
  check_all(d->resolution(), e["expect"], name);
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

std::string test_name(const ::testing::TestParamInfo<std::tuple<std::string, DriverKind>>& info) {
  std::string n = std::get<0>(info.param) + "_" + driver_name(std::get<1>(info.param));
  for (auto& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Original, Case,
                         ::testing::Combine(::testing::ValuesIn(generic_cases()),
                                            ::testing::ValuesIn(all_drivers())),
                         test_name);

// Extra members of some non-interactive entries.
class CaseDetails : public ::testing::TestWithParam<DriverKind> {
 protected:
  void SetUp() override { d = make_driver(GetParam()); }
  // Creates and runs `file` once.
  void create_and_run(const std::string& file, const Json& inputs) {
    auto created = d->create(file, inputs);
    ASSERT_TRUE(created.ok()) << created.error().message;
    auto ran = d->run();
    ASSERT_TRUE(ran.ok()) << ran.error().message;
  }
  std::unique_ptr<Driver> d;
};

TEST_P(CaseDetails, ForeachChildren) {
  ASSERT_NO_FATAL_FAILURE(create_and_run("foreach.yaml", json(R"({"list":["a","b","c"]})")));
  const Json children = d->step("concatItems").children;
  ASSERT_EQ(children.size(), 1u);
  EXPECT_EQ(children[0]["output"]["concat"], "foo-b-bar-b");
  EXPECT_EQ(to_json_text(children[0]["metadata"]["iterator"]["output"]),
            R"({"bar":"bar-b","foo":"foo-b"})");
}

TEST_P(CaseDetails, JsonTemplatingKeepsStrings) {
  const Json& e = entry("TestJSONTemplating");
  ASSERT_NO_FATAL_FAILURE(create_and_run("jsonTemplating.yaml", e["inputs"]));
  const Json out = d->step("stepOne").output;
  EXPECT_EQ(out["raw-multiline"], e["inputs"]["multilineString"]);
  ASSERT_TRUE(out["my-json-body"].is_string());
  auto body = parse_json(out["my-json-body"].get<std::string>());
  ASSERT_TRUE(body.ok()) << body.error().message;
  EXPECT_TRUE(body->is_object());
  EXPECT_EQ((*body)["singleMarshalled"], "hello");
}

TEST_P(CaseDetails, JsonNumbersStayLiteral) {
  ASSERT_NO_FATAL_FAILURE(create_and_run("jsonnumber.yaml", nullptr));
  EXPECT_EQ(d->step("loopStep").children.at(0)["output"], "/id/1619464078");
}

TEST_P(CaseDetails, BaseConfigurationsMergeUnderTheConfiguration) {
  ASSERT_NO_FATAL_FAILURE(create_and_run("base_configuration.yaml", nullptr));
  const ResolutionState r = d->resolution();
  for (const char* name : {"stepOne", "stepTwo"}) {
    EXPECT_EQ(r.steps.at(name).definition.action.base_configuration, "testingcfg");
    EXPECT_EQ(r.steps.at(name).output, r.base_configurations["testingcfg"]["output"]);
  }
  EXPECT_NE(r.steps.at("stepOne").error, r.steps.at("stepTwo").error);
}

INSTANTIATE_TEST_SUITE_P(Drivers, CaseDetails, ::testing::ValuesIn(all_drivers()),
                         [](const auto& p) { return driver_name(p.param); });

}  // namespace
}  // namespace utask::engine
