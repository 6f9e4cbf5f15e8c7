// Template and function loading: decoding rules (§0.4, §1), shape errors, the functions
// directory, and every conformance template and function of the original.
//
// TAB-indented conformance templates (simple.yaml, base_output.yaml) are loaded with
// LoadOptions::tabs_to_spaces, as the original's test harness replaces TABs by two spaces.

#include "support/temp_dir.h"
#include "model/template_loader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace utask::model {
namespace {

namespace fs = std::filesystem;

TaskTemplate parse_ok(const std::string& yaml) {
  auto t = parse_template_yaml(yaml, "t.yaml");
  EXPECT_TRUE(t.ok()) << t.error().message;
  return t.ok() ? std::move(*t) : TaskTemplate{};
}

std::string parse_error(const std::string& yaml) {
  auto t = parse_template_yaml(yaml, "t.yaml");
  EXPECT_FALSE(t.ok());
  return t.ok() ? std::string() : t.error().message;
}

const char* kFull = R"(
name: '  Hello-World '
description: Say hello
long_description: A longer text
doc_link: https://example.org
title_format: "[test] hello"
result_format: {greeting: "{{.step.hello.output.value}}", count: 12}
allowed_resolver_groups: [ops]
allowed_resolver_usernames: [alice, 42]
allow_all_resolver_usernames: yes
auto_runnable: on
blocked: no
hidden: false
retry_max: 5
allow_task_start_over: true
inputs:
- name: count
  description: how many
  type: number
  legal_values: [1, 2.5]
  default: 1
  optional: true
- name: who
  regex: '^[a-z]+$'
  collection: true
  hidden: true
resolver_inputs:
- name: confirm
  type: bool
variables:
- name: v1
  value: 12
- name: v2
  expression: 1 + 1
  expression_timeout: 2s
tags: {team: ops, level: 3}
base_configurations:
  base: {method: GET, timeout: 1.50}
steps:
  hello:
    description: first
    idempotent: true
    action:
      type: echo
      base_configuration: base
      configuration: {output: {value: hi, big: 12345678901234567890}}
    pre_hook:
      type: echo
      configuration: {output: {}}
    dependencies: [other, "other2:DONE"]
    custom_states: [NOT_FOUND]
    conditions:
    - type: check
      if:
      - value: '{{.step.hello.metadata.HTTPStatus}}'
        operator: EQ
        expected: 404
        list_separator: ';'
      then:
        this: NOT_FOUND
      final: true
      message: not found
    foreach: '[1,2]'
    foreach_strategy: sequence
    retry_pattern: minutes
    max_retries: 3
    resources: [db]
    json_schema: {type: object}
    execution_delay: 1500ms
)";

