// Lint (model/lint.h). Two parts:
//  * data cases: every tests/model/lint/*.yaml is loaded with parse_template_yaml and linted
//    with a catalog holding `echo`, a `withmeta` plugin that declares a metadata schema, and
//    the functions of tests/model/lint/functions. Each file's header lists what it must
//    produce, exactly: `# expect-error: <rule>: <message fragment>` (one line per error,
//    same count), `# expect-warning: <rule>: <fragment>`, or `# expect: valid` (no error);
//  * unit tests of what data files cannot show: normalization, output formats, lengths past
//    the maximum, function lint, templates built by hand.

#include "model/lint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "model/json.h"

#include "model/action_catalog.h"
#include "model/task_template.h"
#include "model/template_loader.h"

namespace utask::model {
namespace {

namespace fs = std::filesystem;

const fs::path kCases = fs::path(UTASK_SOURCE_DIR) / "tests/model/lint";

// The catalog of these tests: echo's error_type rule, a plugin with a metadata schema, and
// functions given by the test.
class TestCatalog : public ActionCatalog {
 public:
  explicit TestCatalog(std::vector<Function> functions = {}) {
    for (auto& f : functions) functions_.emplace(f.name, std::move(f));
  }
  bool has_plugin(std::string_view type) const override {
    return type == "echo" || type == "withmeta";
  }
  Result<void> validate_plugin_configuration(std::string_view type, const Json& base,
                                             const Json& configuration) const override {
    for (const Json* c : {&base, &configuration}) {
      if (c->is_object() && c->contains("error_type") && (*c)["error_type"] != "client" &&
          (*c)["error_type"] != "server") {
        return Error::invalid_template("Wrong error type: expecting 'client' or 'server'");
      }
    }
    return {};
  }
  std::optional<Json> plugin_metadata_schema(std::string_view type) const override {
    if (type != "withmeta") return std::nullopt;
    return *parse_json(
        R"({"properties": {"HTTPStatus": {}, "headers": {"properties": {"type": {}}}}})");
  }
  const Function* find_function(std::string_view name) const override {
    auto it = functions_.find(std::string(name));
    return it == functions_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, Function> functions_;
};

const TestCatalog& case_catalog() {
  static const TestCatalog catalog = [] {
    auto functions = load_functions_dir((kCases / "functions").string());
    EXPECT_TRUE(functions.ok()) << functions.error().message;
    return TestCatalog(functions.ok() ? std::move(*functions) : std::vector<Function>{});
  }();
  return catalog;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Expectation {
  bool warning;
  std::string rule;
  std::string fragment;
};

// The `# expect...` lines of a case file's header.
std::vector<Expectation> expectations_of(const std::string& text, bool& declared_valid) {
  std::vector<Expectation> out;
  declared_valid = false;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line) && line.rfind("#", 0) == 0;) {
    for (const auto& [prefix, warning] : {std::pair{"# expect-error: ", false},
                                          std::pair{"# expect-warning: ", true}}) {
      const std::string p = prefix;
      if (line.rfind(p, 0) != 0) continue;
      const std::string rest = line.substr(p.size());
      const auto colon = rest.find(": ");
      out.push_back({warning, rest.substr(0, colon), rest.substr(colon + 2)});
    }
    if (line == "# expect: valid") declared_valid = true;
  }
  return out;
}

std::string dump(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += "  [" + d.rule + "] " + d.to_string() + "\n";
  return out;
}

std::vector<fs::path> case_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kCases)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(LintCases, EveryFileProducesExactlyItsDiagnostics) {
  const auto files = case_files();
  ASSERT_GE(files.size(), 30u);
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    const std::string text = read_file(path);
    bool declared_valid = false;
    const auto expected = expectations_of(text, declared_valid);
    ASSERT_TRUE(declared_valid || !expected.empty()) << "the header declares no expectation";

    auto tmpl = parse_template_yaml(text, path.filename().string());
    ASSERT_TRUE(tmpl.ok()) << tmpl.error().message;
    const auto diagnostics = lint_template(*tmpl, case_catalog(), path.filename().string());

    for (bool warnings : {false, true}) {
      std::vector<Diagnostic> got;
      for (const auto& d : diagnostics) {
        if (d.warning == warnings) got.push_back(d);
      }
      std::vector<Expectation> want;
      for (const auto& e : expected) {
        if (e.warning == warnings) want.push_back(e);
      }
      if (warnings && declared_valid && want.empty()) continue;  // valid: warnings not listed
      EXPECT_EQ(got.size(), want.size()) << dump(diagnostics);
      for (const auto& e : want) {
        const bool found = std::any_of(got.begin(), got.end(), [&](const Diagnostic& d) {
          return d.rule == e.rule && d.message.find(e.fragment) != std::string::npos;
        });
        EXPECT_TRUE(found) << "missing [" << e.rule << "] " << e.fragment << "\ngot:\n"
                           << dump(diagnostics);
      }
    }
  }
}

