// The differential test of the template engine: every case of tests/values/cases/*.test is
// rendered by the C++ engine and by the Go oracle (text/template + sprig, tests/values/oracle),
// and both must agree byte for byte (or both fail) and match the case's expectation.

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "case_file_support.h"
#include "model/json.h"
#include "values/renderer.h"

namespace utask::values {
namespace {

using testing::RenderCase;

// Cases print times in the local zone: both sides run in UTC.
const bool kUtc = [] { return setenv("TZ", "UTC", 1) == 0; }();

const std::string kCasesDir = std::string(UTASK_SOURCE_DIR) + "/tests/values/cases";

std::string oracle_path() { return std::string(UTASK_BINARY_DIR) + "/values-oracle"; }

// Builds the oracle if needed; returns an error text or "".
std::string ensure_oracle() {
  static std::string error = [] {
    std::string cmd = "sh '" + std::string(UTASK_SOURCE_DIR) + "/tests/values/build_oracle.sh' '" +
                      std::string(UTASK_SOURCE_DIR) + "' '" + oracle_path() + "' 2>&1";
    int rc = std::system(cmd.c_str());
    return rc == 0 ? std::string() : "building the Go oracle failed: " + cmd;
  }();
  return error;
}

struct Outcome {
  bool ok = false;
  std::string text;  // output or error message
};

Result<std::vector<Outcome>> run_oracle(const std::vector<RenderCase>& cases, const std::string& tag) {
  auto dir = std::filesystem::temp_directory_path() / ("utask-oracle-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto in_path = dir / (tag + ".in");
  auto out_path = dir / (tag + ".out");
  {
    std::ofstream in(in_path, std::ios::binary);
    for (const auto& c : cases) {
      Json req = {{"template", c.tmpl}, {"data", *parse_json(c.data)}};
      in << req.dump() << '\n';
    }
  }
  std::string cmd = "TZ=UTC '" + oracle_path() + "' < '" + in_path.string() + "' > '" + out_path.string() + "'";
  if (std::system(cmd.c_str()) != 0) return Error::internal("oracle failed: " + cmd);
  std::ifstream out(out_path, std::ios::binary);
  std::vector<Outcome> res;
  std::string line;
  while (std::getline(out, line)) {
    auto j = parse_json(line);
    if (!j) return Error::internal("bad oracle line: " + line);
    if (j->contains("output"))
      res.push_back({true, (*j)["output"].get<std::string>()});
    else
      res.push_back({false, (*j)["error"].get<std::string>()});
  }
  std::filesystem::remove_all(dir);
  if (res.size() != cases.size()) return Error::internal("oracle answered " + std::to_string(res.size()) + " lines");
  return res;
}

Outcome run_cpp(const RenderCase& c) {
  auto data = parse_json(c.data);
  auto t = Template::parse(c.tmpl, "tmpl");
  if (!t) return {false, t.error().message};
  auto r = t->execute(*data);
  if (!r) return {false, r.error().message};
  return {true, testing::go_json_sanitize(*r)};
}

std::string show(const Outcome& o) { return (o.ok ? "output: " : "error: ") + Json(o.text).dump(); }

// The failure text of one case, or "" when it passes.
std::string check(const RenderCase& c, const Outcome& go, const Outcome& cpp) {
  std::ostringstream why;
  auto where = c.file + ":" + std::to_string(c.line) + " " + c.name + "\n  template: " + Json(c.tmpl).dump() +
               "\n  data: " + c.data + "\n  go   " + show(go) + "\n  c++  " + show(cpp) + "\n";
  if (c.nondeterministic) {
    if (go.ok != cpp.ok) return "outcome differs: " + where;
    if (c.error && !cpp.ok && cpp.text.find(*c.error) == std::string::npos) return "error text: " + where;
    return "";
  }
  if (c.expect) {
    if (!cpp.ok || cpp.text != *c.expect) return "expected " + Json(*c.expect).dump() + ": " + where;
    if (!c.differs && (!go.ok || go.text != cpp.text)) return "oracle differs: " + where;
    if (c.differs && go.ok && go.text == cpp.text) return "marked differs but the oracle agrees: " + where;
    return "";
  }
  if (cpp.ok) return "expected an error containing " + Json(*c.error).dump() + ": " + where;
  if (cpp.text.find(*c.error) == std::string::npos) return "error text: " + where;
  if (!c.differs && go.ok) return "the oracle succeeds: " + where;
  if (!c.differs && go.text.find(*c.error) == std::string::npos) return "oracle error text: " + where;
  return "";
}

class Differential : public ::testing::TestWithParam<std::string> {};

TEST_P(Differential, MatchesGoOracle) {
  std::string err = ensure_oracle();
  ASSERT_EQ(err, "");
  auto cases = testing::parse_case_file(GetParam());
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  ASSERT_FALSE(cases->empty());
  auto tag = std::filesystem::path(GetParam()).stem().string();
  auto go = run_oracle(*cases, tag);
  ASSERT_TRUE(go.ok()) << go.error().message;
  int failed = 0;
  for (size_t i = 0; i < cases->size(); i++) {
    std::string f = check((*cases)[i], (*go)[i], run_cpp((*cases)[i]));
    if (!f.empty()) {
      failed++;
      ADD_FAILURE() << f;
    }
  }
  EXPECT_EQ(failed, 0) << failed << " of " << cases->size() << " cases failed in " << GetParam();
}

std::string case_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = std::filesystem::path(info.param).stem().string();
  for (auto& ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return s;
}

INSTANTIATE_TEST_SUITE_P(Cases, Differential, ::testing::ValuesIn(testing::case_files(kCasesDir)), case_name);

// The harness itself: a wrong expectation must fail.
TEST(DifferentialHarness, DetectsAWrongExpectation) {
  auto cases = testing::parse_case_text("case c\ntemplate {{ 1 }}\nexpect 2\n", "inline");
  ASSERT_TRUE(cases.ok());
  Outcome go{true, "1"};
  EXPECT_NE(check((*cases)[0], go, run_cpp((*cases)[0])), "");
}

TEST(DifferentialHarness, AcceptsAnAgreement) {
  auto cases = testing::parse_case_text("case c\ntemplate {{ 1 }}\nexpect 1\n", "inline");
  ASSERT_TRUE(cases.ok());
  Outcome go{true, "1"};
  EXPECT_EQ(check((*cases)[0], go, run_cpp((*cases)[0])), "");
}

TEST(DifferentialHarness, RejectsMalformedFiles) {
  EXPECT_FALSE(testing::parse_case_text("case c\ntemplate x\n", "f").ok());                       // no expect
  EXPECT_FALSE(testing::parse_case_text("case c\ntemplate x\nexpect x\nerror y\n", "f").ok());    // both
  EXPECT_FALSE(testing::parse_case_text("template x\n", "f").ok());                                // no case
  EXPECT_FALSE(testing::parse_case_text("case c\nexpect x\ncase c\nexpect y\n", "f").ok());       // duplicate
}

TEST(DifferentialHarness, ReadsBlocksAndJsonStrings) {
  auto cases = testing::parse_case_text(
      "case c\ntemplate\na\n{{ 1 }}\n----\nexpect\na\n1\n----\ncase d\ntemplate_json \"x\\n\"\nexpect_json \"x\\n\"\n",
      "f");
  ASSERT_TRUE(cases.ok()) << cases.error().message;
  EXPECT_EQ((*cases)[0].tmpl, "a\n{{ 1 }}");
  EXPECT_EQ(*(*cases)[0].expect, "a\n1");
  EXPECT_EQ((*cases)[1].tmpl, "x\n");
}

}  // namespace
}  // namespace utask::values