TEST(TemplateLoader, DecodesEveryField) {
  TaskTemplate t = parse_ok(kFull);
  EXPECT_EQ(t.name, "hello-world");
  EXPECT_EQ(t.description, "Say hello");
  EXPECT_EQ(t.long_description, "A longer text");
  EXPECT_EQ(t.doc_link, "https://example.org");
  EXPECT_EQ(t.title_format, "[test] hello");
  EXPECT_EQ(to_json_text(t.result_format), R"({"count":12,"greeting":"{{.step.hello.output.value}}"})");
  EXPECT_EQ(t.allowed_resolver_groups, std::vector<std::string>{"ops"});
  EXPECT_EQ(t.allowed_resolver_usernames, (std::vector<std::string>{"alice", "42"}));
  EXPECT_TRUE(t.allow_all_resolver_usernames);
  EXPECT_TRUE(t.auto_runnable);
  EXPECT_FALSE(t.blocked);
  EXPECT_EQ(t.retry_max, 5);
  EXPECT_TRUE(t.allow_task_start_over);

  ASSERT_EQ(t.inputs.size(), 2u);
  EXPECT_EQ(t.inputs[0].type, InputType::number);
  EXPECT_EQ(t.inputs[0].type_name, "number");
  EXPECT_EQ(t.inputs[0].legal_values.size(), 2u);
  EXPECT_EQ(to_json_text(*t.inputs[0].default_value), "1");
  EXPECT_TRUE(t.inputs[0].optional);
  EXPECT_EQ(t.inputs[1].regex, "^[a-z]+$");
  EXPECT_TRUE(t.inputs[1].collection);
  EXPECT_TRUE(t.inputs[1].hidden);
  EXPECT_EQ(t.inputs[1].type, InputType::string);
  EXPECT_FALSE(t.inputs[1].default_value.has_value());
  ASSERT_EQ(t.resolver_inputs.size(), 1u);
  EXPECT_EQ(t.resolver_inputs[0].type, InputType::boolean);

  ASSERT_EQ(t.variables.size(), 2u);
  EXPECT_EQ(to_json_text(*t.variables[0].value), "12");
  EXPECT_FALSE(t.variables[0].expression.has_value());
  EXPECT_EQ(t.variables[1].expression, "1 + 1");
  EXPECT_EQ(t.variables[1].expression_timeout, "2s");

  EXPECT_EQ(t.tags.at("level"), "3");
  EXPECT_EQ(to_json_text(t.base_configurations.at("base")), R"({"method":"GET","timeout":1.50})");

  const Step& s = t.steps.at("hello");
  EXPECT_EQ(s.name, "hello");
  EXPECT_TRUE(s.idempotent);
  EXPECT_EQ(s.action.type, "echo");
  EXPECT_EQ(s.action.base_configuration, "base");
  EXPECT_EQ(to_json_text(s.action.configuration),
            R"({"output":{"big":12345678901234567890,"value":"hi"}})");
  ASSERT_TRUE(s.pre_hook.has_value());
  EXPECT_EQ(s.pre_hook->type, "echo");
  EXPECT_EQ(s.dependencies, (std::vector<std::string>{"other", "other2:DONE"}));
  EXPECT_EQ(s.custom_states, std::vector<std::string>{"NOT_FOUND"});
  ASSERT_EQ(s.conditions.size(), 1u);
  const Condition& c = s.conditions[0];
  EXPECT_EQ(c.type, "check");
  ASSERT_EQ(c.if_.size(), 1u);
  EXPECT_EQ(c.if_[0].op, "EQ");
  EXPECT_EQ(c.if_[0].expected, "404");  // a number given to a string field
  EXPECT_EQ(c.if_[0].list_separator, ";");
  EXPECT_EQ(c.then.at("this"), "NOT_FOUND");
  EXPECT_TRUE(c.final);
  EXPECT_EQ(c.message, "not found");
  EXPECT_EQ(s.foreach, "[1,2]");
  EXPECT_EQ(s.foreach_strategy, "sequence");
  EXPECT_EQ(s.retry_pattern, "minutes");
  EXPECT_EQ(s.max_retries, 3);
  EXPECT_EQ(s.resources, std::vector<std::string>{"db"});
  EXPECT_EQ(to_json_text(*s.json_schema), R"({"type":"object"})");
  EXPECT_EQ(s.execution_delay_ns, 1'500'000'000);
  EXPECT_TRUE(s.forbidden_fields.empty());
  EXPECT_TRUE(s.unknown_fields.empty());
  EXPECT_TRUE(t.unknown_fields.empty());
}

TEST(TemplateLoader, DefaultsWhenAbsentOrEmpty) {
  TaskTemplate t = parse_ok("name: x\ndescription:\nsteps:\n  a:\n    action: {type: echo}\n    description: ~\n");
  EXPECT_EQ(t.description, "");
  EXPECT_FALSE(t.retry_max.has_value());
  EXPECT_FALSE(t.long_description.has_value());
  EXPECT_TRUE(t.result_format.is_null());
  const Step& s = t.steps.at("a");
  EXPECT_EQ(s.description, "");
  EXPECT_EQ(s.max_retries, 0);
  EXPECT_TRUE(s.action.configuration.is_null());
  EXPECT_FALSE(s.action.output.has_value());
  EXPECT_FALSE(s.json_schema.has_value());
}

TEST(TemplateLoader, ScalarsGivenToStringFieldsBecomeText) {
  TaskTemplate t = parse_ok(R"(
name: 12
description: yes
title_format: 1.5
steps:
  a:
    action: {type: echo}
    conditions:
    - type: skip
      if: [{value: 1, operator: EQ, expected: true}]
      then: {this: DONE}
)");
  EXPECT_EQ(t.name, "12");
  EXPECT_EQ(t.description, "true");
  EXPECT_EQ(t.title_format, "1.5");
  const Assert& a = t.steps.at("a").conditions[0].if_[0];
  EXPECT_EQ(a.value, "1");
  EXPECT_EQ(a.expected, "true");
  EXPECT_EQ(a.list_separator, ",");
}

TEST(TemplateLoader, FieldNamesMatchCaseInsensitivelyExactFirst) {
  TaskTemplate t = parse_ok(R"(
Name: Upper
DESCRIPTION: exact loses to nothing here
Title_Format: tf
steps:
  a:
    Action: {TYPE: echo}
    description: exact
    Description: folded
)");
  EXPECT_EQ(t.name, "upper");
  EXPECT_EQ(t.description, "exact loses to nothing here");
  EXPECT_EQ(t.title_format, "tf");
  const Step& s = t.steps.at("a");
  EXPECT_EQ(s.action.type, "echo");
  EXPECT_EQ(s.description, "exact");
  EXPECT_EQ(s.unknown_fields, std::vector<std::string>{"Description"});
}

TEST(TemplateLoader, UnknownKeysAreCollected) {
  TaskTemplate t = parse_ok(R"(
name: x
retrymax: 3
inputs: [{name: a, regexp: x}]
variables: [{name: v, value: 1, timeout: 2s}]
steps:
  a:
    retries: 3
    action: {type: echo, configuraton: {}, output: {strategy: merge, fromat: {}}}
    conditions:
    - type: skip
      iff: []
      if: [{value: a, operator: EQ, expected: a, expect: b}]
)");
  EXPECT_EQ(t.unknown_fields,
            (std::vector<std::string>{"inputs[0].regexp", "variables[0].timeout", "retrymax"}));
  const Step& s = t.steps.at("a");
  std::vector<std::string> got = s.unknown_fields;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"action.configuraton", "action.output.fromat",
                                           "conditions[0].if[0].expect", "conditions[0].iff", "retries"}));
}

