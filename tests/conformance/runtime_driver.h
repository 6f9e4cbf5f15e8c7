#pragma once
// The runtime driver (conformance_driver.h): a fresh store (SQLite file or Postgres
// database), every original template that lints synced into it, the builtin actions with
// ActionServicesImpl behind subtask, batch and callback, and a Runtime whose collectors are
// off, so only explicit runs (Runtime::run_now) execute anything until start_collector().
// The extra members serve the scenarios with child tasks (subtask, batch): several
// resolutions, the parent woken by its children, the retry collector.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/runtime.h"
#include "conformance_driver.h"
#include "persistence/store.h"

namespace utask::service {
struct ServiceContext;
class ActionServicesImpl;
}  // namespace utask::service

namespace utask::engine::conformance {

// A fresh store (SQLite file or Postgres database) with every original template that lints
// synced into it, and the ActionServices (subtask, batch, callback) over it.
class TestStore {
 public:
  explicit TestStore(bool postgres);
  ~TestStore();
  TestStore(const TestStore&) = delete;
  TestStore& operator=(const TestStore&) = delete;

  bool ok() const { return store_ != nullptr; }
  persistence::Store& store() { return *store_; }
  actions::ActionServices* services();
  // The templates by name (case-insensitive); not_found when unknown.
  Result<std::shared_ptr<const model::TaskTemplate>> find(const std::string& name) const;
  // Stores the task and the resolution of `resolution`.
  Result<void> insert(const ResolutionState& resolution);

 private:
  std::string url_, temp_dir_, database_;
  std::unique_ptr<persistence::Store> store_;
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> templates_;  // lower-case name
  std::unique_ptr<service::ServiceContext> context_;
  std::unique_ptr<service::ActionServicesImpl> services_;
};

class RuntimeDriver final : public Driver {
 public:
  explicit RuntimeDriver(DriverKind kind);  // runtime_sqlite or runtime_postgres
  ~RuntimeDriver() override;

  DriverKind kind() const override { return kind_; }
  Result<void> create(const std::string& file, const Json& inputs, const Json& resolver_inputs) override;
  Result<RunOutcome> run() override;
  const ResolutionState& resolution() override;
  Result<void> edit(const std::function<void(ResolutionState&)>& change) override;
  Result<void> hold_run_elsewhere() override;

  persistence::Store& store() { return world_.store(); }
  // The resolution the Driver members act on (the one create() made, or select()ed).
  const std::string& resolution_id() const { return resolution_id_; }
  void select(const std::string& resolution_id) { resolution_id_ = resolution_id; }
  // Creates a resolution (TODO, resolver "") for an existing task (a child); returns its id.
  Result<std::string> create_resolution_for(const std::string& task_id);
  // Loads any resolution as the engine's state.
  Result<ResolutionState> load(const std::string& resolution_id);
  // Starts a second instance whose collectors claim what is due (retries, wake-ups).
  void start_collector();
  // Polls `resolution_id` every 20 ms until `done` holds; false after `timeout`.
  bool wait_for(const std::string& resolution_id,
                const std::function<bool(const persistence::ResolutionRecord&)>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // Runs ended (leases released) of `resolution_id` on any of this driver's runtimes.
  int runs_ended(const std::string& resolution_id);

 private:
  actors::Runtime& start_runtime(bool collectors);
  bool wait_run_end(const std::string& resolution_id, int after, std::chrono::milliseconds timeout);

  DriverKind kind_;
  TestStore world_;
  std::vector<std::unique_ptr<actors::Runtime>> runtimes_;  // [0]: explicit runs only
  std::string resolution_id_;
  ResolutionState current_;

  std::mutex mu_;
  std::condition_variable ended_cv_;
  std::map<std::string, int> ended_;  // guarded by mu_
};

}  // namespace utask::engine::conformance