TaskTemplate parse(std::string_view yaml) {
  auto t = parse_template_yaml(yaml, "inline.yaml");
  EXPECT_TRUE(t.ok()) << t.error().message;
  return t.ok() ? std::move(*t) : TaskTemplate{};
}

constexpr std::string_view kHeader =
    "name: lint-unit\ndescription: a unit case\ntitle_format: \"[test] unit\"\n";

TEST(Lint, NormalizesForeachStrategyConditionForeachAndSchema) {
  auto t = parse(std::string(kHeader) + R"(
steps:
  loop:
    foreach: '[1]'
    json_schema: {version: 4, type: object}
    action: {type: echo}
    conditions:
      - type: skip
        if: [{value: a, operator: EQ, expected: a}]
        then: {this: PRUNE}
      - type: check
        if: [{value: a, operator: EQ, expected: a}]
        then: {this: DONE}
  plain:
    json_schema: {type: object}
    action: {type: echo}
    conditions:
      - type: skip
        if: [{value: a, operator: EQ, expected: a}]
        then: {this: PRUNE}
)");
  const auto diagnostics = lint_template(t, case_catalog(), "inline.yaml");
  EXPECT_FALSE(has_errors(diagnostics)) << dump(diagnostics);
  const Step& loop = t.steps.at("loop");
  EXPECT_EQ(loop.foreach_strategy, "parallel");
  EXPECT_EQ(loop.conditions[0].foreach, "children");
  EXPECT_EQ(loop.conditions[1].foreach, "");  // only skip conditions get the default
  EXPECT_EQ((*loop.json_schema)["$schema"], "http://json-schema.org/draft-04/schema#");
  EXPECT_FALSE(loop.json_schema->contains("version"));
  const Step& plain = t.steps.at("plain");
  EXPECT_EQ(plain.foreach_strategy, "");
  EXPECT_EQ(plain.conditions[0].foreach, "");
  EXPECT_EQ((*plain.json_schema)["$schema"], "http://json-schema.org/draft-07/schema#");
  // The JSON form follows the normalized model.
  EXPECT_EQ(t.source["steps"]["loop"]["foreach_strategy"], "parallel");
}

TEST(Lint, LengthsPastTheMaximum) {
  auto t = parse(std::string(kHeader) + "steps: {a: {action: {type: echo}}}\n");
  t.description = std::string(1001, 'd');
  t.long_description = std::string(100001, 'l');
  const auto diagnostics = lint_template(t, case_catalog(), "f");
  ASSERT_EQ(diagnostics.size(), 2u) << dump(diagnostics);
  EXPECT_EQ(diagnostics[0].message, "template description can't be longer than 1000 characters");
  EXPECT_EQ(diagnostics[1].message,
            "template long description can't be longer than 100000 characters");
  t.description = std::string(1000, 'd');
  t.long_description = std::string(100000, 'l');
  EXPECT_TRUE(lint_template(t, case_catalog(), "f").empty());
}

