#pragma once
// A store (fresh SQLite file or fresh Postgres database) and runtimes on it, with real time:
// the actor tests run real actors, real timers and real I/O threads. Waits are bounded polls
// of the store (wait_for), never fixed sleeps.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actions/catalog.h"
#include "actors/runtime.h"
#include "model/task_template.h"
#include "persistence/store.h"

namespace utask::service {
class Notifier;
}

namespace utask::testing {

enum class RuntimeBackend { sqlite, postgres };

class RuntimeTest : public ::testing::TestWithParam<RuntimeBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // A new Store on the test database (each runtime = one instance gets its own).
  std::unique_ptr<persistence::Store> open_store(std::chrono::seconds lease_ttl = std::chrono::seconds(60));
  persistence::Store& store() { return *store_; }

  // Parses and lints `yaml`, registers it for every runtime started afterwards and syncs it.
  const model::TaskTemplate& add_template(const std::string& yaml);

  // Starts a runtime (one instance) on `store` (default: store()).
  actors::Runtime& start_runtime(persistence::Store* on = nullptr, actors::SupervisorOptions options = {});

  // Creates a task of `template_name` with `input`, auto-run (TO_AUTORUN): returns the
  // resolution id.
  std::string create_task(const std::string& template_name, const Json& input = Json::object());

  // Polls the resolution every 20 ms until `done` holds or `timeout` passes.
  bool wait_for(const std::string& resolution_id,
                const std::function<bool(const persistence::ResolutionRecord&)>& done,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool wait_for_state(const std::string& resolution_id, const std::string& state,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

  persistence::ResolutionRecord resolution(const std::string& id);
  Json step(const persistence::ResolutionRecord& r, const std::string& name);

  actions::ActionRegistry registry_ = actions::ActionRegistry::with_builtins();
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> templates_;
  std::vector<std::unique_ptr<actors::Runtime>> runtimes_;
  std::vector<std::unique_ptr<persistence::Store>> stores_;
  service::Notifier* notifier_ = nullptr;  // given to runtimes started afterwards

 private:
  std::unique_ptr<persistence::Store> store_;
  std::string url_, temp_dir_, database_;
  std::shared_ptr<const persistence::KeyRing> ring_;
};

std::string runtime_backend_name(const ::testing::TestParamInfo<RuntimeBackend>& info);

}  // namespace utask::testing

#define UTASK_RUNTIME_TEST_SUITE(Suite)                                                      \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                  \
                           ::testing::Values(::utask::testing::RuntimeBackend::sqlite,       \
                                             ::utask::testing::RuntimeBackend::postgres),    \
                           ::utask::testing::runtime_backend_name)
