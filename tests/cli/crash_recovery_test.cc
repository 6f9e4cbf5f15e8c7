// Crash recovery with real processes: a server is killed (SIGKILL) while a step runs; another
// server on the same store takes the resolution over once the lease expires and finishes it.
// The step that had finished does not run again; the idempotent one that was running does.

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "cli/process_support.h"
#include "config/encryption_keys.h"
#include "engine/resolution_state.h"
#include "model/json.h"
#include "model/lint.h"
#include "model/template_loader.h"
#include "actions/catalog.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/store.h"
#include "service/ids.h"
#include "service/resolution_records.h"
#include "support/peer_process.h"
#include "support/postgres_cluster.h"

namespace utask::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

const fs::path kSource = UTASK_SOURCE_DIR;

// The key of config/dev.yaml, so the test reads what the servers write.
constexpr const char* kDevKey =
    R"({"identifier": "storage", "cipher": "xchacha20-poly1305", "timestamp": 1700000000,
        "key": "bce1bea894261905002f3783c0493d233760413221910425de710756d922219c"})";

constexpr const char* kTemplate = R"(name: crash-me
description: a quick step, then a slow idempotent one
title_format: crash
auto_runnable: true
steps:
  quick:
    description: quick
    action: {type: echo, configuration: {output: {v: 1}}}
  slow:
    description: slow
    idempotent: true
    dependencies: [quick]
    execution_delay: 4s
    action: {type: echo, configuration: {output: {v: 2}}}
)";

class CrashRecoveryTest : public ::testing::TestWithParam<bool> {  // true: Postgres
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("utask-crash-" + std::to_string(std::random_device{}()));
    fs::create_directories(dir_ / "templates");
    std::ofstream(dir_ / "templates/crash.yaml") << kTemplate;
    if (GetParam()) {
      database_ = create_postgres_database();
      url_ = postgres_url(database_);
    } else {
      url_ = "sqlite:" + (dir_ / "utask.db").string();
    }
  }
  void TearDown() override {
    store_.reset();
    if (!database_.empty()) drop_postgres_database(database_);
    fs::remove_all(dir_);
  }

  std::vector<std::string> args() const {
    return {"serve", "--templates-path", (dir_ / "templates").string(), "--functions-path",
            (kSource / "functions").string(), "--db", url_, "--lease-ttl", "3", "--http-port", port_};
  }
  std::map<std::string, std::string> env() const {
    return {{"CONFIGURATION_FROM", "file:" + (kSource / "config/dev.yaml").string()}};
  }

  persistence::Store& store() {
    if (!store_) {
      auto key = config::parse_key_config(kDevKey);
      EXPECT_TRUE(key.ok());
      auto ring = persistence::KeyRing::create(config::KeyRing{{std::move(*key)}});
      EXPECT_TRUE(ring.ok());
      persistence::StoreOptions o;
      o.url = url_;
      o.key_ring = std::make_shared<persistence::KeyRing>(std::move(*ring));
      auto s = persistence::open_store(o);
      EXPECT_TRUE(s.ok()) << s.error().message;
      store_ = std::move(*s);
    }
    return *store_;
  }

  // The task, auto-run: what POST /task does for an auto-runnable template.
  std::string create_task() {
    auto tmpl = model::parse_template_yaml(kTemplate, "crash.yaml");
    EXPECT_TRUE(tmpl.ok());
    auto registry = actions::ActionRegistry::with_builtins();
    EXPECT_FALSE(model::has_errors(model::lint_template(*tmpl, registry, "crash.yaml")));
    const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
    engine::TaskRequest request;
    request.id = service::new_uuid();
    request.requester_username = "admin";
    auto task = engine::create_task(*tmpl, request, now);
    auto res = engine::create_resolution(*tmpl, *task, service::new_uuid(), "admin", Json::object(), true, now);
    persistence::TaskCreation creation;
    persistence::NewTask nt;
    nt.task = service::to_task_record(res->task);
    nt.resolution = service::to_resolution_record(*res);
    creation.tasks.push_back(std::move(nt));
    auto created = store().create_tasks(creation);
    EXPECT_TRUE(created.ok()) << created.error().message;
    return res->id;
  }

  Json step(const std::string& rid, const std::string& name) {
    auto r = store().get_resolution(rid, persistence::ResolutionView::with_steps);
    if (!r) return Json();
    for (const auto& s : r->steps) {
      if (s.name == name) return *parse_json(s.step_json);
    }
    return Json();
  }
  std::string state(const std::string& rid) {
    auto r = store().get_resolution(rid, persistence::ResolutionView::without_steps);
    return r ? r->state : "";
  }
  bool wait_until(const std::function<bool()>& done, seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  fs::path dir_;
  std::string url_, database_;
  // Both servers of a test listen here in turn; each parameter has its own (parallel runs).
  const std::string port_ = std::to_string(utask::testing::free_loopback_port());
  std::unique_ptr<persistence::Store> store_;
};

TEST_P(CrashRecoveryTest, AKilledInstancesTaskIsFinishedByAnotherWithoutRerunningFinishedSteps) {
  ChildProcess first(args(), env(), dir_.string());
  ASSERT_TRUE(first.wait_for_stderr("ready", seconds(60))) << first.stderr_text();
  const auto rid = create_task();
  // Claimed within the supervisor's poll interval; the slow step then runs for 4 s.
  ASSERT_TRUE(wait_until([&] { return step(rid, "slow")["state"] == "RUNNING"; }, seconds(30)))
      << first.stderr_text();
  EXPECT_EQ(step(rid, "quick")["state"], "DONE");
  first.stop(SIGKILL);

  ChildProcess second(args(), env(), dir_.string());
  ASSERT_TRUE(second.wait_for_stderr("ready", seconds(60))) << second.stderr_text();
  // The dead instance's lease expires after 3 s; the new instance recovers the run.
  ASSERT_TRUE(wait_until([&] { return state(rid) == "DONE"; }, seconds(60))) << second.stderr_text();
  EXPECT_EQ(step(rid, "quick")["try_count"], 1);  // finished before the crash: not run again
  EXPECT_EQ(step(rid, "slow")["state"], "DONE");
  EXPECT_EQ(step(rid, "slow")["output"]["v"], 2);
  auto r = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  EXPECT_EQ(r->run_count, 2);
  EXPECT_EQ(second.stop(SIGINT), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashRecoveryTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& i) { return i.param ? "postgres" : "sqlite"; });

}  // namespace
}  // namespace utask::testing