TEST(Lint, HandBuiltTemplateWithoutSource) {
  TaskTemplate t;
  t.name = "hand-built";
  t.description = "built in code";
  t.title_format = "title {{.input.missing}}";
  Step step;
  step.action.type = "echo";
  step.dependencies = {"nowhere"};
  t.steps.emplace("only", step);
  const auto diagnostics = lint_template(t, case_catalog(), "code");
  ASSERT_EQ(diagnostics.size(), 2u) << dump(diagnostics);
  EXPECT_EQ(diagnostics[0].rule, "dependency-unknown");
  EXPECT_EQ(diagnostics[0].subject, "step only");
  EXPECT_EQ(diagnostics[1].rule, "handle-input");
  EXPECT_EQ(diagnostics[1].message, "Wrong input key: missing");
  EXPECT_TRUE(t.source.is_null());
}

// `name: n` declares the input "false" (YAML 1.1, as the original reads it): the error on
// {{.input.n}} says why and how to fix it; a quoted name is the input "n".
TEST(Lint, AnInputNamedWithAYamlBooleanWordGetsAHint) {
  auto bare = parse(std::string(kHeader) + R"(
inputs: [{name: n, description: a number}]
steps: {a: {action: {type: echo, configuration: {output: "{{.input.n}}"}}}}
)");
  ASSERT_EQ(bare.inputs.size(), 1u);
  EXPECT_EQ(bare.inputs[0].name, "false");
  const auto diagnostics = lint_template(bare, case_catalog(), "f");
  ASSERT_EQ(diagnostics.size(), 1u) << dump(diagnostics);
  EXPECT_EQ(diagnostics[0].message,
            "Wrong input key: n (an input named n is read by YAML 1.1 as the boolean false: "
            "quote its name, name: \"n\")");

  auto quoted = parse(std::string(kHeader) + R"(
inputs: [{name: "n", description: a number}]
steps: {a: {action: {type: echo, configuration: {output: "{{.input.n}}"}}}}
)");
  EXPECT_TRUE(lint_template(quoted, case_catalog(), "f").empty());

  auto other = parse(std::string(kHeader) + R"(
inputs: [{name: num, description: a number}]
steps: {a: {action: {type: echo, configuration: {output: "{{.input.n}}"}}}}
)");
  const auto plain = lint_template(other, case_catalog(), "f");
  ASSERT_EQ(plain.size(), 1u) << dump(plain);
  EXPECT_EQ(plain[0].message, "Wrong input key: n") << "no hint without a boolean-named input";
}

TEST(Lint, ExecutionDelayIsShownAsAGoDuration) {
  auto t = parse(std::string(kHeader) + "steps: {a: {action: {type: echo}}}\n");
  t.steps.at("a").execution_delay_ns = 90'500'000'000;
  auto d = lint_template(t, case_catalog(), "f");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "execution_delay: expected 1m30.5s to be a duration between 0s and 20s");
  t.steps.at("a").execution_delay_ns = 20'000'000'001;
  d = lint_template(t, case_catalog(), "f");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message,
            "execution_delay: expected 20.000000001s to be a duration between 0s and 20s");
  t.steps.at("a").execution_delay_ns = 20'000'000'000;
  EXPECT_TRUE(lint_template(t, case_catalog(), "f").empty());
}

TEST(Lint, ReportsEveryProblemNotOnlyTheFirst) {
  auto t = parse(std::string(kHeader) + R"(
steps:
  a:
    retry_pattern: weekly
    custom_states: [TODO]
    dependencies: [ghost]
    action: {type: nothing}
)");
  const auto d = lint_template(t, case_catalog(), "f");
  std::vector<std::string> rules;
  for (const auto& x : d) rules.push_back(x.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"action", "retry-pattern", "custom-state-reserved",
                                             "dependency-unknown"}));
}

