// `utask serve` as a real process: the development configuration starts and stays up until a
// signal; broken configurations and templates stop start-up with one clear message; logs
// (text or JSON lines) never carry secrets. The store: opened and migrated at start, the
// embedded default's key file created once (mode 0600) and reused, a database newer than the
// binary refused, the templates and functions synced into it, the instance registered.

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "config/encryption_keys.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/store.h"
#include "process_support.h"
#include "support/peer_process.h"
#include "support/postgres_cluster.h"

using utask::testing::free_loopback_port;

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
  // With `--http-port` on a free port unless `with_port` is false: tests run in parallel and
  // the server now listens.
  std::vector<std::string> serve_args(bool with_port = true) const {
    std::vector<std::string> args{"serve", "--templates-path", (dir_ / "templates").string(),
                                  "--functions-path", (kSource / "functions").string()};
    if (with_port) args.insert(args.end(), {"--http-port", std::to_string(free_loopback_port())});
    return args;
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
  const std::string port = std::to_string(free_loopback_port());
  env["SERVER_PORT"] = port;
  env["TEMPLATES"] = (dir_ / "templates").string();
  env["FUNCTIONS"] = (kSource / "functions").string();
  ChildProcess p({"serve"}, env, dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("region eu-west"), std::string::npos);
  EXPECT_NE(p.stderr_text().find("127.0.0.1:" + port), std::string::npos);
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
  ChildProcess p(serve_args(/*with_port=*/false), env, dir_.string());
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

// ---- The store ------------------------------------------------------------------------------

// The storage key of config/dev.yaml.
constexpr const char* kDevKey =
    R"({"identifier": "storage", "cipher": "xchacha20-poly1305", "timestamp": 1700000000,
        "key": "bce1bea894261905002f3783c0493d233760413221910425de710756d922219c"})";

std::unique_ptr<persistence::Store> open_dev_store(const fs::path& db) {
  auto key = config::parse_key_config(kDevKey);
  EXPECT_TRUE(key.ok()) << key.error().message;
  auto ring = persistence::KeyRing::create(config::KeyRing{{std::move(*key)}});
  EXPECT_TRUE(ring.ok()) << ring.error().message;
  persistence::StoreOptions options;
  options.url = "sqlite:" + db.string();
  options.key_ring = std::make_shared<persistence::KeyRing>(std::move(*ring));
  options.migrations = persistence::MigrationMode::check_only;
  auto store = persistence::open_store(options);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(*store) : nullptr;
}

