#pragma once
// The façade of µTask's resolution semantics (engine.md §4–§6, §11), pure and synchronous: no
// threads, no I/O, no store, no clock (the caller passes `now`). One ResolutionEngine drives
// one execution cycle ("run") of one resolution; the actors (or LocalRunner) wrap it:
//
//   ResolutionEngine engine(resolution, context);
//   auto begun = engine.begin_run(now);            // §4.2 take hold (refusals, crash recovery)
//   if (!begun || *begun != BeginOutcome::started) → persist, stop
//   checkpoint(engine.take_changes());
//   loop:
//     for (auto& e : engine.next_executions()) dispatch e      // §4.5/§4.6
//     on each result: engine.apply_result(e.id, result, now);  // §4.8
//                     checkpoint(engine.take_changes());
//     until next_executions() is empty and engine.in_flight() == 0
//   RunEnd end = engine.finish(now);                // §4.10–§4.12, task state/result
//   checkpoint(engine.take_changes());
//
// Invariants:
//  - The engine mutates only the ResolutionState it was given (steps, task fields, states);
//    the caller must not touch it between begin_run and finish.
//  - Steps whose fate is decided without running an action (a holding skip condition, an
//    AFTERRUN_ERROR re-check, the max-retries guard, a rendering error, foreach expansion and
//    contraction) are resolved inside next_executions(); only real action calls come out.
//  - next_executions() may also return executions after every result was applied: the
//    WAITING re-check (§4.11) re-dispatches WAITING steps once per run. The run is over only
//    when it returns nothing with nothing in flight.
//  - Changes accumulate until take_changes(); the actors checkpoint exactly those rows.
//
// Thread safety: none. One engine per run, called from one place (the task actor); action
// executions may run elsewhere, their results come back through apply_result().

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "actions/action.h"
#include "engine/execution.h"
#include "engine/resolution_state.h"
#include "model/error.h"
#include "model/json.h"
#include "model/task_template.h"

namespace utask::actions {
class ActionRegistry;
}

namespace utask::engine {

// What a run needs besides the resolution. Pointers must outlive the engine.
struct EngineContext {
  // The template as it is at run time: variables, input declarations, title_format, name
  // (steps and base configurations come from the resolution, §3.2).
  const model::TaskTemplate* tmpl = nullptr;
  const actions::ActionRegistry* registry = nullptr;  // actions and functions
  Json config_items = Json::object();                 // `.config` (§7.2)
  std::string region = "default";                     // `.task.region`
  int64_t instance_id = 0;                            // written in resolution.instance_id
};

enum class BeginOutcome {
  started,            // RUNNING: call next_executions()
  blocked_for_check,  // crash recovery left non-idempotent steps CRASHED: BLOCKED_TOCHECK,
                      // task BLOCKED; persist and stop (SyncResolve's (null, null))
};

// Which rows changed since the last take_changes(): the checkpoint's content.
struct Changes {
  std::set<std::string> steps;          // upserted steps (foreach children included)
  std::set<std::string> removed_steps;  // foreach children deleted by contraction
  bool resolution = false;              // state, run_count, next_retry, ... changed
  bool task = false;                    // task state, tags, title, result, steps_done, ...
  bool empty() const { return steps.empty() && removed_steps.empty() && !resolution && !task; }
};

// The end of a run (§4.10): also written into the ResolutionState.
struct RunEnd {
  std::string resolution_state;
  std::string task_state;
  std::optional<Time> next_retry;  // set for ERROR/CRASHED with runs left
  int steps_done = 0;
};

class ResolutionEngine {
 public:
  // REQUIRES: context.tmpl and context.registry non-null.
  ResolutionEngine(ResolutionState& resolution, EngineContext context);
  ~ResolutionEngine();
  ResolutionEngine(const ResolutionEngine&) = delete;
  ResolutionEngine& operator=(const ResolutionEngine&) = delete;

  // §4.2: refuses CANCELLED / RUNNING / DONE (errors `Can't run resolution: cancelled`,
  // `... already running`, `... already done`, code conflict; nothing changed); applies crash
  // recovery to a CRASHED resolution; else RUNNING, instance id, last_start = now,
  // run_count + 1, task RUNNING, inputs re-validated with defaults (an invalid input gives
  // BLOCKED_TOCHECK / task BLOCKED, outcome blocked_for_check), title re-rendered; then builds
  // the live data tree. The engine never refuses PAUSED or BLOCKED_* (collectors do).
  Result<BeginOutcome> begin_run(Time now);

  // The action calls to start now (§4.5, §4.6), after resolving every step that needs no
  // action call. Empty with in_flight() == 0: the run is over, call finish().
  // `shutting_down`: nothing is dispatched (§10.7); eligible steps stay as they are.
  std::vector<Execution> next_executions(bool shutting_down = false);

  // §4.7.3 + §4.8: post-processes the result of execution `id` (outputs, error
  // classification, json_schema, try_count), stores the step, merges its tags into the task,
  // evaluates check conditions and pruning. A pre_hook result instead prepares the step's
  // main execution (returned by the next next_executions()), or fails the step
  // (`prehook: <error>`). Fails (not_found) for an unknown or already applied id.
  Result<void> apply_result(uint64_t id, actions::ActionResult result, Time now);

  // An execution the driver will not run (shutdown before it started, §4.7.2): the step
  // becomes TO_RETRY without a try.
  Result<void> abandon(uint64_t id, Time now);

  // Executions handed out and not yet applied or abandoned.
  size_t in_flight() const;

  // §4.10–§4.12: the resolution's end state from its steps (priority CRASHED > BLOCKED_FATAL
  // > BLOCKED_BADREQUEST > ERROR > WAITING > BLOCKED_DEADLOCK, else DONE), run_max check,
  // next_retry, task state, task result (rendered when DONE), steps_done, last_stop.
  // `shutting_down`: TODO steps count as CRASHED. REQUIRES: in_flight() == 0 (steps still
  // RUNNING otherwise make the resolution CRASHED, as a crash would).
  RunEnd finish(Time now, bool shutting_down = false);

  // The changes since the previous call, then forgets them.
  Changes take_changes();

  const ResolutionState& resolution() const;
  // The live data tree (§7.2), for tests and debugging.
  const Json& data_tree() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace utask::engine