TEST(TemplateLoader, MergeKeysShareStepParts) {
  TaskTemplate t = parse_ok(R"(
name: x
steps:
  a: &base
    description: shared
    retry_pattern: hours
    action: {type: echo, configuration: {output: {v: 1}}}
  b:
    <<: *base
    description: own
)");
  const Step& b = t.steps.at("b");
  EXPECT_EQ(b.description, "own");
  EXPECT_EQ(b.retry_pattern, "hours");
  EXPECT_EQ(b.action.type, "echo");
  EXPECT_EQ(b.name, "b");
}

TEST(TemplateLoader, MissingFileIsNotFound) {
  auto t = load_template_file("/nonexistent/utask/template.yaml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::not_found);
  EXPECT_NE(t.error().message.find("/nonexistent/utask/template.yaml"), std::string::npos);
}

TEST(TemplateLoader, BaseOutputReplacesOutput) {
  TaskTemplate t = parse_ok(R"(
name: x
steps:
  a:
    action:
      type: echo
      output: {strategy: template, format: {x: 1}}
      base_output: {id: "{{.input.id}}"}
  b:
    action:
      type: echo
      output: {strategy: template, format: {x: 1}}
      base_output:
)");
  const auto& a = t.steps.at("a").action.output;
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->strategy, "merge");
  EXPECT_EQ(to_json_text(a->format), R"({"id":"{{.input.id}}"})");
  const auto& b = t.steps.at("b").action.output;
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->strategy, "template");
}

TEST(TemplateLoader, UnknownOutputStrategyIsAnError) {
  EXPECT_NE(parse_error("steps:\n  a:\n    action: {type: echo, output: {strategy: Merge}}\n")
                .find("steps.a.action.output.strategy: unknown output strategy \"Merge\""),
            std::string::npos);
  TaskTemplate t = parse_ok("steps:\n  a:\n    action: {type: echo, output: {strategy: none}}\n");
  EXPECT_EQ(t.steps.at("a").action.output->strategy, "none");
}

TEST(TemplateLoader, RuntimeStepFieldsAreRecorded) {
  TaskTemplate t = parse_ok(R"(
steps:
  a:
    action: {type: echo}
    state: DONE
    metadata: {a: 1}
    last_run: "2020-01-01T00:00:00Z"
    try_count: 2
    item: 3
  b:
    action: {type: echo}
    state: ""
    try_count: 0
    output: ~
)");
  EXPECT_EQ(t.steps.at("a").forbidden_fields,
            (std::vector<std::string>{"state", "metadatas", "try_count", "last_time", "item"}));
  EXPECT_TRUE(t.steps.at("b").forbidden_fields.empty());
  EXPECT_TRUE(t.steps.at("a").unknown_fields.empty());
}

