#include "actions/script/script_action.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>

#include "actions/catalog.h"
#include "model/json.h"
#include "support/temp_dir.h"

namespace utask::actions {
namespace {

Json json(const std::string& text) { return parse_json(text).value(); }

// A scripts folder written at test time; each test adds the scripts it runs.
class ScriptTest : public ::testing::Test {
 protected:
  void add(const std::string& name, const std::string& body, bool executable = true) {
    const std::string path = dir_.write(name, body);
    ::chmod(path.c_str(), executable ? 0755 : 0644);
  }
  Result<void> validate(const std::string& configuration, const std::string& base = "null") const {
    return action_.validate(json(base), json(configuration));
  }
  ActionResult run(const std::string& configuration, const std::atomic<bool>* cancelled = nullptr) const {
    ExecutionRequest r;
    r.configuration = json(configuration);
    r.context = Json{{"task_id", "T1"}, {"resolution_id", "R1"}};
    r.task_id = "T1";
    r.resolution_id = "R1";
    r.step_name = "stepOne";
    r.cancelled = cancelled;
    return action_.execute(r);
  }

  testing::TempDir dir_;
  ScriptAction action_{dir_.str()};
};

const char* kHello =
    "#!/bin/sh\n"
    "cat <<EOF\n"
    "Hello world script\n"
    "{\"dumb_string\":\"Hello $1!\",\"random_object\":{\"foo\":\"bar\"}}\n"
    "EOF\n";

TEST_F(ScriptTest, HelloWorldAsTheConformanceSuiteExpects) {
  add("scripts_tests/hello-world.sh", kHello);
  ASSERT_TRUE(validate(R"({"file_path":"./scripts_tests/hello-world.sh","argv":["{{.input.argv}}"],"timeout_seconds":"25"})").ok());
  ActionResult r = run(R"({"file_path":"./scripts_tests/hello-world.sh","argv":["world"],"timeout_seconds":"25"})");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(to_json_text(r.output), R"({"dumb_string":"Hello world!","random_object":{"foo":"bar"}})");
  ASSERT_TRUE(r.metadata.is_object());
  EXPECT_FALSE(r.metadata["execution_time"].get<std::string>().empty());
  r.metadata["execution_time"] = "";
  EXPECT_EQ(to_json_text(r.metadata),
            to_json_text(json(R"({"exit_code": "0", "process_state": "exit status 0", "output": "Hello world script\n{\"dumb_string\":\"Hello world!\",\"random_object\":{\"foo\":\"bar\"}}\n", "execution_time": "", "error": ""})")));
}

TEST_F(ScriptTest, LoadTimeChecks) {
  add("ok.sh", "#!/bin/sh\necho '{}'\n");
  add("plain.sh", "#!/bin/sh\n", false);
  const std::string folder = dir_.str();
  struct Case {
    std::string configuration;
    std::string message;  // "" = accepted
  } cases[] = {
      {R"({"file_path":"ok.sh"})", ""},
      {R"({"file_path":"ok.sh","timeout":"10s","output_mode":"disabled","exit_codes_unrecoverable":["1","5-9"]})", ""},
      {R"({"file_path":"{{ .input.file }}","timeout":"{{ .input.t }}"})", ""},  // checked once rendered
      {R"({})", "file is missing"},
      {R"({"file_path":"missing.sh"})",
       "can't stat \"" + folder + "/missing.sh\": stat " + folder + "/missing.sh: no such file or directory"},
      {R"({"file_path":"plain.sh"})", folder + "/plain.sh is not executable"},
      {R"({"file_path":"/bin/sh"})", "file_path \"/bin/sh\" must be a path inside the scripts folder"},
      {R"({"file_path":"../ok.sh"})", "file_path \"../ok.sh\" must be a path inside the scripts folder"},
      {R"({"file_path":"ok.sh","timeout":"-1s"})", "timeout must be positive"},
      {R"({"file_path":"ok.sh","timeout":"soon"})",
       "can't parse timeout field \"soon\": time: invalid duration \"soon\""},
      {R"({"file_path":"ok.sh","output_mode":"auto-result"})",
       "invalid value \"auto-result\" for output_mode, allowed values are: disabled, manual-delimiters, manual-lastline"},
      {R"({"file_path":"ok.sh","output_manual_delimiters":["a","b"]})",
       "invalid parameter \"output_manual_delimiters\", output_mode is configured to \"manual-lastline\""},
      {R"({"file_path":"ok.sh","output_mode":"manual-delimiters","output_manual_delimiters":["a"]})",
       "wrong number of output_manual_delimiters, 2 expected, found 1"},
      {R"({"file_path":"ok.sh","exit_codes_unrecoverable":["0-3"]})",
       "exit_codes_unrecoverable cannot map exit code 0 (non-sense)"},
      {R"({"file_path":"ok.sh","argv":"x"})",
       "failed to unmarshal configuration: json: cannot unmarshal string into Go struct field Config.argv of type []string"},
      {R"({"file_path":"ok.sh","argv":[1]})",
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field Config.argv of type string"},
      {R"({"file_path":5})",
       "failed to unmarshal configuration: json: cannot unmarshal number into Go struct field Config.file_path of type string"},
  };
  for (const auto& c : cases) {
    auto r = validate(c.configuration);
    if (c.message.empty()) {
      EXPECT_TRUE(r.ok()) << c.configuration << ": " << r.error().message;
    } else {
      ASSERT_FALSE(r.ok()) << c.configuration;
      EXPECT_EQ(r.error().message, c.message) << c.configuration;
    }
  }
  // The base configuration counts: its file_path is kept under a configuration without one.
  EXPECT_TRUE(validate(R"({"argv":["a"]})", R"({"file_path":"ok.sh"})").ok());
}

TEST_F(ScriptTest, RegisteredWithTheScriptsFolder) {
  add("ok.sh", "#!/bin/sh\necho '{\"ok\":true}'\n");
  const auto registry = ActionRegistry::with_builtins({dir_.str()});
  EXPECT_TRUE(registry.validate_plugin_configuration("script", Json(), json(R"({"file_path":"ok.sh"})")).ok());
  EXPECT_FALSE(registry.validate_plugin_configuration("script", Json(), json(R"({"file_path":"no.sh"})")).ok());
  ASSERT_NE(registry.find_action("script"), nullptr);
  EXPECT_EQ(registry.find_action("script")->version(), "0.2");
}

TEST_F(ScriptTest, TemplatedValuesAreCheckedOnceRendered) {
  ActionResult r = run(R"({"file_path":"missing.sh"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_NE(r.error->message.find("can't stat"), std::string::npos);
  add("ok.sh", "#!/bin/sh\necho '{}'\n");
  r = run(R"({"file_path":"ok.sh","timeout":"later"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_EQ(r.error->message, "can't parse timeout field \"later\": time: invalid duration \"later\"");
}

TEST_F(ScriptTest, ExitCodesDecideTheErrorKind) {
  add("fail.sh", "#!/bin/sh\necho \"failing with $1\"\necho '{\"partial\":true}'\nexit \"$1\"\n");
  ActionResult r = run(R"({"file_path":"fail.sh","argv":["3"]})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "exit code: 3");
  EXPECT_EQ(r.metadata["exit_code"], "3");
  EXPECT_EQ(r.metadata["process_state"], "exit status 3");
  EXPECT_EQ(r.metadata["error"], "exit status 3");
  EXPECT_EQ(to_json_text(r.output), R"({"partial":true})");  // still parsed

  r = run(R"({"file_path":"fail.sh","argv":["3"],"exit_codes_unrecoverable":["3"]})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);
  EXPECT_EQ(r.error->message, "Client error: exit code: 3: exit status 3");

  r = run(R"({"file_path":"fail.sh","argv":["12"],"exit_codes_unrecoverable":["10-20"]})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::client);

  r = run(R"({"file_path":"fail.sh","argv":["21"],"exit_codes_unrecoverable":["10-20"]})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "exit code: 21");
}

TEST_F(ScriptTest, ALastLineThatIsNoObjectFailsASuccessfulRun) {
  add("text.sh", "#!/bin/sh\necho 'just text'\n");
  ActionResult r = run(R"({"file_path":"text.sh"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_TRUE(r.output.is_null());
  EXPECT_EQ(r.metadata["output"], "just text\n");
  r = run(R"({"file_path":"text.sh","output_mode":"disabled"})");
  EXPECT_FALSE(r.error);
  EXPECT_EQ(to_json_text(r.output), "{}");
}

TEST_F(ScriptTest, DelimitersPickTheResult) {
  add("delim.sh", "#!/bin/sh\necho 'noise'\necho '>>>{\"a\":\"b\"}<<<'\necho 'more noise'\n");
  ActionResult r = run(
      R"({"file_path":"delim.sh","output_mode":"manual-delimiters","output_manual_delimiters":[">>>","<<<"]})");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(to_json_text(r.output), R"({"a":"b"})");
}

TEST_F(ScriptTest, TimeoutKillsTheWholeProcessGroup) {
  // The background sleep keeps the output pipe open: only a group kill ends the run early.
  add("slow.sh", "#!/bin/sh\nsleep 60 &\nsleep 60\n");
  const auto start = std::chrono::steady_clock::now();
  ActionResult r = run(R"({"file_path":"slow.sh","timeout":"300ms"})");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "exit code: -1");
  EXPECT_EQ(r.metadata["exit_code"], "-1");
  EXPECT_EQ(r.metadata["process_state"], "signal: killed");
  EXPECT_EQ(r.metadata["error"], "signal: killed");
}

TEST_F(ScriptTest, CancellationInterruptsTheRun) {
  add("slow.sh", "#!/bin/sh\nsleep 60\n");
  std::atomic<bool> cancelled{true};
  ActionResult r = run(R"({"file_path":"slow.sh"})", &cancelled);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::not_provisioned);
  EXPECT_EQ(r.error->message, "interrupted");
  EXPECT_EQ(r.metadata["process_state"], "signal: killed");
}

TEST_F(ScriptTest, LargeOutputDoesNotBlock) {
  // 10 MiB on stdout and some on stderr, with 10 MiB on stdin the script never reads.
  add("big.sh",
      "#!/bin/sh\nhead -c 10485760 /dev/zero | tr '\\0' 'a'\necho\nhead -c 100000 /dev/zero | tr '\\0' 'e' >&2\necho >&2\n"
      "echo '{\"done\":true}'\n");
  const std::string stdin_data(10 * 1024 * 1024, 'i');
  Json config = {{"file_path", "big.sh"}, {"stdin", stdin_data}};
  ActionResult r = run(to_json_text(config));
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(to_json_text(r.output), R"({"done":true})");
  EXPECT_EQ(r.metadata["output"].get<std::string>().size(), 10485760u + 1 + 100000 + 1 + 14);
}

TEST_F(ScriptTest, StdinIsFed) {
  add("cat.sh", "#!/bin/sh\ncat\n");
  ActionResult r = run(R"({"file_path":"cat.sh","stdin":"line one\n{\"from\":\"stdin\"}\n"})");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(to_json_text(r.output), R"({"from":"stdin"})");
  r = run(R"({"file_path":"cat.sh"})");  // no stdin: end of file at once
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(to_json_text(r.output), "{}");
}

TEST_F(ScriptTest, EnvironmentCarriesTheTaskAndTheConfiguration) {
  add("env.sh",
      "#!/bin/sh\nprintf '{\"task\":\"%s\",\"resolution\":\"%s\",\"step\":\"%s\",\"a\":\"%s\",\"n\":\"%s\","
      "\"b\":\"%s\",\"home\":\"%s\",\"pwd\":\"%s\"}\\n' \"$UTASK_TASK_ID\" \"$UTASK_RESOLUTION_ID\" "
      "\"$UTASK_STEP_NAME\" \"$A\" \"$N\" \"$B\" \"$HOME\" \"$(pwd)\"\n");
  ActionResult r = run(R"({"file_path":"env.sh","environment":{"A":"x","N":12,"B":true,"HOME":"/elsewhere"}})");
  ASSERT_FALSE(r.error) << r.error->message;
  EXPECT_EQ(r.output["task"], "T1");
  EXPECT_EQ(r.output["resolution"], "R1");
  EXPECT_EQ(r.output["step"], "stepOne");
  EXPECT_EQ(r.output["a"], "x");
  EXPECT_EQ(r.output["n"], "12");
  EXPECT_EQ(r.output["b"], "true");
  EXPECT_EQ(r.output["home"], "/elsewhere");  // configuration wins over the inherited value
  EXPECT_EQ(std::filesystem::canonical(r.output["pwd"].get<std::string>()), std::filesystem::canonical(dir_.path()));
}

TEST_F(ScriptTest, AProgramThatCannotStartReportsExitCodeOne) {
  add("garbage.sh", "\x7f" "ELF not really\n");
  ActionResult r = run(R"({"file_path":"garbage.sh"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->kind, ErrorKind::server);
  EXPECT_EQ(r.error->message, "exit code: 1");
  EXPECT_EQ(r.metadata["exit_code"], "1");
  EXPECT_EQ(r.metadata["process_state"], "<nil>");
  EXPECT_NE(r.metadata["error"].get<std::string>().find("exec format error"), std::string::npos)
      << r.metadata["error"];
}

TEST_F(ScriptTest, ResourcesAndContext) {
  EXPECT_EQ(action_.resources(json(R"({"file_path":"a/b.sh"})")), (std::vector<std::string>{"fork", "script:a/b.sh"}));
  EXPECT_EQ(to_json_text(action_.context_template("s")),
            R"({"resolution_id":"{{ .task.resolution_id }}","task_id":"{{ .task.task_id }}"})");
}

}  // namespace
}  // namespace utask::actions