TEST_F(ServeTest, OpensTheStoreSyncsTemplatesAndFunctionsAndRegistersTheInstance) {
  ChildProcess p(serve_args(), dev_env(), dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  ASSERT_EQ(p.stop(SIGINT), 0) << p.stderr_text();
  const auto& log = p.stderr_text();
  EXPECT_NE(log.find("storage keys from the encryption-key items"), std::string::npos) << log;
  EXPECT_NE(log.find("store schema version " + std::to_string(persistence::latest_schema_version())),
            std::string::npos) << log;
  EXPECT_NE(log.find("templates synced to the store: 4 new"), std::string::npos) << log;
  EXPECT_NE(log.find("registered as instance"), std::string::npos) << log;
  EXPECT_NE(log.find("garbage collection: 0 finished task(s)"), std::string::npos) << log;
  // A configured key: no key file.
  EXPECT_FALSE(fs::exists(dir_ / "utask.db.key"));

  auto store = open_dev_store(dir_ / "utask.db");
  ASSERT_NE(store, nullptr);
  auto templates = store->list_templates({100, ""}, true);
  ASSERT_TRUE(templates.ok()) << templates.error().message;
  std::vector<std::string> names;
  for (const auto& t : templates->items) names.push_back(t.name);
  EXPECT_EQ(names, (std::vector<std::string>{"foreach-greetings", "hello-world", "http-status-check",
                                             "server-maintenance"}));
  auto hello = store->get_template("hello-world");
  ASSERT_TRUE(hello.ok()) << hello.error().message;
  auto definition = nlohmann::json::parse(hello->definition_json);
  EXPECT_EQ(definition["name"], "hello-world");
  EXPECT_TRUE(definition.contains("steps")) << hello->definition_json;
  auto function = store->get_function("example::announce");
  ASSERT_TRUE(function.ok()) << function.error().message;
  EXPECT_EQ(nlohmann::json::parse(function->definition_json)["name"], "example::announce");
  auto instances = store->list_instances();
  ASSERT_TRUE(instances.ok()) << instances.error().message;
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_GT((*instances)[0].pid, 0);
  EXPECT_FALSE((*instances)[0].hostname.empty());
  store.reset();

  // A second start finds everything synced already.
  ChildProcess again(serve_args(), dev_env(), dir_.string());
  ASSERT_TRUE(again.wait_for_stderr("ready", seconds(30))) << again.stderr_text();
  EXPECT_EQ(again.stop(SIGINT), 0);
  EXPECT_NE(again.stderr_text().find("0 new, 0 changed, 4 unchanged"), std::string::npos)
      << again.stderr_text();
}

TEST_F(ServeTest, WithoutAKeyTheEmbeddedDefaultCreatesAPrivateKeyFileOnceAndReusesIt) {
  write("nokey.yaml", "- key: utask-cfg\n  value: '{\"admin_usernames\": [\"admin\"]}'\n");
  const std::map<std::string, std::string> env{{"CONFIGURATION_FROM", "file:" + (dir_ / "nokey.yaml").string()}};
  const auto key_file = dir_ / "utask.db.key";
  ChildProcess first(serve_args(), env, dir_.string());
  ASSERT_TRUE(first.wait_for_stderr("ready", seconds(30))) << first.stderr_text();
  ASSERT_EQ(first.stop(SIGINT), 0);
  ASSERT_TRUE(fs::exists(key_file)) << first.stderr_text();
  struct stat st {};
  ASSERT_EQ(::stat(key_file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(first.stderr_text().find("generated the storage key file " + key_file.string()), std::string::npos)
      << first.stderr_text();
  std::ifstream in(key_file);
  const auto key = nlohmann::json::parse(in);
  const std::string material = key["key"];
  ASSERT_EQ(material.size(), 64u);
  EXPECT_EQ(first.stderr_text().find(material), std::string::npos) << "the key reached the log";

  ChildProcess second(serve_args(), env, dir_.string());
  ASSERT_TRUE(second.wait_for_stderr("ready", seconds(30))) << second.stderr_text();
  ASSERT_EQ(second.stop(SIGINT), 0);
  EXPECT_NE(second.stderr_text().find("storage key from the key file " + key_file.string()), std::string::npos)
      << second.stderr_text();
  EXPECT_EQ(second.stderr_text().find("generated"), std::string::npos) << second.stderr_text();
  std::ifstream reread(key_file);
  EXPECT_EQ(nlohmann::json::parse(reread)["key"], material);
}

TEST_F(ServeTest, AKeyFileOpenToOthersIsRefused) {
  write("nokey.yaml", "- key: utask-cfg\n  value: '{\"admin_usernames\": [\"admin\"]}'\n");
  const std::map<std::string, std::string> env{{"CONFIGURATION_FROM", "file:" + (dir_ / "nokey.yaml").string()}};
  ChildProcess first(serve_args(), env, dir_.string());
  ASSERT_TRUE(first.wait_for_stderr("ready", seconds(30))) << first.stderr_text();
  ASSERT_EQ(first.stop(SIGINT), 0);
  fs::permissions(dir_ / "utask.db.key", fs::perms::group_read, fs::perm_options::add);
  ChildProcess second(serve_args(), env, dir_.string());
  EXPECT_EQ(second.wait(), 1);
  EXPECT_NE(second.stderr_text().find("chmod 600"), std::string::npos) << second.stderr_text();
}

TEST_F(ServeTest, ADatabaseNewerThanTheBinaryRefusesToStart) {
  ChildProcess migrate({"migrate", "--db", "sqlite:" + (dir_ / "utask.db").string()}, {}, dir_.string());
  ASSERT_EQ(migrate.wait(), 0) << migrate.stderr_text();
  const int latest = persistence::latest_schema_version();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "utask.db").c_str(), &db), SQLITE_OK);
  const auto sql = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (" +
                   std::to_string(latest + 1) + ", 'future', 'x', 0)";
  EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);

  ChildProcess p(serve_args(), dev_env(), dir_.string());
  EXPECT_EQ(p.wait(), 1);
  EXPECT_NE(p.stderr_text().find("database schema version " + std::to_string(latest + 1) +
                                 " is newer than this binary (" + std::to_string(latest) + ")"),
            std::string::npos)
      << p.stderr_text();
  EXPECT_EQ(p.stderr_text().find("ready"), std::string::npos);
}

TEST_F(ServeTest, ServesOnPostgresWithTheConfiguredKey) {
  const auto name = create_postgres_database();
  auto args = serve_args();
  args.insert(args.end(), {"--db", postgres_url(name)});
  ChildProcess p(args, dev_env(), dir_.string());
  ASSERT_TRUE(p.wait_for_stderr("ready", seconds(30))) << p.stderr_text();
  EXPECT_EQ(p.stop(SIGINT), 0);
  EXPECT_NE(p.stderr_text().find("templates synced to the store: 4 new"), std::string::npos) << p.stderr_text();
  EXPECT_NE(p.stderr_text().find("registered as instance"), std::string::npos) << p.stderr_text();
  EXPECT_FALSE(fs::exists(dir_ / "utask.db"));
  drop_postgres_database(name);
}

TEST_F(ServeTest, APostgresStoreWithoutAConfiguredKeyIsRefused) {
  write("nokey.yaml", "- key: utask-cfg\n  value: '{\"admin_usernames\": [\"admin\"]}'\n");
  auto args = serve_args();
  args.insert(args.end(), {"--db", "postgres://u:hunter2@127.0.0.1:1/db"});
  ChildProcess p(args, {{"CONFIGURATION_FROM", "file:" + (dir_ / "nokey.yaml").string()}}, dir_.string());
  EXPECT_EQ(p.wait(), 1);
  EXPECT_NE(p.stderr_text().find("needs a configured storage key"), std::string::npos) << p.stderr_text();
  EXPECT_EQ(p.stderr_text().find("hunter2"), std::string::npos) << p.stderr_text();
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
