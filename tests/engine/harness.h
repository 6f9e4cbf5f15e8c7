#pragma once
// The original test suite's harness primitives (conformance/EXPECTATIONS.md) over the engine:
// load (read with TABs as two spaces, lint), create (task + resolution in TODO, requester ""),
// run (one synchronous run with LocalRunner). Header-only: engine_tests and
// conformance_tests both include it.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "actions/catalog.h"
#include "engine/local_runner.h"
#include "engine/resolution_engine.h"
#include "engine/resolution_state.h"
#include "model/json.h"
#include "model/lint.h"
#include "model/template_loader.h"

namespace utask::engine::testing {

inline const std::filesystem::path& original_dir() {
  static const std::filesystem::path p =
      std::filesystem::path(UTASK_SOURCE_DIR) / "tests/conformance/original";
  return p;
}

// Builtin actions plus the functions of original/functions.
inline const actions::ActionRegistry& registry() {
  static const actions::ActionRegistry r = [] {
    auto reg = actions::ActionRegistry::with_builtins();
    auto functions = model::load_functions_dir((original_dir() / "functions").string());
    if (functions.ok()) (void)reg.add_functions(std::move(*functions));
    return reg;
  }();
  return r;
}

inline Time fixed_now() {
  using namespace std::chrono;
  return Time(duration_cast<microseconds>(seconds(1800000000)));
}

// A template from YAML text, linted (normalized). Errors: the loader's or lint's.
inline Result<model::TaskTemplate> template_from_yaml(const std::string& yaml) {
  auto loaded = model::parse_template_yaml(yaml, "inline.yaml");
  if (!loaded) return loaded.error();
  auto diagnostics = model::lint_template(*loaded, registry(), "inline.yaml");
  if (model::has_errors(diagnostics)) return model::to_error(diagnostics);
  return std::move(*loaded);
}

inline Result<model::TaskTemplate> load_original(const std::string& file) {
  auto loaded = model::load_template_file((original_dir() / "templates" / file).string(),
                                          model::LoadOptions{.tabs_to_spaces = true});
  if (!loaded) return loaded.error();
  auto diagnostics = model::lint_template(*loaded, registry(), file);
  if (model::has_errors(diagnostics)) return model::to_error(diagnostics);
  return std::move(*loaded);
}

// A task and its resolution, with the template they run against.
struct Fixture {
  model::TaskTemplate tmpl;
  ResolutionState resolution;

  EngineContext context() const {
    EngineContext c;
    c.tmpl = &tmpl;
    c.registry = &registry();
    c.instance_id = 1;
    return c;
  }

  // One run; `executor` replaces the actions (default: each action's execute()).
  Result<RunReport> run(LocalRunner::Executor executor = {}, LocalRunner::Clock clock = {}) {
    LocalRunner runner(context(), std::move(executor), std::move(clock));
    return runner.run(resolution);
  }

  const StepState& step(const std::string& name) const { return resolution.steps.at(name); }
  StepState& step(const std::string& name) { return resolution.steps.at(name); }
};

inline Result<Fixture> create_from(model::TaskTemplate tmpl, const Json& inputs,
                                   const Json& resolver_inputs = nullptr) {
  TaskRequest request;
  request.id = "00000000-0000-4000-8000-000000000001";
  request.input = inputs.is_null() ? Json::object() : inputs;
  auto task = create_task(tmpl, request, fixed_now());
  if (!task) return task.error();
  auto resolution = create_resolution(tmpl, std::move(*task), "00000000-0000-4000-8000-000000000002",
                                      "", resolver_inputs.is_null() ? Json::object() : resolver_inputs,
                                      false, fixed_now());
  if (!resolution) return resolution.error();
  return Fixture{std::move(tmpl), std::move(*resolution)};
}

inline Result<Fixture> create(const std::string& file, const Json& inputs,
                              const Json& resolver_inputs = nullptr) {
  auto tmpl = load_original(file);
  if (!tmpl) return tmpl.error();
  return create_from(std::move(*tmpl), inputs, resolver_inputs);
}

inline Json json(const std::string& text) {
  auto parsed = parse_json(text);
  EXPECT_TRUE(parsed.ok()) << text;
  return parsed.ok() ? std::move(*parsed) : Json();
}

}  // namespace utask::engine::testing
