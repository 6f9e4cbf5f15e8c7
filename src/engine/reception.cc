// The reception half of a run (engine.md §4.8): a step's result replaces the stored step,
// its tags reach the task, check conditions and pruning run, dependents are dispatched.

#include "engine/conditions.h"
#include "engine/engine_impl.h"
#include "engine/pruning.h"
#include "model/state.h"

namespace utask::engine {

namespace ss = model::state;

void ResolutionEngine::Impl::drain() {
  while (!receptions.empty()) {
    Reception r = std::move(receptions.front());
    receptions.pop_front();
    receive(std::move(r));
  }
}

void ResolutionEngine::Impl::receive(Reception r) {
  const std::string name = r.name;
  if (cycle.contracted.count(name)) {
    cycle.skipped.erase(name);
    return;  // a late result of a contracted child
  }
  if (r.replacement) {
    StepState& s = *r.replacement;
    for (const auto& [k, v] : s.tags) {
      if (v.empty()) cycle.res.task.tags.erase(k);
      else cycle.res.task.tags[k] = v;
      cycle.changes.task = true;
    }
    s.last_run = cycle.now;
    cycle.res.steps[name] = std::move(s);
    cycle.touch(name);
  }
  const bool was_skipped = cycle.skipped.erase(name) > 0;
  StepState* s = cycle.find(name);
  if (!s) return;
  std::set<std::string> modified{name};
  if (!was_skipped && !s->is_foreach() &&
      (s->state == ss::kDone || s->state == ss::kClientError || s->state == ss::kAfterrunError)) {
    ConditionRun run = run_conditions(cycle, name, ConditionScope::check);
    modified.insert(run.modified.begin(), run.modified.end());
  }
  apply_pruning(cycle, modified);
  if (s = cycle.find(name); s && !s->is_foreach()) cycle.executed.insert(name);
  cycle.changes.resolution = true;
  cycle.changes.task = true;
  dispatch(std::move(modified));
}

}  // namespace utask::engine
