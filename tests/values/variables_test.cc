// Template variables: `eval` / `evalCache` over fixed values, templated values and JS
// expressions (engine.md §7.6; conformance A31 TestVariables and C2 TestJsonNumber).

#include "values/variables.h"

#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/json.h"
#include "model/task_template.h"
#include "values/js/js_engine.h"
#include "values/renderer.h"

namespace utask::values {
namespace {

model::Variable fixed(std::string name, Json value) {
  model::Variable v;
  v.name = std::move(name);
  v.value = std::move(value);
  return v;
}

model::Variable expression(std::string name, std::string source, std::optional<std::string> timeout = {}) {
  model::Variable v;
  v.name = std::move(name);
  v.expression = std::move(source);
  v.expression_timeout = std::move(timeout);
  return v;
}

// Renders `text` as the engine does: the data tree is both dot and the root of the context.
Result<std::string> render_with(const Variables& vars, std::string_view text, EvalContext& ctx) {
  vars.attach(ctx);
  auto t = Template::parse(text, "tmpl");
  if (!t) return t.error();
  return t->execute(ctx.root(), &ctx);
}

Result<std::string> render_with(const Variables& vars, std::string_view text, const Json& data = Json::object()) {
  EvalContext ctx(Value::from_json(data));
  return render_with(vars, text, ctx);
}

std::string ok(const Result<std::string>& r) { return r.ok() ? *r : "ERROR: " + r.error().message; }

// The conformance template variables.yaml (A31).
TEST(Variables, ConformanceVariablesTemplate) {
  auto vars = Variables::make({
      expression("truc", "2 + 2; // javascript\n"),
      fixed("bidule", parse_json("5").value()),
      fixed("templated", "Hello {{ `World` }}!"),
      expression("expressionCached", "4 + 2; // javascript\n"),
  });
  EvalContext ctx(Value::from_json(Json::object()));
  EXPECT_EQ(ok(render_with(vars, "{{eval `truc`}}", ctx)), "4");
  EXPECT_EQ(ok(render_with(vars, "{{eval `bidule`}}", ctx)), "5");
  EXPECT_EQ(ok(render_with(vars, "{{eval `templated`}}", ctx)), "Hello World!");
  EXPECT_EQ(ok(render_with(vars, "{{evalCache `expressionCached`}}", ctx)), "6");
  EXPECT_EQ(ok(render_with(vars, "{{evalCache `expressionCached`}}", ctx)), "6");
}

// C2 TestJsonNumber: a multi-line expression and templated values.
TEST(Variables, ConformanceJsonNumber) {
  auto vars = Variables::make({
      fixed("foobar0", "ok"),
      fixed("foobar1", "{{ `ok` }}"),
      expression("foobar2", "var foo = {\"foo\":\"bar\"};\nfoo.foo;"),
  });
  auto data = parse_json(R"({"step": {"first": {"output": {"my-payload": {"foo": 0}}}}})").value();
  EXPECT_EQ(ok(render_with(vars, "{{ eval `foobar0` }}", data)), "ok");
  EXPECT_EQ(ok(render_with(vars, "{{ eval `foobar1` }}", data)), "ok");
  EXPECT_EQ(ok(render_with(vars, "{{ evalCache `foobar2` }}", data)), "bar");
}

TEST(Variables, EvalResultKinds) {
  auto vars = Variables::make({
      fixed("number", parse_json("12345678912345").value()),
      fixed("map", parse_json(R"({"a": {"b": 1.50}})").value()),
      fixed("list", parse_json("[1, \"x\"]").value()),
      fixed("flag", true),
      fixed("text", "plain"),
      expression("js", "({a: 1})"),
  });
  EvalContext ctx;
  auto number = vars.eval("number", ctx);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->kind(), Value::Kind::number);  // a literal number, not a double
  EXPECT_EQ(number->as_string(), "12345678912345");
  auto map = vars.eval("map", ctx);
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->kind(), Value::Kind::map);
  auto flag = vars.eval("flag", ctx);
  ASSERT_TRUE(flag.ok());
  EXPECT_EQ(flag->kind(), Value::Kind::boolean);
  auto text = vars.eval("text", ctx);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->kind(), Value::Kind::string);
  auto js = vars.eval("js", ctx);
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(js->kind(), Value::Kind::string);  // always the string conversion
  EXPECT_EQ(js->as_string(), "[object Object]");

  EXPECT_EQ(ok(render_with(vars, "{{ eval `number` }}", Json::object())), "12345678912345");
  EXPECT_EQ(ok(render_with(vars, "{{ (eval `map`).a.b }}", Json::object())), "1.50");
  EXPECT_EQ(ok(render_with(vars, "{{ index (eval `list`) 1 }}", Json::object())), "x");
}

TEST(Variables, ValuesAndExpressionsAreRenderedAgainstTheTree) {
  auto vars = Variables::make({
      fixed("greeting", "Hello {{ .input.name }}"),
      expression("double", "{{ .input.n }} * 2"),
      expression("item", "'{{ .iterator.x }}' + '!'"),
      fixed("chained", "{{ eval `greeting` }} and {{ eval `double` }}"),
  });
  auto data = parse_json(R"({"input": {"name": "World", "n": 21}, "iterator": {"x": "it"}})").value();
  EXPECT_EQ(ok(render_with(vars, "{{ eval `greeting` }}", data)), "Hello World");
  EXPECT_EQ(ok(render_with(vars, "{{ eval `double` }}", data)), "42");
  // A nested rendering sees the outer .iterator, as in the original.
  EXPECT_EQ(ok(render_with(vars, "{{ eval `item` }}", data)), "it!");
  EXPECT_EQ(ok(render_with(vars, "{{ eval `chained` }}", data)), "Hello World and 42");
}

