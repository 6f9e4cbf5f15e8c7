#pragma once
// A real store (fresh SQLite file or fresh Postgres database), templates, and a
// ServiceContext over them with a recording RunStarter: what every service test needs.

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "actions/catalog.h"
#include "model/task_template.h"
#include "persistence/store.h"
#include "service/context.h"
#include "service/resolution_service.h"
#include "service/task_service.h"

namespace utask::testing {

enum class ServiceBackend { sqlite, postgres };

// Records wake-ups and runs; run_now answers `run_result`.
class RecordingRunner : public service::RunStarter {
 public:
  Result<void> run_now(const std::string& resolution_id) override {
    runs.push_back(resolution_id);
    return run_result;
  }
  void wake() override { ++wakes; }

  std::vector<std::string> runs;
  int wakes = 0;
  Result<void> run_result;
};

class ServiceTest : public ::testing::TestWithParam<ServiceBackend> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Parses and lints `yaml`, registers it and syncs every registered template to the store.
  const model::TaskTemplate& add_template(const std::string& yaml);
  // The templates every test of this folder uses (see service_fixture_support.cc).
  void add_standard_templates();

  // A caller; admin when in the context's admin lists ("admin", group "admins").
  service::Caller as(const std::string& username, std::vector<std::string> groups = {}) const {
    return ctx_.caller(username, std::move(groups));
  }

  // A task created by `requester` (TODO, no resolution unless the template auto-runs).
  persistence::TaskRecord make_task(const std::string& template_name, const std::string& requester,
                                    Json input = Json::object());
  // Sets the resolution's state directly (test setup of states only the engine reaches).
  void force_resolution_state(const std::string& resolution_id, const std::string& state,
                              const std::string& task_state = "");

  persistence::Store& store() { return *store_; }

  actions::ActionRegistry registry_ = actions::ActionRegistry::with_builtins();
  std::map<std::string, std::shared_ptr<const model::TaskTemplate>> templates_;
  RecordingRunner runner_;
  service::ServiceContext ctx_;

 private:
  std::unique_ptr<persistence::Store> store_;
  std::string temp_dir_, database_;
};

std::string service_backend_name(const ::testing::TestParamInfo<ServiceBackend>& info);

}  // namespace utask::testing

#define UTASK_SERVICE_TEST_SUITE(Suite)                                                     \
  INSTANTIATE_TEST_SUITE_P(Backends, Suite,                                                 \
                           ::testing::Values(::utask::testing::ServiceBackend::sqlite,      \
                                             ::utask::testing::ServiceBackend::postgres),   \
                           ::utask::testing::service_backend_name)