TEST(Diagnostic, ToStringAndToError) {
  Diagnostic step{"t.yaml", "step a", "dependency-unknown", "Invalid dependency", false};
  Diagnostic handle{"t.yaml", "step b", "handle-input", "Wrong input key: x", false};
  Diagnostic root{"t.yaml", "template", "tag-reserved", "tag name", false};
  Diagnostic warn{"t.yaml", "template", "unknown-field", "unknown field \"x\" ignored", true};
  EXPECT_EQ(step.to_string(), "t.yaml: step a: Invalid dependency");
  EXPECT_EQ(warn.to_string(), "warning: t.yaml: template: unknown field \"x\" ignored");

  const std::vector<Diagnostic> all{warn, step, handle, root};
  EXPECT_TRUE(has_errors(all));
  EXPECT_FALSE(has_errors({warn}));
  const Error e = to_error(all);
  EXPECT_EQ(e.code, ErrorCode::invalid_template);
  EXPECT_EQ(e.field, "steps.a");
  EXPECT_EQ(e.message,
            "Invalid task template: Invalid step a: Invalid dependency; "
            "Invalid task template: Invalid text-template handles within task template: "
            "Wrong input key: x; Invalid task template: tag name");
}

Function function_from(std::string_view yaml) {
  auto f = parse_function_yaml(yaml, "f.yaml");
  EXPECT_TRUE(f.ok()) << f.error().message;
  return f.ok() ? std::move(*f) : Function{};
}

TEST(LintFunction, ValidFunctionsOfTheCases) {
  for (const auto& [name, f] : std::map<std::string, const Function*>{
           {"test::greet", case_catalog().find_function("test::greet")},
           {"test::wrap", case_catalog().find_function("test::wrap")},
           {"test::hooked", case_catalog().find_function("test::hooked")}}) {
    ASSERT_NE(f, nullptr) << name;
    const auto d = lint_function(*f, case_catalog(), f->file);
    EXPECT_FALSE(has_errors(d)) << name << "\n" << dump(d);
  }
}

TEST(LintFunction, ReportsItsChainStatesAndConditions) {
  const Function f = function_from(R"(
name: bad::function
pre_hook: {type: test::hooked}
action:
  type: test::loop::a
  configuration: {}
custom_states: [OK, PRUNE]
conditions:
  - type: skip
    if: [{value: a, operator: LIKE, expected: a}]
    then: {}
  - type: skip
    foreach: parent
    if: [{value: a, operator: EQ, expected: a}]
    then: {}
)");
  const auto d = lint_function(f, case_catalog(), "f.yaml");
  std::vector<std::string> rules;
  for (const auto& x : d) rules.push_back(x.rule);
  EXPECT_EQ(rules, (std::vector<std::string>{"action", "pre-hook-on-pre-hook",
                                             "custom-state-reserved", "condition-operator",
                                             "skip-condition-without-this"}))
      << dump(d);
  EXPECT_EQ(d[0].subject, "function bad::function");
}

TEST(LintFunction, ConfigurationMustBeAnObject) {
  // The loader already refuses this shape; a function built in code may still have it.
  Function f;
  f.name = "f::g";
  f.action.type = "echo";
  f.action.configuration = Json::array();
  const auto d = lint_function(f, case_catalog(), "f.yaml");
  ASSERT_EQ(d.size(), 1u) << dump(d);
  EXPECT_EQ(d[0].rule, "function-configuration");
  EXPECT_EQ(d[0].message, "function configuration must be an object");
  f.action.configuration = Json::object();
  EXPECT_TRUE(lint_function(f, case_catalog(), "f.yaml").empty());
}

TEST(LintFunction, NeedsAName) {
  Function f;
  f.action.type = "echo";
  const auto d = lint_function(f, case_catalog(), "f.yaml");
  ASSERT_EQ(d.size(), 1u) << dump(d);
  EXPECT_EQ(d[0].rule, "function-name");
  EXPECT_EQ(d[0].message, "function name can't be empty");
  f.name = "named";
  EXPECT_TRUE(lint_function(f, case_catalog(), "f.yaml").empty());
}

}  // namespace
}  // namespace utask::model
