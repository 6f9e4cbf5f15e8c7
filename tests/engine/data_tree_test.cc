#include "engine/data_tree.h"

#include <gtest/gtest.h>

#include "harness.h"
#include "model/task_template.h"
#include "values/variables.h"

namespace utask::engine {
namespace {

using testing::json;

class Tree : public ::testing::Test {
 protected:
  Tree() : variables_(values::Variables::make(make_vars())) {
    resolution_.task.id = "task-1";
    resolution_.id = "res-1";
    resolution_.task.input = json(R"({"ifoo1":"Hello","ifoo2":true,"ifoo3":12,"ifoo4":["Hello","you!"]})");
    StepState first;
    first.definition.name = "first";
    first.output = json(R"({"result":{"my-payload":"{\"common-name\":\"utask.example.org\",\"id\":32,\"foo\":{\"bar\":1}}"}})");
    resolution_.steps["first"] = first;
    tree_.emplace(resolution_, Json::object(), "default", variables_, cache_);
  }
  static std::vector<model::Variable> make_vars() {
    model::Variable v;
    v.name = "foobar0";
    v.value = Json("ok");
    return {v};
  }
  std::string render(const std::string& text, const Json* item = nullptr, std::string step = "foo") {
    auto r = tree_->render(text, item, step);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : "";
  }

  ResolutionState resolution_;
  values::Variables variables_;
  TemplateCache cache_;
  std::optional<DataTree> tree_;
};

// EXPECTATIONS.md B1–B3 (step "apply" tests).
TEST_F(Tree, RendersStringsInsideDocuments) {
  struct Case {
    const char* in;
    const char* out;
  } cases[] = {
      {R"({"foo": "{{ .input.ifoo1}} -> {{.input.ifoo3 }}"})", R"({"foo":"Hello -> 12"})"},
      {R"({"fooo":{"foo": "{{ .input.ifoo1}} -> {{.input.ifoo3 }}","array":["{{.input.ifoo2}}"]}})",
       R"({"fooo":{"array":["true"],"foo":"Hello -> 12"}})"},
      {R"(["fooo",{"foo": "{{ .input.ifoo1}} -> {{.input.ifoo3 }}","array":["{{.input.ifoo2}}"]}])",
       R"(["fooo",{"array":["true"],"foo":"Hello -> 12"}])"},
      {R"("{{ .input.ifoo1 }}")", R"("{{ .input.ifoo1 }}")"},  // a top-level string is kept
  };
  for (const auto& c : cases) {
    auto r = tree_->render_json(json(c.in), nullptr, "");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(to_json_text(*r), c.out);
  }
}

TEST_F(Tree, RenderingErrorsAbortDocuments) {
  for (const char* in : {R"({"foo": "{{ .input.ifoo1}} -> {{.input.ifoo3.notexisting }}"})",
                         R"({"fooo":{"foo": "{{.input.ifoo3.notexisting }}"}})",
                         R"(["fooo",{"foo": "{{.input.ifoo3.notexisting }}"}])"}) {
    auto r = tree_->render_json(json(in), nullptr, "");
    ASSERT_FALSE(r.ok()) << in;
    EXPECT_NE(r.error().message.find("can't evaluate field notexisting in type interface"),
              std::string::npos)
        << r.error().message;
    EXPECT_EQ(r.error().message.rfind("Templating error: ", 0), 0u);
  }
}

// EXPECTATIONS.md C1.
TEST_F(Tree, FieldAndFromJsonReachNestedPayloads) {
  EXPECT_EQ(render("{{ field `step` `first` `output` `result` `my-payload` }}"),
            R"({"common-name":"utask.example.org","id":32,"foo":{"bar":1}})");
  EXPECT_EQ(render("{{ field `step` `first` `output` `result` `my-payload` | fromJson | fieldFrom `common-name` }}"),
            "utask.example.org");
  EXPECT_EQ(render("{{ field `step` `first` `output` `result` `my-payload` | fromJson | fieldFrom `foo` `bar` }}"),
            "1");
  EXPECT_EQ(render("{{ `{\"common-name\":\"utask.example.org\",\"id\":32}` | fromJson | fieldFrom `invalid` | default `example.org` }}"),
            "example.org");
}

// EXPECTATIONS.md C2: literal numbers survive snapshots; iterator and eval work on both trees.
TEST_F(Tree, SnapshotsKeepLiteralNumbersAndVariables) {
  StepState s;
  s.definition.name = "first";
  s.output = json(R"({"my-payload":{"foo":0}})");
  tree_->set_step(s);
  DataTree snap = tree_->snapshot();
  EXPECT_EQ(to_json_text(snap.root()["step"]["first"]["output"]), R"({"my-payload":{"foo":0}})");
  EXPECT_EQ(snap.render("{{ eval `foobar0` }}").value(), "ok");
  const Json item = json(R"({"foo":{"bar":["foobar","buzz"]}})");
  EXPECT_EQ(snap.render("{{ index .iterator.foo.bar 1 }}", &item).value(), "buzz");
  EXPECT_FALSE(snap.root().contains("iterator"));  // removed after rendering
}

TEST_F(Tree, SnapshotsAreIndependentOfTheLiveTree) {
  EXPECT_EQ(render("{{ .input.ifoo1 }}"), "Hello");  // the live view is built
  DataTree snap = tree_->snapshot();
  snap.set("function_args", json(R"({"name":"snap"})"));
  StepState s;
  s.definition.name = "first";
  s.output = json(R"({"v":"live"})");
  tree_->set_step(s);
  EXPECT_EQ(snap.render("{{ .function_args.name }} {{ .step.first.output.v }}").value(), "snap <no value>");
  EXPECT_EQ(render("{{ .function_args.name }} {{ .step.first.output.v }}"), "<no value> live");
}

TEST_F(Tree, ThisIsTheStepRenderedFor) {
  StepState s;
  s.definition.name = "first";
  s.state = "DONE";
  s.try_count = 2;
  tree_->set_step(s);
  EXPECT_EQ(render("{{ .step.this.state }} {{ .step.this.try_count }}", nullptr, "first"), "DONE 2");
  EXPECT_EQ(render("{{ .step.this.state }}", nullptr, "nope"), "<no value>");
  EXPECT_FALSE(tree_->root()["step"].contains("this"));
}

TEST_F(Tree, NullEntriesAreEmptyMapsAndTaskInfosArePresent) {
  EXPECT_EQ(render("{{ .step.first.metadata.a.b }}"), "<no value>");
  EXPECT_EQ(render("{{ .task.task_id }} {{ .task.resolution_id }} {{ .task.region }}"),
            "task-1 res-1 default");
}

}  // namespace
}  // namespace utask::engine
