#include "actors/runtime_fixture.h"

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "engine/resolution_state.h"
#include "model/json.h"
#include "model/lint.h"
#include "model/template_loader.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/crypto_fixtures.h"
#include "service/ids.h"
#include "service/resolution_records.h"
#include "support/postgres_cluster.h"

namespace utask::testing {

std::string runtime_backend_name(const ::testing::TestParamInfo<RuntimeBackend>& info) {
  return info.param == RuntimeBackend::sqlite ? "sqlite" : "postgres";
}

void RuntimeTest::SetUp() {
  auto ring = persistence::KeyRing::create(config::KeyRing{
      {persistence::testing::key(config::Cipher::xchacha20_poly1305, 1, 7)}});
  ASSERT_TRUE(ring.ok()) << ring.error().message;
  ring_ = std::make_shared<const persistence::KeyRing>(std::move(*ring));
  if (GetParam() == RuntimeBackend::sqlite) {
    std::string dir = (std::filesystem::temp_directory_path() / "utask-actors-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    temp_dir_ = dir;
    url_ = "sqlite:" + dir + "/utask.db";
  } else {
    database_ = create_postgres_database();
    url_ = postgres_url(database_);
  }
  store_ = open_store();
  ASSERT_TRUE(store_);
}

void RuntimeTest::TearDown() {
  for (auto& r : runtimes_) r->shutdown(std::chrono::milliseconds(200));
  runtimes_.clear();
  stores_.clear();
  store_.reset();
  if (!database_.empty()) drop_postgres_database(database_);
  if (!temp_dir_.empty()) std::filesystem::remove_all(temp_dir_);
}

std::unique_ptr<persistence::Store> RuntimeTest::open_store(std::chrono::seconds lease_ttl) {
  persistence::StoreOptions o;
  o.url = url_;
  o.key_ring = ring_;
  o.pool_size = 4;
  o.lease_ttl = lease_ttl;
  auto s = persistence::open_store(o);
  EXPECT_TRUE(s.ok()) << s.error().message;
  return s ? std::move(*s) : nullptr;
}

const model::TaskTemplate& RuntimeTest::add_template(const std::string& yaml) {
  auto t = model::parse_template_yaml(yaml, "test.yaml");
  EXPECT_TRUE(t.ok()) << t.error().message;
  auto diags = model::lint_template(*t, registry_, "test.yaml");
  EXPECT_FALSE(model::has_errors(diags)) << (diags.empty() ? "" : diags.front().to_string());
  auto shared = std::make_shared<const model::TaskTemplate>(std::move(*t));
  templates_[shared->name] = shared;
  std::vector<persistence::TemplateRecord> records;
  for (const auto& [name, tmpl] : templates_) {
    persistence::TemplateRecord r;
    r.name = name;
    r.definition_json = to_json_text(model::template_source_json(*tmpl));
    records.push_back(std::move(r));
  }
  auto synced = store_->sync_templates(records);
  EXPECT_TRUE(synced.ok()) << synced.error().message;
  return *shared;
}

actors::Runtime& RuntimeTest::start_runtime(persistence::Store* on, actors::SupervisorOptions options) {
  if (!on) on = store_.get();
  auto instance = on->register_instance(persistence::Instance{0, "test", getpid(), "test", {}, {}});
  EXPECT_TRUE(instance.ok()) << instance.error().message;
  actors::RuntimeOptions o;
  o.store = on;
  o.registry = &registry_;
  o.templates = [this](const std::string& name) -> Result<std::shared_ptr<const model::TaskTemplate>> {
    auto it = templates_.find(name);
    if (it == templates_.end()) return Error::not_found("template " + name);
    return it->second;
  };
  o.instance_id = instance ? instance->id : 0;
  o.supervisor = options;
  o.notifier = notifier_;
  o.supervisor.max_poll_interval = std::chrono::seconds(1);
  auto rt = actors::Runtime::start(std::move(o));
  EXPECT_TRUE(rt.ok()) << rt.error().message;
  runtimes_.push_back(std::move(*rt));
  return *runtimes_.back();
}

std::string RuntimeTest::create_task(const std::string& template_name, const Json& input) {
  const auto& tmpl = *templates_.at(template_name);
  const auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  engine::TaskRequest request;
  request.id = service::new_uuid();
  request.requester_username = "alice";
  request.input = input;
  auto task = engine::create_task(tmpl, request, now);
  EXPECT_TRUE(task.ok()) << task.error().message;
  auto res = engine::create_resolution(tmpl, *task, service::new_uuid(), "alice", Json::object(), true, now);
  EXPECT_TRUE(res.ok()) << res.error().message;
  persistence::TaskCreation creation;
  persistence::NewTask nt;
  nt.task = service::to_task_record(res->task);
  nt.resolution = service::to_resolution_record(*res);
  creation.tasks.push_back(std::move(nt));
  auto created = store_->create_tasks(creation);
  EXPECT_TRUE(created.ok()) << created.error().message;
  for (auto& r : runtimes_) r->wake();
  return res->id;
}

bool RuntimeTest::wait_for(const std::string& id,
                           const std::function<bool(const persistence::ResolutionRecord&)>& done,
                           std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = store_->get_resolution(id, persistence::ResolutionView::with_steps);
    if (r && done(*r)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool RuntimeTest::wait_for_state(const std::string& id, const std::string& state,
                                 std::chrono::milliseconds timeout) {
  return wait_for(id, [&](const persistence::ResolutionRecord& r) { return r.state == state; }, timeout);
}

persistence::ResolutionRecord RuntimeTest::resolution(const std::string& id) {
  auto r = store_->get_resolution(id, persistence::ResolutionView::with_steps);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r ? *r : persistence::ResolutionRecord{};
}

Json RuntimeTest::step(const persistence::ResolutionRecord& r, const std::string& name) {
  for (const auto& s : r.steps) {
    if (s.name == name) {
      auto j = parse_json(s.step_json);
      return j ? *j : Json();
    }
  }
  return Json();
}

}  // namespace utask::testing
