// The engine through its public API (values/renderer.h): what the differential corpus cannot
// show, i.e. the C++ API itself — contexts, the eval hook, function tables, reuse and threads.

#include "values/renderer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "model/json.h"

namespace utask::values {
namespace {

Json data(const char* text) { return *parse_json(text); }

TEST(Renderer, RendersData) {
  auto r = render("Hello {{ .input.name }} {{ .input.big }}", data(R"({"input":{"name":"x","big":12345678901234567890}})"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "Hello x 12345678901234567890");
}

TEST(Renderer, ParseErrorNamesTheTemplate) {
  auto t = Template::parse("{{ if }}", "mytpl");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().message, "template: mytpl:1: missing value for if");
  EXPECT_EQ(t.error().code, ErrorCode::invalid_template);
}

TEST(Renderer, ExecErrorNamesLineColumnAndNode) {
  auto t = Template::parse("a\n  {{ .x.y }}", "tmpl");
  ASSERT_TRUE(t.ok());
  auto r = t->execute(data(R"({"x":"s"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "template: tmpl:2:7: executing \"tmpl\" at <.x.y>: can't evaluate field y in type interface {}");
}

TEST(Renderer, TemplateIsReusableAcrossThreads) {
  auto t = Template::parse("{{ range . }}{{ . }}{{ end }}", "tmpl");
  ASSERT_TRUE(t.ok());
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  for (int i = 0; i < 4; i++) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 200; k++) {
        auto r = t->execute(Value::list({Value::integer(i), Value::integer(k)}));
        if (r.ok() && *r == std::to_string(i) + std::to_string(k)) good++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(good.load(), 800);
}

FunctionTable custom_table() {
  FunctionTable t;
  t.add(FunctionRow{"twice", "func(s string) string", "", "",
                    [](FunctionCall& c) -> Result<Value> { return Value::string(c.args[0].as_string() + c.args[0].as_string()); }});
  t.add(FunctionRow{"boom", "func() (string, error)", "", "",
                    [](FunctionCall&) -> Result<Value> { return Error::invalid_template("kaboom"); }});
  t.add(FunctionRow{"count", "func(xs ...interface{}) int64", "", "",
                    [](FunctionCall& c) -> Result<Value> { return Value::integer(static_cast<int64_t>(c.args.size())); }});
  t.add(FunctionRow{"root", "func() interface{}", "", "",
                    [](FunctionCall& c) -> Result<Value> { return c.context->root(); }});
  return t;
}

TEST(Renderer, CallsTableFunctionsWithGoConversions) {
  auto table = custom_table();
  auto ok = Template::parse("{{ twice \"ab\" }} {{ \"x\" | twice }} {{ count 1 2 3 }} {{ printf \"%T\" (count) }}", "t", table);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(*ok->execute(Value::missing()), "abab xx 3 int64");

  auto wrong = Template::parse("{{ twice 3 }}", "t", table);
  ASSERT_TRUE(wrong.ok());
  auto r = wrong->execute(Value::missing());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "template: t:1:9: executing \"t\" at <3>: expected string; found 3");

  auto fails = Template::parse("{{ boom }}", "t", table);
  auto f = fails->execute(Value::missing());
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().message, "template: t:1:3: executing \"t\" at <boom>: error calling boom: kaboom");
}

TEST(Renderer, TableFunctionsShadowBuiltinsButUnknownNamesFail) {
  auto table = custom_table();
  EXPECT_FALSE(Template::parse("{{ upper \"x\" }}", "t", table).ok());
  EXPECT_TRUE(Template::parse("{{ len \"x\" }}", "t", table).ok());
}

TEST(Renderer, ContextSuppliesRootAndEvalHook) {
  auto table = custom_table();
  auto t = Template::parse("{{ root.k }}", "t", table);
  ASSERT_TRUE(t.ok());
  EvalContext ctx(Value::from_json(data(R"({"k":"from-root"})")));
  EXPECT_EQ(*t->execute(Value::missing(), &ctx), "from-root");

  int calls = 0;
  ctx.set_eval_hook([&](std::string_view name) -> Result<Value> {
    calls++;
    if (name == "v") return Value::string("value");
    return Error::invalid_template("Var name not found in template: '" + std::string(name) + "'");
  });
  EXPECT_EQ(ctx.eval("v")->as_string(), "value");
  EXPECT_EQ(ctx.eval_cached("v")->as_string(), "value");
  EXPECT_EQ(ctx.eval_cached("v")->as_string(), "value");
  EXPECT_EQ(calls, 2);  // eval, then one evalCache miss
  EXPECT_FALSE(ctx.eval("nope").ok());

  EvalContext bare;
  auto r = bare.eval("x");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "Var name not found in template: 'x'");
}

TEST(Renderer, DeepRecursionFailsCleanly) {
  auto t = Template::parse("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" }}", "t");
  ASSERT_TRUE(t.ok());
  auto r = t->execute(Value::missing());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exceeded maximum template depth (1000)"), std::string::npos);
}

TEST(RenderCommand, SingleAndBatchModes) {
  std::string exe = UTASK_EXE;
  std::string out_path = std::string(UTASK_BINARY_DIR) + "/render_cmd_test.out";
  std::string cmd = "echo '{\"a\":1.50}' | '" + exe + "' render --data - '{{ .a }}!' > '" + out_path + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(out_path);
  std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(got, "1.50!");

  cmd = "'" + exe + "' render '{{ .a.b' > /dev/null 2>&1";
  EXPECT_NE(std::system(cmd.c_str()), 0);

  cmd = "printf '%s\\n%s\\n' '{\"template\":\"{{ .x }}\",\"data\":{\"x\":2}}' '{\"template\":\"{{ if }}\"}' | '" + exe +
        "' render --batch > '" + out_path + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in2(out_path);
  std::string l1, l2;
  std::getline(in2, l1);
  std::getline(in2, l2);
  EXPECT_EQ(l1, R"({"output":"2"})");
  EXPECT_EQ(l2, R"({"error":"template: tmpl:1: missing value for if"})");
}

}  // namespace
}  // namespace utask::values
