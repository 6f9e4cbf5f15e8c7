// `utask serve` as a real process: the development configuration starts and stays up until a
// signal; broken configurations and templates stop start-up with one clear message; logs
// (text or JSON lines) never carry secrets.

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "process_support.h"

namespace utask::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

const fs::path kSource = UTASK_SOURCE_DIR;

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("utask-serve-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_ / "templates");
    fs::copy(kSource / "templates", dir_ / "templates", fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::map<std::string, std::string> dev_env() const {
    return {{"CONFIGURATION_FROM", "file:" + (kSource / "config/dev.yaml").string()}};
  }
  std::vector<std::string> serve_args() const {
    return {"serve", "--templates-path", (dir_ / "templates").string(), "--functions-path",
            (kSource / "functions").string()};
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(dir_ / name) << text; }

  fs::path dir_;
};

TEST_F(ServeTest, StartsWithTheDevelopmentConfigurationAndStaysUpUntilSigint) {
  ChildProcess p(serve_args(), dev_env(), dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("template(s) and 1 function(s) loaded"), std::string::npos);
  EXPECT_FALSE(p.wait_for_stderr("stopping", std::chrono::milliseconds(500)));
  EXPECT_TRUE(p.running());
  EXPECT_EQ(p.stop(SIGINT), 0) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("received SIGINT, stopping"), std::string::npos);
}

TEST_F(ServeTest, UtaskWithoutSubcommandServesToo) {
  auto args = serve_args();
  args.erase(args.begin());
  ChildProcess p(args, dev_env(), dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  EXPECT_EQ(p.stop(SIGTERM), 0);
}

TEST_F(ServeTest, EnvironmentTwinsOfFlagsApply) {
  auto env = dev_env();
  env["REGION"] = "eu-west";
  env["SERVER_PORT"] = "9191";
  env["TEMPLATES"] = (dir_ / "templates").string();
  env["FUNCTIONS"] = (kSource / "functions").string();
  ChildProcess p({"serve"}, env, dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("region eu-west"), std::string::npos);
  EXPECT_NE(p.stderr_text().find("127.0.0.1:9191"), std::string::npos);
  EXPECT_EQ(p.stop(SIGINT), 0);
}

TEST_F(ServeTest, AFlagWinsOverItsEnvironmentTwin) {
  auto env = dev_env();
  env["REGION"] = "from-env";
  auto args = serve_args();
  args.insert(args.end(), {"--region", "from-flag"});
  ChildProcess p(args, env, dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("region from-flag"), std::string::npos);
  EXPECT_EQ(p.stop(SIGINT), 0);
}

TEST_F(ServeTest, IncorrectPortIsRefused) {
  auto env = dev_env();
  env["SERVER_PORT"] = "0";
  ChildProcess p(serve_args(), env, dir_.string());
  EXPECT_NE(p.wait(), 0);
  EXPECT_NE(p.stderr_text().find("Incorrect HTTP port range"), std::string::npos) << p.stderr_text();
}

TEST_F(ServeTest, MissingConfigurationFromSaysHowToSetIt) {
  ChildProcess p(serve_args(), {}, dir_.string());
  EXPECT_EQ(p.wait(), 1);
  EXPECT_NE(p.stderr_text().find("CONFIGURATION_FROM"), std::string::npos) << p.stderr_text();
}

TEST_F(ServeTest, BrokenItemStopsStartupNamingItemAndField) {
  write("broken.yaml",
        "- key: utask-cfg\n"
        "  value: '{\"admin_usernames\": [\"admin\"], \"completed_task_expiration\": \"3 days\"}'\n");
  ChildProcess p(serve_args(), {{"CONFIGURATION_FROM", "file:" + (dir_ / "broken.yaml").string()}}, dir_.string());
  EXPECT_EQ(p.wait(), 1);
  EXPECT_NE(p.stderr_text().find("\"utask-cfg\""), std::string::npos) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("completed_task_expiration"), std::string::npos) << p.stderr_text();
}

TEST_F(ServeTest, InvalidTemplateStopsStartupNamingFileAndProblem) {
  write("templates/broken.yaml",
        "name: broken\ndescription: a broken one\ntitle_format: broken\n"
        "steps:\n  a:\n    description: x\n    dependencies: [nowhere]\n    action:\n      type: echo\n");
  ChildProcess p(serve_args(), dev_env(), dir_.string());
  EXPECT_EQ(p.wait(), 1);
  EXPECT_NE(p.stderr_text().find("broken.yaml"), std::string::npos) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("no step with that name: \"nowhere\""), std::string::npos) << p.stderr_text();
}

TEST_F(ServeTest, JsonLogLinesParseAndCarryNoSecret) {
  auto args = serve_args();
  args.insert(args.end(), {"--log-format", "json", "--debug"});
  ChildProcess p(args, dev_env(), dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  ASSERT_EQ(p.stop(SIGINT), 0);
  std::istringstream lines(p.stderr_text());
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_TRUE(j.contains("level") && j.contains("msg") && j.contains("time")) << line;
    ++count;
  }
  EXPECT_GT(count, 2);
  // The development passwords and key of config/dev.yaml never reach the logs.
  for (const char* secret : {"1234", "3456", "5678", "bce1bea894261905002f3783c0493d23"}) {
    EXPECT_EQ(p.stderr_text().find(secret), std::string::npos) << secret;
  }
}

TEST(VersionCommand, PrintsVersionCommitAndLibraries) {
  ChildProcess p({"version"}, {}, fs::temp_directory_path().string());
  ASSERT_EQ(p.wait(), 0);
  const auto& out = p.stdout_text();
  EXPECT_EQ(out.rfind("µTask overview\nVersion: v", 0), 0u) << out;
  EXPECT_NE(out.find("\nCommit: "), std::string::npos);
  for (const char* lib : {"CAF 0.17", "RESTinio 0.6", "libpqxx 6.4", "SQLite 3", "libsodium", "V8 ", "libcurl",
                          "libssh2", "spdlog"}) {
    EXPECT_NE(out.find(lib), std::string::npos) << lib;
  }
}

}  // namespace
}  // namespace utask::testing
