#include "runtime_driver.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <thread>

#include "../engine/harness.h"
#include "config/callback_config.h"
#include "model/template_loader.h"
#include "persistence/crypto/key_ring.h"
#include "persistence/crypto_fixtures.h"
#include "service/action_services_impl.h"
#include "service/context.h"
#include "service/ids.h"
#include "service/resolution_records.h"
#include "support/postgres_cluster.h"

namespace utask::engine::conformance {
namespace {

namespace fs = std::filesystem;

// Template names compare case-insensitively, as the store keeps them (lower case).
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Time now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// Every original template that lints, by name (the invalid ones exist for the linting cases).
std::map<std::string, std::shared_ptr<const model::TaskTemplate>> original_templates() {
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> all;
  for (const auto& entry : fs::directory_iterator(testing::original_dir() / "templates")) {
    auto t = load_original(entry.path().filename().string());
    if (!t) continue;
    const std::string name = lower(t->name);
    all[name] = std::make_shared<const model::TaskTemplate>(std::move(*t));
  }
  return all;
}

}  // namespace

TestStore::TestStore(bool postgres) {
  auto ring = persistence::KeyRing::create(config::KeyRing{
      {persistence::testing::key(config::Cipher::xchacha20_poly1305, 1, 7)}});
  EXPECT_TRUE(ring.ok()) << ring.error().message;
  if (!ring) return;
  if (postgres) {
    database_ = utask::testing::create_postgres_database();
    url_ = utask::testing::postgres_url(database_);
  } else {
    std::string dir = (fs::temp_directory_path() / "utask-conformance-XXXXXX").string();
    EXPECT_NE(mkdtemp(dir.data()), nullptr);
    temp_dir_ = dir;
    url_ = "sqlite:" + dir + "/utask.db";
  }
  persistence::StoreOptions o;
  o.url = url_;
  o.key_ring = std::make_shared<const persistence::KeyRing>(std::move(*ring));
  o.pool_size = 4;
  auto s = persistence::open_store(o);
  EXPECT_TRUE(s.ok()) << s.error().message;
  if (!s) return;
  store_ = std::move(*s);

  templates_ = original_templates();
  std::vector<persistence::TemplateRecord> records;
  for (const auto& [name, tmpl] : templates_) {
    persistence::TemplateRecord r;
    r.name = tmpl->name;
    r.description = tmpl->description;
    r.definition_json = to_json_text(model::template_source_json(*tmpl));
    records.push_back(std::move(r));
  }
  auto synced = store().sync_templates(records);
  EXPECT_TRUE(synced.ok()) << synced.error().message;

  context_ = std::make_unique<service::ServiceContext>();
  context_->store = store_.get();
  context_->registry = &registry();
  context_->templates = [this](const std::string& name) { return find(name); };
  services_ = std::make_unique<service::ActionServicesImpl>(*context_, config::CallbackConfig{});
}

TestStore::~TestStore() {
  services_.reset();
  context_.reset();
  store_.reset();
  if (!database_.empty()) utask::testing::drop_postgres_database(database_);
  if (!temp_dir_.empty()) fs::remove_all(temp_dir_);
}

actions::ActionServices* TestStore::services() { return services_.get(); }

Result<std::shared_ptr<const model::TaskTemplate>> TestStore::find(const std::string& name) const {
  auto it = templates_.find(lower(name));
  if (it == templates_.end()) return Error::not_found("template \"" + name + "\" not found");
  return it->second;
}

Result<void> TestStore::insert(const ResolutionState& resolution) {
  persistence::TaskCreation creation;
  persistence::NewTask nt;
  nt.task = service::to_task_record(resolution.task);
  nt.resolution = service::to_resolution_record(resolution);
  creation.tasks.push_back(std::move(nt));
  auto created = store().create_tasks(creation);
  if (!created) return created.error();
  return {};
}

RuntimeDriver::RuntimeDriver(DriverKind kind)
    : kind_(kind), world_(kind == DriverKind::runtime_postgres) {
  if (world_.ok()) start_runtime(false);
}

RuntimeDriver::~RuntimeDriver() {
  for (auto& r : runtimes_) r->shutdown(std::chrono::milliseconds(200));
  runtimes_.clear();
}

actors::Runtime& RuntimeDriver::start_runtime(bool collectors) {
  auto instance = store().register_instance(persistence::Instance{0, "conformance", getpid(), "test", {}, {}});
  EXPECT_TRUE(instance.ok()) << instance.error().message;
  actors::RuntimeOptions o;
  o.store = &store();
  o.registry = &registry();
  o.templates = [this](const std::string& name) { return world_.find(name); };
  o.services = world_.services();
  o.instance_id = instance ? instance->id : 0;
  o.supervisor.collectors_enabled = collectors;
  o.supervisor.max_poll_interval = std::chrono::seconds(1);
  o.on_run_end = [this](const std::string& rid, const std::string&) {
    std::lock_guard lock(mu_);
    ++ended_[rid];
    ended_cv_.notify_all();
  };
  auto rt = actors::Runtime::start(std::move(o));
  EXPECT_TRUE(rt.ok()) << rt.error().message;
  runtimes_.push_back(std::move(*rt));
  return *runtimes_.back();
}

void RuntimeDriver::start_collector() { start_runtime(true); }

int RuntimeDriver::runs_ended(const std::string& resolution_id) {
  std::lock_guard lock(mu_);
  return ended_[resolution_id];
}

bool RuntimeDriver::wait_run_end(const std::string& resolution_id, int after,
                                 std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return ended_cv_.wait_for(lock, timeout, [&] { return ended_[resolution_id] > after; });
}

Result<void> RuntimeDriver::create(const std::string& file, const Json& inputs, const Json& resolver_inputs) {
  if (!world_.ok()) return Error::internal("no store");
  auto loaded = load_original(file);
  if (!loaded) return loaded.error();
  auto found = world_.find(loaded->name);
  if (!found) return found.error();
  const auto tmpl = *found;
  TaskRequest request;
  request.id = service::new_uuid();
  request.input = inputs.is_null() ? Json::object() : inputs;
  auto task = create_task(*tmpl, request, now());
  if (!task) return task.error();
  auto r = create_resolution(*tmpl, std::move(*task), service::new_uuid(), "",
                             resolver_inputs.is_null() ? Json::object() : resolver_inputs, false, now());
  if (!r) return r.error();
  auto inserted = world_.insert(*r);
  if (!inserted) return inserted;
  resolution_id_ = r->id;
  return {};
}

Result<std::string> RuntimeDriver::create_resolution_for(const std::string& task_id) {
  auto task = store().get_task(task_id);
  if (!task) return task.error();
  auto state = service::to_resolution_state(*task, persistence::ResolutionRecord{});
  if (!state) return state.error();
  auto tmpl = world_.find(task->template_name);
  if (!tmpl) return tmpl.error();
  auto r = create_resolution(**tmpl, std::move(state->task), service::new_uuid(), "", Json::object(),
                             false, now());
  if (!r) return r.error();
  persistence::ResolutionCreation creation;
  creation.resolution = service::to_resolution_record(*r);
  auto created = store().create_resolution(creation);
  if (!created) return created.error();
  return r->id;
}

Result<RunOutcome> RuntimeDriver::run() {
  const std::string rid = resolution_id_;
  auto before = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  if (!before) return before.error();
  const int ended = runs_ended(rid);
  auto started = runtimes_.front()->run_now(rid, std::chrono::seconds(30));
  if (!started) {
    // The engine's refusals (cancelled, done) give the lease back: wait for that release.
    // A live lease elsewhere (`already running`) started nothing.
    if (started.error().message.find("already running") == std::string::npos &&
        !wait_run_end(rid, ended, std::chrono::seconds(30))) {
      return Error::internal("the refused run did not release its lease in time");
    }
    return started.error();
  }
  if (!wait_run_end(rid, ended, std::chrono::seconds(60))) {
    return Error::internal("the run of " + rid + " did not end within 60 s");
  }
  auto after = store().get_resolution(rid, persistence::ResolutionView::without_steps);
  if (!after) return after.error();
  return RunOutcome{after->run_count > before->run_count};
}

Result<ResolutionState> RuntimeDriver::load(const std::string& resolution_id) {
  return service::load_resolution_state(store(), resolution_id);
}

const ResolutionState& RuntimeDriver::resolution() {
  auto loaded = load(resolution_id_);
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
  if (loaded) current_ = std::move(*loaded);
  return current_;
}

Result<void> RuntimeDriver::edit(const std::function<void(ResolutionState&)>& change) {
  auto loaded = load(resolution_id_);
  if (!loaded) return loaded.error();
  change(*loaded);
  auto updated = store().update_resolution(resolution_id_, service::to_full_change(*loaded));
  if (!updated) return updated.error();
  return {};
}

Result<void> RuntimeDriver::hold_run_elsewhere() {
  auto edited = edit([](ResolutionState& r) { r.state = std::string(resolution_state::kRunning); });
  if (!edited) return edited;
  auto other = store().register_instance(persistence::Instance{0, "elsewhere", getpid(), "test", {}, {}});
  if (!other) return other.error();
  auto lease = store().acquire_lease(resolution_id_, other->id);
  if (!lease) return lease.error();
  return {};
}

bool RuntimeDriver::wait_for(const std::string& resolution_id,
                             const std::function<bool(const persistence::ResolutionRecord&)>& done,
                             std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = store().get_resolution(resolution_id, persistence::ResolutionView::with_steps);
    if (r && done(*r)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace utask::engine::conformance
