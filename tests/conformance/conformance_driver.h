#pragma once
// How a conformance case reaches an engine: create the task of a case (inputs, resolver
// inputs, a resolution in TODO), run it until the run ends, read the resolution back as the
// engine's state, and edit it between runs as an operator does. Three drivers:
//  * local             — the pure engine with engine::LocalRunner, state in memory;
//  * runtime/sqlite    — the actors runtime (supervisor, task and step actors) over a Store on
//  * runtime/postgres    a fresh SQLite file or Postgres database; a run is Runtime::run_now,
//                        the state is what the store holds after the lease is released.
// The same test body runs on each (TEST_P over DriverKind), so what passes through the engine
// passes through the runtime and both backends.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actions/catalog.h"
#include "engine/resolution_state.h"
#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"

namespace utask::engine::conformance {

enum class DriverKind { local, runtime_sqlite, runtime_postgres };

// "local", "runtime_sqlite", "runtime_postgres" (test name suffixes).
std::string driver_name(DriverKind kind);

// Builtin actions, `script` reading its files from a folder where `./scripts_tests/` is
// original/scripts (the path the original's test templates use), and the functions of
// original/functions. Shared, read-only.
const actions::ActionRegistry& registry();

// original/templates/<file> read as the original's harness reads it (TABs as two spaces) and
// linted with registry(). Errors: the loader's or lint's.
Result<model::TaskTemplate> load_original(const std::string& file);

// Templates whose actions reach tasks or callbacks through ActionServices (subtask, batch,
// callback): the local driver keeps such a task in a SQLite store too, for those actions.
bool needs_store(const std::string& file);

// What one run did.
struct RunOutcome {
  bool ran = false;  // false: aborted for a human check (crash recovery), nothing executed
};

class Driver {
 public:
  virtual ~Driver() = default;
  virtual DriverKind kind() const = 0;

  // Creates the task of original/templates/<file> with `inputs` and its resolution (TODO,
  // resolver "", `resolver_inputs`). Errors: template, inputs.
  virtual Result<void> create(const std::string& file, const Json& inputs,
                              const Json& resolver_inputs = nullptr) = 0;
  // One run, returning when it has ended (runtime: the lease is released). Errors: the
  // run's refusal (`Can't run resolution: ...`), or a run that does not end in time.
  virtual Result<RunOutcome> run() = 0;
  // The resolution as it is now (runtime: reloaded from the store).
  virtual const ResolutionState& resolution() = 0;
  // An operator's edit between runs: `change` is applied to the current state and the whole
  // state is persisted (runtime: Store::update_resolution with service::to_full_change,
  // refused while a run holds the lease).
  virtual Result<void> edit(const std::function<void(ResolutionState&)>& change) = 0;
  // Makes the resolution RUNNING as if another process ran it (runtime: a live lease held by
  // another instance), so a run is refused with `already running`.
  virtual Result<void> hold_run_elsewhere() = 0;

  const StepState& step(const std::string& name) { return resolution().steps.at(name); }
};

// A new driver with no task yet (a runtime driver with its own fresh store; a failure to open
// it is a test failure).
std::unique_ptr<Driver> make_driver(DriverKind kind);

// Every driver kind: local, runtime_sqlite, runtime_postgres.
std::vector<DriverKind> all_drivers();

}  // namespace utask::engine::conformance