TEST(TemplateLoader, ShapeErrorsNameFilePositionAndPath) {
  std::string msg = parse_error("name: x\nsteps:\n  stepOne:\n    max_retries: abc\n");
  EXPECT_NE(msg.find("t.yaml:4:18: steps.stepOne.max_retries: expected an integer, got \"abc\""),
            std::string::npos)
      << msg;
  auto t = parse_template_yaml("steps:\n  stepOne:\n    max_retries: abc\n", "t.yaml");
  EXPECT_EQ(t.error().field, "steps.stepOne.max_retries");
  EXPECT_EQ(t.error().code, ErrorCode::invalid_template);

  struct Case {
    const char* yaml;
    const char* message;
  } cases[] = {
      {"retry_max: abc\n", "retry_max: expected an integer, got \"abc\""},
      {"retry_max: 1.5\n", "retry_max: expected an integer, got 1.5"},
      {"steps: [a, b]\n", "steps: expected a mapping, got a list"},
      {"inputs: {a: b}\n", "inputs: expected a list, got a mapping"},
      {"inputs: [a]\n", "inputs[0]: expected a mapping, got \"a\""},
      {"blocked: maybe\n", "blocked: expected a boolean, got \"maybe\""},
      {"tags: [a]\n", "tags: expected a mapping, got a list"},
      {"description: [a]\n", "description: expected a string, got a list"},
      {"result_format: [a]\n", "result_format: expected a mapping, got a list"},
      {"steps:\n  a:\n    dependencies: a\n", "steps.a.dependencies: expected a list of strings"},
      {"steps:\n  a:\n    dependencies: [[a]]\n", "steps.a.dependencies[0]: expected a string, got a list"},
      {"steps:\n  a:\n    action: echo\n", "steps.a.action: expected a mapping, got \"echo\""},
      {"steps:\n  a:\n    conditions: [{then: [a]}]\n", "steps.a.conditions[0].then: expected a mapping"},
      {"steps:\n  a:\n    conditions: [{if: [{value: [1]}]}]\n",
       "steps.a.conditions[0].if[0].value: expected a string, got a list"},
      {"steps:\n  a:\n    idempotent: 1\n", "steps.a.idempotent: expected a boolean, got 1"},
      {"steps:\n  a:\n    execution_delay: soon\n",
       "steps.a.execution_delay: time: invalid duration \"soon\""},
      {"- a\n- b\n", "expected a mapping at the top of the template, got a list"},
  };
  for (const auto& c : cases) {
    std::string m = parse_error(c.yaml);
    EXPECT_NE(m.find(c.message), std::string::npos) << c.yaml << " → " << m;
    EXPECT_EQ(m.rfind("t.yaml", 0), 0u) << m;
  }
}

TEST(TemplateLoader, SyntaxErrorNamesTheFile) {
  std::string msg = parse_error("name: x\nsteps: {a: [\n");
  EXPECT_EQ(msg.rfind("t.yaml:", 0), 0u) << msg;
  EXPECT_NE(msg.find("YAML syntax error"), std::string::npos) << msg;
}

TEST(TemplateLoader, IntegralFloatsFitIntegerFields) {
  TaskTemplate t = parse_ok("retry_max: 2.0\nsteps:\n  a:\n    max_retries: -1\n");
  EXPECT_EQ(t.retry_max, 2);
  EXPECT_EQ(t.steps.at("a").max_retries, -1);
}

