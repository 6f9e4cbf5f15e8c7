// Conformance: what happens when a task is *created* from the original's test templates
// (EXPECTATIONS.md A11 TestLintingAndValidation, A12 TestComputeversion), reproduced with our
// loader, the builtin action registry with the functions of original/functions, lint and the
// input checks:
//  * an entry with `create_error_contains` must be rejected with an error containing it;
//  * every other entry with a template must be created: no lint error, inputs (and resolver
//    inputs) valid;
//  * A12: each step's stored json_schema gets the expected "$schema", `version` removed.
// Templates are read with TABs replaced by two spaces, as the original's harness does.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "actions/catalog.h"
#include "model/input_rules.h"
#include "model/json.h"
#include "model/lint.h"
#include "model/template_loader.h"

#include "conformance/conformance_driver.h"

namespace utask {
namespace {

namespace fs = std::filesystem;

const fs::path kOriginal = fs::path(UTASK_SOURCE_DIR) / "tests/conformance/original";

// The builtin actions (scripts under ./scripts_tests/, as the original's harness has them)
// and the suite's functions: the registry the engine cases use too.
const actions::ActionRegistry& registry() { return engine::conformance::registry(); }

Json expectations() {
  std::ifstream in(kOriginal / "expectations.json");
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = parse_json(text.str());
  EXPECT_TRUE(parsed.ok());
  return parsed.ok() ? std::move(*parsed) : Json::array();
}

struct Created {
  std::optional<model::TaskTemplate> tmpl;
  std::string error;  // empty: created
};

// The harness's load(): read, validate (lint, which normalizes).
Created load(const std::string& file) {
  auto loaded = model::load_template_file((kOriginal / "templates" / file).string(),
                                          model::LoadOptions{.tabs_to_spaces = true});
  if (!loaded) return {std::nullopt, loaded.error().message};
  model::TaskTemplate tmpl = std::move(*loaded);
  const auto diagnostics = model::lint_template(tmpl, registry(), file);
  if (model::has_errors(diagnostics)) return {std::nullopt, model::to_error(diagnostics).message};
  return {std::move(tmpl), ""};
}

// The harness's create(): load(), then check the inputs as task and resolution creation do.
Created create(const std::string& file, const Json& inputs, const Json& resolver_inputs) {
  Created loaded = load(file);
  if (!loaded.tmpl) return loaded;
  model::TaskTemplate& tmpl = *loaded.tmpl;
  for (const auto& [declared, given, keep] :
       {std::tuple{&tmpl.inputs, &inputs, false},
        std::tuple{&tmpl.resolver_inputs, &resolver_inputs, true}}) {
    auto check = model::validate_input_values(*declared, *given, keep);
    if (!check.ok()) return {std::nullopt, check.errors.front().message};
  }
  return loaded;
}

TEST(ConformanceLinting, CreateOnlyEntriesAndEveryTemplateOfTheSuite) {
  const Json all = expectations();
  ASSERT_TRUE(all.is_array());
  int rejected = 0, accepted = 0;
  for (const auto& entry : all) {
    if (!entry["template"].is_string()) continue;
    const std::string name = entry["name"].get<std::string>();
    const std::string file = entry["template"].get<std::string>();
    SCOPED_TRACE(name + " (" + file + ")");
    const Json& expect = entry["expect"];
    const Json inputs = entry.value("inputs", Json()).is_null() ? Json::object() : entry["inputs"];
    const Json resolver_inputs = entry.value("resolver_inputs", Json());

    if (entry.contains("prerequisite_templates")) {
      for (const auto& t : entry["prerequisite_templates"]) {
        EXPECT_EQ(load(t.get<std::string>()).error, "");
      }
    }
    const Created created = create(file, inputs, resolver_inputs);
    if (expect.contains("create_error_contains") && expect["create_error_contains"].is_string()) {
      const std::string fragment = expect["create_error_contains"].get<std::string>();
      EXPECT_NE(created.error.find(fragment), std::string::npos)
          << "error: " << created.error << "\nexpected to contain: " << fragment;
      ++rejected;
    } else {
      EXPECT_EQ(created.error, "");
      ++accepted;
    }
  }
  EXPECT_EQ(rejected, 13);  // A11's rejected templates
  EXPECT_GE(accepted, 40);
}

TEST(ConformanceLinting, ComputeVersionSetsSchemaPerStep) {
  const Json all = expectations();
  const Json* entry = nullptr;
  for (const auto& e : all) {
    if (e["name"] == "TestComputeversion") entry = &e;
  }
  ASSERT_NE(entry, nullptr);
  const Created created = create("computeVersion.yaml", Json::object(), Json());
  ASSERT_EQ(created.error, "");
  const auto& expected = (*entry)["expect"]["json_schema_dollar_schema"];
  std::set<std::string> want_steps, got_steps;
  for (const auto& [step, schema] : expected.items()) want_steps.insert(step);
  for (const auto& [step, s] : created.tmpl->steps) got_steps.insert(step);
  EXPECT_EQ(got_steps, want_steps);  // no other step
  for (const auto& [step, uri] : expected.items()) {
    SCOPED_TRACE(step);
    const auto& schema = created.tmpl->steps.at(step).json_schema;
    ASSERT_TRUE(schema.has_value());
    ASSERT_TRUE(schema->is_object());
    EXPECT_EQ((*schema)["$schema"].get<std::string>(), uri.get<std::string>());
    EXPECT_FALSE(schema->contains("version"));
  }
}

TEST(ConformanceLinting, FunctionsOfTheSuiteAreValid) {
  for (const auto& [name, function] : registry().functions()) {
    const auto diagnostics = model::lint_function(function, registry(), function.file);
    for (const auto& d : diagnostics) ADD_FAILURE() << d.to_string();
  }
  EXPECT_EQ(registry().functions().size(), 6u);
}

}  // namespace
}  // namespace utask