TEST(Variables, JsonThroughFromJson) {
  auto vars = Variables::make({expression(
      "rawJSON", "var o = {\"a\":\"utask\",\"b\":666,\"c\":{\"k\":\"v\"},\"d\":[\"1\",\"2\",\"3\"]};\nJSON.stringify(o);\n")});
  EXPECT_EQ(ok(render_with(vars, "{{(eval `rawJSON` | fromJson).a}}")), "utask");
  EXPECT_EQ(ok(render_with(vars, "{{(eval `rawJSON` | mustFromJson).b}}")), "666");
  EXPECT_EQ(ok(render_with(vars, "{{(eval `rawJSON` | mustFromJson).c}}")), "map[k:v]");
  EXPECT_EQ(ok(render_with(vars, "{{(eval `rawJSON` | fromJson).d}}")), "[1 2 3]");
}

TEST(Variables, Errors) {
  auto vars = Variables::make({
      expression("throws", "throw new Error('boom')"),
      expression("loops", "while (true) {}", "50ms"),
      expression("badTimeout", "1", "10x"),
      expression("badSyntax", "var = 1"),
      fixed("badTemplate", "{{ .input.x.y.z }"),
      fixed("failsToRender", "{{ .input.s.field }}"),
      fixed("self", "{{ eval `self` }}"),
  });
  EvalContext ctx(Value::from_json(parse_json(R"({"input": {"s": "str"}})").value()));
  vars.attach(ctx);
  struct Row {
    const char* name;
    const char* message;
  };
  const Row rows[] = {
      {"nope", "Var name not found in template: 'nope'"},
      {"throws", "Error: boom"},
      {"loops", "Recovered from unsafe JS eval: Timed out variable evaluation"},
      {"badTimeout", "time: unknown unit \"x\" in duration \"10x\""},
      {"badSyntax", "(anonymous): Line 1:5 Unexpected token '='"},
      {"badTemplate", "Templating error: template: tmpl:1: unexpected \"}\" in operand"},
      {"failsToRender",
       "Templating error: template: tmpl:1:9: executing \"tmpl\" at <.input.s.field>: can't evaluate field field in type "
       "interface {}"},
      {"self", "variable \"self\": eval nested too deeply"},
  };
  for (const Row& row : rows) {
    auto r = vars.eval(row.name, ctx);
    ASSERT_FALSE(r.ok()) << row.name;
    EXPECT_NE(r.error().message.find(row.message), std::string::npos) << row.name << ": " << r.error().message;
  }
  // Through a template, the error is the original's "error calling eval: ...".
  auto through = render_with(vars, "{{ eval `throws` }}", ctx);
  ASSERT_FALSE(through.ok());
  EXPECT_NE(through.error().message.find("error calling eval: Error: boom"), std::string::npos)
      << through.error().message;
}

TEST(Variables, ExpressionTimeoutIsPerVariable) {
  auto vars = Variables::make({
      expression("quick", "var t = Date.now(); while (Date.now() - t < 300) {} 'done'", "50ms"),
      expression("patient", "var t = Date.now(); while (Date.now() - t < 300) {} 'done'", "5s"),
  });
  EvalContext ctx;
  auto quick = vars.eval("quick", ctx);
  ASSERT_FALSE(quick.ok());
  EXPECT_EQ(quick.error().message, "Recovered from unsafe JS eval: Timed out variable evaluation");
  auto patient = vars.eval("patient", ctx);
  ASSERT_TRUE(patient.ok()) << patient.error().message;
  EXPECT_EQ(patient->as_string(), "done");
}

TEST(Variables, EvalCacheKeepsTheFirstResultPerContext) {
  auto vars = Variables::make({expression("random", "String(Math.random())")});
  EvalContext tree;
  auto first = render_with(vars, "{{ evalCache `random` }}", tree);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(ok(render_with(vars, "{{ evalCache `random` }}", tree)), *first);
  EXPECT_NE(ok(render_with(vars, "{{ eval `random` }}", tree)), *first);  // eval never caches
  EvalContext snapshot;  // another tree starts empty
  EXPECT_NE(ok(render_with(vars, "{{ evalCache `random` }}", snapshot)), *first);
}

TEST(Variables, LastDefinitionWins) {
  auto vars = Variables::make({fixed("x", "first"), fixed("x", "second")});
  EXPECT_EQ(ok(render_with(vars, "{{ eval `x` }}")), "second");
  EXPECT_TRUE(vars.contains("x"));
  EXPECT_FALSE(vars.contains("y"));
}

TEST(Variables, NullValueMeansExpression) {
  model::Variable v = fixed("v", nullptr);
  v.expression = "'from js'";
  auto vars = Variables::make({v, fixed("empty", nullptr)});
  EXPECT_EQ(ok(render_with(vars, "{{ eval `v` }}")), "from js");
  EXPECT_EQ(ok(render_with(vars, "{{ eval `empty` }}")), "undefined");  // an empty program
}

TEST(Variables, ConcurrentRenderings) {
  js::JsEngine engine(js::JsEngineOptions{.max_workers = 2});
  auto vars = Variables::make({expression("square", "{{ .input.n }} * {{ .input.n }}")}, default_function_table(),
                              &engine);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        int n = t * 100 + i;
        Json data = {{"input", {{"n", n}}}};
        if (ok(render_with(vars, "{{ eval `square` }}", data)) != std::to_string(n * n)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(engine.workers_started(), 2u);
}

}  // namespace
}  // namespace utask::values