TEST(TemplateLoader, ExecutionDelayIntegerOrDuration) {
  TaskTemplate t = parse_ok(
      "steps:\n  a: {execution_delay: 5000000000}\n  b: {execution_delay: 1m30s}\n  c: {execution_delay: 0}\n");
  EXPECT_EQ(t.steps.at("a").execution_delay_ns, 5'000'000'000);
  EXPECT_EQ(t.steps.at("b").execution_delay_ns, 90'000'000'000);
  EXPECT_EQ(t.steps.at("c").execution_delay_ns, 0);
}

TEST(TemplateLoader, SourceHasTheOriginalShape) {
  TaskTemplate t = parse_ok(kFull);
  const Json& src = t.source;
  EXPECT_EQ(src["name"], "hello-world");
  EXPECT_EQ(src["retry_max"], 5);
  EXPECT_EQ(src["steps"]["hello"]["action"]["type"], "echo");
  EXPECT_EQ(src["steps"]["hello"]["conditions"][0]["if"][0]["expected"], "404");
  EXPECT_EQ(to_json_text(src["steps"]["hello"]["action"]["configuration"]["output"]["big"]),
            "12345678901234567890");
  EXPECT_EQ(src["inputs"][1]["regex"], "^[a-z]+$");
  EXPECT_TRUE(src["inputs"][1]["default"].is_null());
  TaskTemplate empty = parse_ok("name: x\n");
  EXPECT_TRUE(empty.source["base_configurations"].is_null());
  EXPECT_FALSE(empty.source.contains("steps"));
  EXPECT_FALSE(empty.source.contains("retry_max"));
}

// --- functions ---

TEST(FunctionLoader, DecodesAndExtractsRequiredArgs) {
  auto fn = parse_function_yaml(R"(
name: echo::hello
description: says hello
action:
  type: echo
  configuration:
    output:
      value: 'Hello {{ .function_args.name }} and {{.function_args.who.first}}!'
      list: ['{{ .function_args.name }}', '{{ .function_args.x_y }}', '{{ .input.z }}']
pre_hook:
  type: echo
  configuration: {output: {v: 1}}
conditions:
- type: check
  if: [{value: a, operator: EQ, expected: a}]
  then: {this: HELLO}
custom_states: [HELLO]
)",
                                "f.yaml");
  ASSERT_TRUE(fn.ok()) << fn.error().message;
  EXPECT_EQ(fn->name, "echo::hello");
  EXPECT_EQ(fn->description, "says hello");
  EXPECT_EQ(fn->file, "f.yaml");
  EXPECT_EQ(fn->action.type, "echo");
  ASSERT_TRUE(fn->pre_hook.has_value());
  EXPECT_EQ(fn->conditions.size(), 1u);
  EXPECT_EQ(fn->custom_states, std::vector<std::string>{"HELLO"});
  // `x_y` has an underscore: not the form the original extracts.
  EXPECT_EQ(fn->required_args, (std::vector<std::string>{"name", "who.first"}));
}

TEST(FunctionLoader, SourceHasTheApiShape) {
  auto full = parse_function_yaml(R"(
name: echo::hello
description: says hello
action: {type: echo, configuration: {output: {v: '{{ .function_args.name }}'}}}
pre_hook: {type: echo, configuration: {output: {v: 1}}}
conditions:
- type: check
  if: [{value: a, operator: EQ, expected: a}]
  then: {this: HELLO}
custom_states: [HELLO]
)",
                                  "f.yaml");
  ASSERT_TRUE(full.ok()) << full.error().message;
  const Json src = function_source_json(*full);
  EXPECT_EQ(src["name"], "echo::hello");
  EXPECT_EQ(src["action"]["type"], "echo");
  EXPECT_EQ(src["action"]["configuration"]["output"]["v"], "{{ .function_args.name }}");
  EXPECT_EQ(src["pre_hook"]["type"], "echo");
  EXPECT_EQ(src["conditions"][0]["then"]["this"], "HELLO");
  EXPECT_EQ(src["custom_states"], Json::array({"HELLO"}));
  // Optional members are left out when unset (api.md §6.10).
  auto bare = parse_function_yaml("name: f\naction: {type: echo, configuration: {}}\n", "f.yaml");
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  const Json min = function_source_json(*bare);
  EXPECT_EQ(min["name"], "f");
  for (const char* key : {"pre_hook", "conditions", "custom_states", "description"}) {
    EXPECT_FALSE(min.contains(key)) << key;
  }
}

TEST(FunctionLoader, ConfigurationMustBeAMapping) {
  auto fn = parse_function_yaml("name: f\naction: {type: echo, configuration: [1]}\n", "f.yaml");
  ASSERT_FALSE(fn.ok());
  EXPECT_NE(fn.error().message.find("action.configuration: expected a mapping, got a list"),
            std::string::npos);
}

using TempDir = utask::testing::TempDir;

TEST(FunctionLoader, DirectoryIsWalkedRecursively) {
  TempDir dir;
  dir.write("a.yaml", "name: fa\naction: {type: echo}\n");
  dir.write("sub/deeper/b.yaml", "name: fb\naction: {type: echo}\n");
  dir.write(".hidden.yaml", "name: hidden\n");
  dir.write("c.yml", "name: other-extension\n");
  dir.write("notes.txt", "not yaml");
  auto fns = load_functions_dir(dir.str());
  ASSERT_TRUE(fns.ok()) << fns.error().message;
  ASSERT_EQ(fns->size(), 2u);
  EXPECT_EQ((*fns)[0].name, "fa");
  EXPECT_EQ((*fns)[1].name, "fb");
}

