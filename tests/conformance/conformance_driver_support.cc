// The shared pieces of the drivers and the local one (the pure engine with LocalRunner).

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <system_error>

#include "../engine/harness.h"
#include "conformance_driver.h"
#include "engine/local_runner.h"
#include "model/lint.h"
#include "model/template_loader.h"
#include "runtime_driver.h"

namespace utask::engine::conformance {
namespace {

namespace fs = std::filesystem;

// A folder where `scripts_tests/` is original/scripts: the templates name their scripts
// `./scripts_tests/<file>` relative to the scripts folder.
std::string scripts_folder() {
  const fs::path folder = fs::path(UTASK_BINARY_DIR) / "conformance-scripts";
  std::error_code ec;
  fs::create_directories(folder, ec);
  const fs::path link = folder / "scripts_tests";
  if (!fs::exists(link)) fs::create_directory_symlink(testing::original_dir() / "scripts", link, ec);
  return folder.string();
}

// The pure engine: the state lives here, each run is one LocalRunner run.
class LocalDriver final : public Driver {
 public:
  DriverKind kind() const override { return DriverKind::local; }

  Result<void> create(const std::string& file, const Json& inputs, const Json& resolver_inputs) override {
    auto tmpl = load_original(file);
    if (!tmpl) return tmpl.error();
    tmpl_ = std::make_unique<model::TaskTemplate>(std::move(*tmpl));
    TaskRequest request;
    request.id = "00000000-0000-4000-8000-000000000001";
    request.input = inputs.is_null() ? Json::object() : inputs;
    auto task = create_task(*tmpl_, request, testing::fixed_now());
    if (!task) return task.error();
    auto r = create_resolution(*tmpl_, std::move(*task), "00000000-0000-4000-8000-000000000002", "",
                               resolver_inputs.is_null() ? Json::object() : resolver_inputs, false,
                               testing::fixed_now());
    if (!r) return r.error();
    resolution_ = std::move(*r);
    if (needs_store(file)) {
      // The task and its resolution exist in a store too, for the actions that create tasks
      // or callbacks of it; the run itself stays in memory.
      world_ = std::make_unique<TestStore>(false);
      if (!world_->ok()) return Error::internal("no store");
      if (auto inserted = world_->insert(resolution_); !inserted) return inserted;
    }
    return {};
  }

  Result<RunOutcome> run() override {
    EngineContext c;
    c.tmpl = tmpl_.get();
    c.registry = &registry();
    c.instance_id = 1;
    actions::ActionServices* services = world_ ? world_->services() : nullptr;
    auto report = LocalRunner(c, [services](const Execution& x) {
                    auto request = x.request();
                    request.services = services;
                    return x.action->execute(request);
                  }).run(resolution_);
    if (!report) return report.error();
    return RunOutcome{report->ran};
  }

  const ResolutionState& resolution() override { return resolution_; }

  Result<void> edit(const std::function<void(ResolutionState&)>& change) override {
    change(resolution_);
    return {};
  }

  Result<void> hold_run_elsewhere() override {
    resolution_.state = std::string(resolution_state::kRunning);
    return {};
  }

 private:
  std::unique_ptr<model::TaskTemplate> tmpl_;
  ResolutionState resolution_;
  std::unique_ptr<TestStore> world_;  // only for templates that need_store()
};

}  // namespace

bool needs_store(const std::string& file) {
  static const std::set<std::string> files = {"subtask.yaml", "noOutputSubtask.yaml", "batch.yaml",
                                              "callback.yaml"};
  return files.count(file) > 0;
}

std::string driver_name(DriverKind kind) {
  switch (kind) {
    case DriverKind::local: return "local";
    case DriverKind::runtime_sqlite: return "runtime_sqlite";
    case DriverKind::runtime_postgres: return "runtime_postgres";
  }
  return "unknown";
}

const actions::ActionRegistry& registry() {
  static const actions::ActionRegistry r = [] {
    auto reg = actions::ActionRegistry::with_builtins({.scripts_path = scripts_folder()});
    auto functions = model::load_functions_dir((testing::original_dir() / "functions").string());
    EXPECT_TRUE(functions.ok()) << functions.error().message;
    if (functions.ok()) (void)reg.add_functions(std::move(*functions));
    return reg;
  }();
  return r;
}

Result<model::TaskTemplate> load_original(const std::string& file) {
  auto loaded = model::load_template_file((testing::original_dir() / "templates" / file).string(),
                                          model::LoadOptions{.tabs_to_spaces = true});
  if (!loaded) return loaded.error();
  auto diagnostics = model::lint_template(*loaded, registry(), file);
  if (model::has_errors(diagnostics)) return model::to_error(diagnostics);
  return std::move(*loaded);
}

std::unique_ptr<Driver> make_driver(DriverKind kind) {
  if (kind == DriverKind::local) return std::make_unique<LocalDriver>();
  return std::make_unique<RuntimeDriver>(kind);
}

std::vector<DriverKind> all_drivers() {
  return {DriverKind::local, DriverKind::runtime_sqlite, DriverKind::runtime_postgres};
}

}  // namespace utask::engine::conformance
