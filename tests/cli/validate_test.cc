// `utask validate`, run as a real process (UTASK_EXE) on the example templates, the lint
// cases of tests/model/lint and files written here: output lines and exit codes.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.h"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = UTASK_SOURCE_DIR;

struct ProcessRun {
  int exit_code;
  std::string out;  // stdout only: logs go to stderr
};

std::string quote(const std::string& s) { return "'" + s + "'"; }

ProcessRun run_validate(const std::string& args) {
  const std::string command = quote(UTASK_EXE) + " validate " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  EXPECT_NE(pipe, nullptr);
  if (!pipe) return {-1, ""};
  std::string out;
  std::array<char, 4096> buffer;
  while (size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) out.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string last_line(const std::string& out) {
  const auto end = out.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  const auto newline = out.rfind('\n', end);
  const size_t start = newline == std::string::npos ? 0 : newline + 1;
  return out.substr(start, end - start + 1);
}

using ScratchDir = utask::testing::TempDir;

const std::string kFunctions = " --functions-path " + quote((kSource / "functions").string());

TEST(ValidateCommand, ExampleTemplatesPass) {
  const ProcessRun r = run_validate(quote((kSource / "templates").string()) + kFunctions);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.out, "4 template(s), 1 function(s): 0 error(s), 0 warning(s)\n");
}

TEST(ValidateCommand, DefaultsToTheTemplatesPathFolders) {
  const ProcessRun r = run_validate("--templates-path " + quote((kSource / "templates").string()) +
                             kFunctions);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(last_line(r.out), "4 template(s), 1 function(s): 0 error(s), 0 warning(s)");
}

TEST(ValidateCommand, PrintsEveryErrorAndFails) {
  const fs::path file = kSource / "tests/model/lint/dependencies.yaml";
  const ProcessRun r = run_validate(quote(file.string()) + kFunctions);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find(file.string() +
                       ": step unknown: Invalid dependency, no step with that name: \"ghost\"\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(file.string() + ": step anyNotAlone: Invalid dependency, no other state "
                                       "allowed if ANY is declared\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(last_line(r.out), "1 template(s), 1 function(s): 5 error(s), 0 warning(s)");
}

TEST(ValidateCommand, WarningsAloneDoNotFail) {
  const fs::path file = kSource / "tests/model/lint/unknown-fields.yaml";
  const ProcessRun r = run_validate(quote(file.string()) + kFunctions);
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("warning: " + file.string() +
                       ": template: unknown field \"retrymaxx\" ignored\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(last_line(r.out), "1 template(s), 1 function(s): 0 error(s), 2 warning(s)");
}

TEST(ValidateCommand, SyntaxErrorsAndMissingPaths) {
  ScratchDir dir;
  dir.write("broken.yaml", "name: broken\nsteps: [\n");
  dir.write("notes.txt", "not a template");  // only *.yaml files of a folder are read
  const ProcessRun r = run_validate(quote(dir.path().string()) + " " +
                             quote((dir.path() / "missing.yaml").string()) + kFunctions);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find((dir.path() / "broken.yaml").string() + ":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find((dir.path() / "missing.yaml").string() + ": no such file or folder\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("notes.txt"), std::string::npos);
  EXPECT_EQ(last_line(r.out), "1 template(s), 1 function(s): 2 error(s), 0 warning(s)");
}

TEST(ValidateCommand, FunctionsAreLoadedAndLintedFirst) {
  ScratchDir dir;
  dir.write("functions/bad.yaml",
            "name: my::bad\naction:\n  type: echo\n  configuration: {error_type: maybe}\n");
  dir.write("functions/good.yaml",
            "name: my::good\naction:\n  type: echo\n  configuration:\n"
            "    output: '{{ .function_args.who }}'\n");
  const auto tmpl = dir.write("uses.yaml", R"(name: uses-functions
description: calls a function
title_format: "[test] functions"
steps:
  ok:
    action:
      type: my::good
      configuration: {who: me}
  missingArgument:
    action:
      type: my::good
)");
  const ProcessRun r = run_validate(quote(tmpl) + " --functions-path " +
                             quote((dir.path() / "functions").string()));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("bad.yaml: function my::bad: Invalid executor action: Wrong error type"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("uses.yaml: step missingArgument: Invalid executor action: missing "
                       "function_args \"who\""),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("step ok:"), std::string::npos) << r.out;
  EXPECT_EQ(last_line(r.out), "1 template(s), 2 function(s): 2 error(s), 0 warning(s)");
}

TEST(ValidateCommand, MissingFunctionsFolderIsAWarning) {
  ScratchDir dir;
  const auto tmpl = dir.write("plain.yaml", R"(name: plain
description: no function
title_format: "[test] plain"
steps:
  one:
    action: {type: echo}
)");
  const ProcessRun r = run_validate(quote(tmpl) + " --functions-path " +
                             quote((dir.path() / "nothing").string()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("warning: " + (dir.path() / "nothing").string() +
                       ": functions folder not found: no function loaded\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(last_line(r.out), "1 template(s), 0 function(s): 0 error(s), 1 warning(s)");
}

}  // namespace
