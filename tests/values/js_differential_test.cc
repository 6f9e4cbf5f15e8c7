// Differential test of template variable expressions: every program of js_cases.txt gives
// the same result in our engine and in the original's interpreter, otto (built from Debian's
// golang-github-robertkrimen-otto-dev by this test, see js_oracle/main.go).

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/json.h"
#include "values/js/js_engine.h"

namespace utask::values::js {
namespace {

namespace fs = std::filesystem;

struct JsCase {
  int line = 0;           // of the program's first line in js_cases.txt
  std::string program;
  bool differs = false;   // a deliberate difference: compare with `expect`, not with otto
  std::string expect;     // "output: ..." or "error: ..."
};

std::vector<JsCase> load_cases(const fs::path& path) {
  std::ifstream in(path);
  std::vector<JsCase> cases;
  std::string line;
  int number = 0;
  bool header = true;
  JsCase current;
  auto flush = [&] {
    if (!header && (!current.program.empty() || current.differs)) cases.push_back(current);
    current = JsCase{};
  };
  while (std::getline(in, line)) {
    ++number;
    if (line == "----") {
      flush();
      header = false;
      continue;
    }
    if (header) continue;
    if (line.starts_with("#differs:")) {
      current.differs = true;
    } else if (line.starts_with("#expect: ")) {
      current.expect = line.substr(9);
    } else if (!line.starts_with("#")) {
      if (current.program.empty()) current.line = number;
      if (!current.program.empty()) current.program += '\n';
      current.program += line;
    }
  }
  flush();
  return cases;
}

std::string outcome(const Result<std::string>& r) { return r.ok() ? "output: " + *r : "error: " + r.error().message; }

// Builds the oracle; an empty path when Go or otto is missing (see scripts/setup.sh).
std::string build_oracle(std::string& log) {
  fs::path out = fs::path(UTASK_BINARY_DIR) / "tests" / "values" / "js_oracle";
  fs::create_directories(out.parent_path());
  fs::path src = fs::path(UTASK_SOURCE_DIR) / "tests" / "values" / "js_oracle" / "main.go";
  std::string cmd = "GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOCACHE='" +
                    (fs::path(UTASK_BINARY_DIR) / "go-cache").string() + "' go build -o '" + out.string() + "' '" +
                    src.string() + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return {};
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) log += buf;
  return pclose(p) == 0 ? out.string() : std::string();
}

std::vector<std::string> run_oracle(const std::string& oracle, const std::vector<JsCase>& cases) {
  fs::path requests = fs::path(UTASK_BINARY_DIR) / "tests" / "values" / "js_oracle_requests.jsonl";
  {
    std::ofstream out(requests);
    for (const JsCase& c : cases) out << to_json_text(Json{{"program", c.program}}) << '\n';
  }
  std::vector<std::string> results;
  std::string cmd = "'" + oracle + "' < '" + requests.string() + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return results;
  std::string line;
  int c;
  while ((c = fgetc(p)) != EOF) {
    if (c != '\n') {
      line += static_cast<char>(c);
      continue;
    }
    auto j = parse_json(line);
    if (!j) {
      results.push_back("unreadable oracle line: " + line);
    } else if (j->contains("output")) {
      results.push_back("output: " + (*j)["output"].get<std::string>());
    } else {
      results.push_back("error: " + (*j)["error"].get<std::string>());
    }
    line.clear();
  }
  pclose(p);
  return results;
}

TEST(JsDifferential, SameResultsAsTheOriginalInterpreter) {
  auto cases = load_cases(fs::path(UTASK_SOURCE_DIR) / "tests" / "values" / "js_cases.txt");
  ASSERT_GE(cases.size(), 200u);

  std::vector<JsCase> compared;
  for (const JsCase& c : cases) {
    if (!c.differs) {
      compared.push_back(c);
      continue;
    }
    ASSERT_FALSE(c.expect.empty()) << "js_cases.txt:" << c.line << ": #differs without #expect";
    EXPECT_EQ(outcome(JsEngine::shared().evaluate(c.program, std::chrono::seconds(10))), c.expect)
        << "js_cases.txt:" << c.line << ":\n" << c.program;
  }

  std::string log;
  std::string oracle = build_oracle(log);
  if (oracle.empty()) GTEST_SKIP() << "cannot build the otto oracle (make setup installs Go and otto):\n" << log;
  auto expected = run_oracle(oracle, compared);
  ASSERT_EQ(expected.size(), compared.size());
  int same = 0;
  for (size_t i = 0; i < compared.size(); ++i) {
    std::string ours = outcome(JsEngine::shared().evaluate(compared[i].program, std::chrono::seconds(10)));
    EXPECT_EQ(ours, expected[i]) << "js_cases.txt:" << compared[i].line << ":\n" << compared[i].program;
    if (ours == expected[i]) ++same;
  }
  std::cout << same << " of " << compared.size() << " programs identical to otto\n";
}

}  // namespace
}  // namespace utask::values::js