TEST(FunctionLoader, MissingDirectoryIsEmpty) {
  auto fns = load_functions_dir("/nonexistent/utask/functions");
  ASSERT_TRUE(fns.ok());
  EXPECT_TRUE(fns->empty());
}

TEST(FunctionLoader, DuplicateNamesNameBothFiles) {
  TempDir dir;
  dir.write("one.yaml", "name: same\naction: {type: echo}\n");
  dir.write("two.yaml", "name: same\naction: {type: echo}\n");
  auto fns = load_functions_dir(dir.str());
  ASSERT_FALSE(fns.ok());
  EXPECT_NE(fns.error().message.find("one.yaml"), std::string::npos) << fns.error().message;
  EXPECT_NE(fns.error().message.find("two.yaml"), std::string::npos) << fns.error().message;
  EXPECT_NE(fns.error().message.find("already exists"), std::string::npos);
}

TEST(FunctionLoader, BadFileIsAnErrorNamingIt) {
  TempDir dir;
  dir.write("bad.yaml", "name: [\n");
  auto fns = load_functions_dir(dir.str());
  ASSERT_FALSE(fns.ok());
  EXPECT_NE(fns.error().message.find("bad.yaml"), std::string::npos);
}

// --- the original's conformance data ---

const std::string kOriginal = std::string(UTASK_SOURCE_DIR) + "/tests/conformance/original";

TEST(ConformanceData, EveryTemplateLoads) {
  // Keys of the original's templates that its model does not know (warnings for lint).
  const std::map<std::string, std::vector<std::string>> unknown = {
      {"foreachAndPreRun.yaml", {"allowed_resolver_tokens"}},
  };
  int count = 0;
  for (const auto& entry : fs::directory_iterator(kOriginal + "/templates")) {
    if (entry.path().extension() != ".yaml") continue;
    auto t = load_template_file(entry.path().string(), LoadOptions{.tabs_to_spaces = true});
    EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message);
    if (t.ok()) {
      EXPECT_FALSE(t->name.empty()) << entry.path();
      auto it = unknown.find(entry.path().filename().string());
      EXPECT_EQ(t->unknown_fields, it == unknown.end() ? std::vector<std::string>{} : it->second)
          << entry.path();
    }
    ++count;
  }
  EXPECT_GE(count, 50);
}

TEST(ConformanceData, TabIndentedTemplatesNeedTheOption) {
  std::string path = kOriginal + "/templates/simple.yaml";
  EXPECT_FALSE(load_template_file(path).ok());
  auto t = load_template_file(path, LoadOptions{.tabs_to_spaces = true});
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->steps.size(), 3u);
}

TEST(ConformanceData, BaseOutputTemplate) {
  auto t = load_template_file(kOriginal + "/templates/base_output.yaml", LoadOptions{.tabs_to_spaces = true});
  ASSERT_TRUE(t.ok()) << t.error().message;
  const auto& out = t->steps.at("stepOne").action.output;
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->strategy, "merge");
  EXPECT_EQ(to_json_text(out->format), R"({"id":"{{.input.id}}"})");
}

TEST(ConformanceData, InputTemplate) {
  auto t = load_template_file(kOriginal + "/templates/input.yaml");
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->inputs.size(), 2u);
  EXPECT_EQ(t->inputs[0].type, InputType::number);
  EXPECT_EQ(to_json_text(*t->inputs[1].default_value), "\"\"");
  EXPECT_EQ(t->name, "input");
}

TEST(ConformanceData, EveryFunctionLoads) {
  auto fns = load_functions_dir(kOriginal + "/functions");
  ASSERT_TRUE(fns.ok()) << fns.error().message;
  std::map<std::string, std::vector<std::string>> args;
  for (const auto& f : *fns) {
    args[f.name] = f.required_args;
    EXPECT_TRUE(f.unknown_fields.empty()) << f.name;
  }
  EXPECT_EQ(args.size(), 6u);
  EXPECT_EQ(args["echo::hello::world"], std::vector<std::string>{"name"});
  EXPECT_EQ(args["echo::hello::nested1"], std::vector<std::string>{"name"});
  // `name1` has a digit: the original's pattern ([a-zA-Z.]+) does not extract it.
  EXPECT_TRUE(args["echo::hello::nested2"].empty());
  EXPECT_TRUE(args["echo::custom::state"].empty());
}

}  // namespace
}  // namespace utask::model
