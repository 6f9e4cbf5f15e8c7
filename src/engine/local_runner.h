#pragma once
// A synchronous driver of ResolutionEngine: one run of a resolution, start to end, with each
// action executed inline. For tests and for `utask run`. It follows the cycle exactly as the
// actors do: dispatch everything available, then receive the results one by one (in dispatch
// order), re-evaluating after each; execution_delay is not waited and resources are not
// limited (no semaphores here).

#include <functional>
#include <optional>
#include <vector>

#include "actions/action.h"
#include "engine/execution.h"
#include "engine/resolution_engine.h"
#include "model/error.h"

namespace utask::engine {

struct RunReport {
  // false: the run was aborted for a human check (crash recovery, §4.2 step 3)
  bool ran = false;
  RunEnd end;                       // meaningful when ran
  int executions = 0;               // action calls made
  std::vector<Changes> checkpoints;  // what the actors would have persisted, in order
};

class LocalRunner {
 public:
  // Runs an execution; by default the action's own execute() (Execution::action).
  using Executor = std::function<actions::ActionResult(const Execution&)>;
  // The time passed to the engine; by default the system clock.
  using Clock = std::function<Time()>;

  explicit LocalRunner(EngineContext context, Executor executor = {}, Clock clock = {});

  // One run (SyncResolve). Errors: begin_run's refusals (cancelled, already running, already
  // done), resolution unchanged.
  Result<RunReport> run(ResolutionState& resolution) const;

 private:
  EngineContext context_;
  Executor executor_;
  Clock clock_;
};

}  // namespace utask::engine
