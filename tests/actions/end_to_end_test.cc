// Each builtin action end to end: a template of tests/actions/templates run by the real binary
// (`utask run FILE`, UTASK_EXE) in a scratch folder that holds the scripts, checking the JSON
// it prints ({"task": ..., "resolution": ...}).

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "actions/script/process_runner.h"
#include "model/json.h"
#include "support/temp_dir.h"

namespace utask::actions {
namespace {

const std::string kTemplates = std::string(UTASK_SOURCE_DIR) + "/tests/actions/templates";

struct RunOutput {
  int exit_code = -1;
  Json printed;  // null when stdout was no JSON
  std::string log;
};

class EndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    script("greet.sh",
           "#!/bin/sh\nread -r line\n"
           "echo \"greeting $1\"\n"
           "printf '{\"message\":\"%s %s\",\"stdin\":\"%s\"}\\n' \"$GREETING\" \"$1\" \"$line\"\n");
    script("fail.sh", "#!/bin/sh\necho '{}'\nexit \"$1\"\n");
  }
  void script(const std::string& name, const std::string& body) {
    const std::string path = dir_.write("scripts/" + name, body);
    ::chmod(path.c_str(), 0755);
  }

  // `utask --templates-path <children> run <template> <args>` in the scratch folder.
  RunOutput run(const std::string& file, std::vector<std::string> args = {}) {
    ProcessSpec spec;
    spec.program = "/bin/sh";
    spec.args = {"-c", "exec \"$0\" \"$@\" 2>utask.log", UTASK_EXE, "--templates-path",
                 kTemplates + "/children", "--functions-path", dir_.str() + "/functions", "run",
                 kTemplates + "/" + file};
    for (auto& a : args) spec.args.push_back(std::move(a));
    spec.working_directory = dir_.str();
    spec.timeout = std::chrono::seconds(90);
    const ProcessOutcome p = run_process(spec);
    RunOutput out;
    out.exit_code = p.exit_code;
    std::ifstream log(dir_.path() / "utask.log");
    std::stringstream text;
    text << log.rdbuf();
    out.log = text.str();
    auto parsed = parse_json(p.output);
    if (parsed) out.printed = std::move(*parsed);
    return out;
  }

  static const Json& step(const RunOutput& out, const std::string& name) {
    return out.printed["resolution"]["steps"][name];
  }

  // Actions that reach the task world need ActionServices in `utask run`: until it provides
  // them the step fails with this message, and the case cannot be checked.
  static bool services_missing(const RunOutput& out, const std::string& name) {
    const Json& s = step(out, name);
    return s.is_object() && s.value("error", "").find("no task services in this process") != std::string::npos;
  }

  testing::TempDir dir_;
};

TEST_F(EndToEndTest, Script) {
  RunOutput out = run("script.yaml", {"--input", "who=world"});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.exit_code, 0) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& greet = step(out, "greet");
  EXPECT_EQ(greet["state"], "DONE");
  EXPECT_EQ(to_json_text(greet["output"]), R"({"message":"hello world","stdin":"world via stdin"})");
  EXPECT_EQ(greet["metadata"]["exit_code"], "0");
  EXPECT_EQ(greet["metadata"]["output"],
            "greeting world\n{\"message\":\"hello world\",\"stdin\":\"world via stdin\"}\n");
  const Json& failing = step(out, "unrecoverable");
  EXPECT_EQ(failing["state"], "DONE");  // CLIENT_ERROR remapped by its check
  EXPECT_EQ(failing["metadata"]["exit_code"], "7");
  EXPECT_EQ(out.printed["task"]["result"]["message"], "hello world");
}

TEST_F(EndToEndTest, ScriptMissingFromTheScriptsFolderIsRefusedAtLoad) {
  ::unlink((dir_.path() / "scripts/greet.sh").c_str());
  RunOutput out = run("script.yaml", {"--input", "who=world"});
  EXPECT_EQ(out.exit_code, 2);
  EXPECT_NE(out.log.find("can't stat"), std::string::npos) << out.log;
}

TEST_F(EndToEndTest, Tag) {
  RunOutput out = run("tag.yaml", {"--input", "team=infra"});
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& tags = out.printed["task"]["tags"];
  EXPECT_EQ(tags.value("team", ""), "infra") << to_json_text(out.printed["task"]);
  EXPECT_FALSE(tags.contains("obsolete")) << to_json_text(tags);
}

TEST_F(EndToEndTest, Subtask) {
  RunOutput out = run("subtask.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  if (services_missing(out, "child")) GTEST_SKIP() << "utask run provides no ActionServices yet";
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& child = step(out, "child");
  EXPECT_EQ(child["output"]["state"], "DONE");
  EXPECT_EQ(out.printed["task"]["result"]["child_result"], "6");
}

TEST_F(EndToEndTest, Batch) {
  RunOutput out = run("batch.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  if (services_missing(out, "children")) GTEST_SKIP() << "utask run provides no ActionServices yet";
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& batch = step(out, "children");
  ASSERT_TRUE(batch["metadata"].is_string()) << to_json_text(batch);
  const std::string progress = batch["metadata"].get<std::string>();
  EXPECT_NE(progress.find(R"(\"remaining_tasks\":0,\"tasks_started\":3)"), std::string::npos) << progress;
}

TEST_F(EndToEndTest, Callback) {
  RunOutput out = run("callback.yaml");
  ASSERT_FALSE(out.printed.is_null()) << out.log;
  if (services_missing(out, "createCallback")) GTEST_SKIP() << "utask run provides no ActionServices yet";
  EXPECT_EQ(out.printed["resolution"]["state"], "DONE") << to_json_text(out.printed);
  const Json& created = step(out, "createCallback")["output"];
  const std::string id = created.value("id", "");
  EXPECT_FALSE(id.empty());
  EXPECT_FALSE(created.value("token", "").empty());
  EXPECT_NE(created.value("url", "").find(id), std::string::npos);
  EXPECT_EQ(created["schema"]["required"], Json::array({"ok"}));
}

}  // namespace
}  // namespace utask::actions
