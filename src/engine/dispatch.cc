// The dispatch half of a run (engine.md §4.5–§4.7): which steps start, foreach expansion and
// contraction, skip conditions, the max-retries guard, and building each execution.

#include <algorithm>

#include "engine/conditions.h"
#include "engine/eligibility.h"
#include "engine/engine_impl.h"
#include "engine/foreach.h"
#include "engine/function_chain.h"
#include "engine/pruning.h"
#include "engine/retry_policy.h"
#include "model/state.h"

namespace utask::engine {

namespace ss = model::state;

void ResolutionEngine::Impl::dispatch(std::set<std::string> modified) {
  if (shutting_down) return;
  std::set<std::string> new_children;
  for (;;) {
    const auto eligible = eligible_steps(
        {&cycle.res.steps, &cycle.index, &cycle.executed, modified, new_children});
    new_children.clear();
    std::set<std::string> changed;
    bool expanded = false;
    for (const auto& name : eligible) {
      StepState* s = cycle.find(name);
      if (!s) continue;
      if (s->is_foreach()) {
        dispatch_foreach(name, changed, new_children, expanded);
      } else {
        dispatch_regular(name, changed);
      }
    }
    if (changed.empty() && !expanded) break;
    apply_pruning(cycle, changed);
    modified = std::move(changed);
  }
}

void ResolutionEngine::Impl::dispatch_foreach(const std::string& name,
                                              std::set<std::string>& changed,
                                              std::set<std::string>& new_children,
                                              bool& expanded) {
  StepState* s = cycle.find(name);
  if (s->state == ss::kTodo || s->state == ss::kToRetry) {
    ConditionRun run = run_conditions(cycle, name, ConditionScope::skip_parent);
    if (run.held || run.failed) {
      cycle.executed.insert(name);
      changed.insert(run.modified.begin(), run.modified.end());
    }
    s = cycle.find(name);
  }
  auto do_expand = [&] {
    auto children = expand(cycle, name);
    if (cycle.find(name)->state == ss::kExpanded) expanded = true;
    new_children.insert(children.begin(), children.end());
  };
  if (s->state == ss::kTodo) {
    do_expand();
  } else if (s->state == ss::kToRetry) {
    if (!s->children_steps.empty()) {
      contract(cycle, name);
      cycle.find(name)->output = nullptr;
      cycle.touch(name);
    } else {
      do_expand();
    }
  } else if (s->state == ss::kExpanded) {
    contract(cycle, name);
    cycle.set_state(name, std::string(ss::kDone));
  }
  const std::string& state = cycle.find(name)->state;
  if (state != ss::kTodo && state != ss::kToRetry && state != ss::kExpanded) {
    cycle.executed.insert(name);
  }
  cycle.touch(name);
  cycle.reindex();
  receptions.push_back({name, std::nullopt});
}

void ResolutionEngine::Impl::dispatch_regular(const std::string& name, std::set<std::string>& changed) {
  bool skipped = false;
  if (cycle.find(name)->state != ss::kAfterrunError) {
    cycle.set_state(name, std::string(ss::kRunning));
    ConditionRun run = run_conditions(cycle, name, ConditionScope::skip);
    if (run.held || run.failed) {
      skipped = true;
      cycle.executed.insert(name);
      cycle.skipped.insert(name);
      changed.insert(run.modified.begin(), run.modified.end());
    }
  }
  // §4.7 on a copy, with a snapshot of the live tree.
  Flight f{StepInFlight{*cycle.find(name), cycle.live->snapshot(), {}}, Execution::Phase::main};
  StepState& c = f.in.step;
  if (c.state == ss::kAfterrunError) return receive_later(std::move(c));
  if (c.definition.max_retries == 0) c.definition.max_retries = model::kDefaultStepMaxRetries;
  if (max_retries_reached(c)) {
    c.error = "Step reached max retries " + std::to_string(c.definition.max_retries) + ": " + c.error;
    c.state = ss::kFatalError;
    return receive_later(std::move(c));
  }
  if (skipped) return receive_later(std::move(c));

  const auto pre_hook = effective_pre_hook(c.definition, cycle.registry);
  if (pre_hook) {
    BuildInput in = build_input(c, &*pre_hook, pre_hook->base_configuration);
    auto e = build_execution(in, *cycle.live, nullptr, nullptr);
    if (!e) return fail_step(std::move(c), "prehook: " + e.error().message);
    e->phase = Execution::Phase::pre_hook;
    e->delay = std::chrono::nanoseconds(c.definition.execution_delay_ns);
    f.phase = Execution::Phase::pre_hook;
    enqueue(std::move(*e), std::move(f));
    return;
  }
  build_main(std::move(f), /*delay=*/true);
}

BuildInput ResolutionEngine::Impl::build_input(const StepState& c, const model::Action* action, std::string base) {
  BuildInput in;
  in.action = action;
  in.base_configurations = &cycle.res.base_configurations;
  in.base_configuration = std::move(base);
  in.registry = &cycle.registry;
  in.item = item_of(c);
  in.step_name = c.name();
  in.task_id = cycle.res.task.id;
  in.resolution_id = cycle.res.id;
  return in;
}

void ResolutionEngine::Impl::build_main(Flight f, bool with_delay) {
  StepState& c = f.in.step;
  BuildInput in = build_input(c, &c.definition.action, c.definition.action.base_configuration);
  model::Action action = c.definition.action;  // build reads it while the copy is updated
  in.action = &action;
  auto e = build_execution(in, f.in.snapshot, &f.in.outputs, &c.definition.action.output);
  if (!e) return fail_step(std::move(c), e.error().message);
  std::vector<std::string>& res = e->resources;
  res.insert(res.end(), c.definition.resources.begin(), c.definition.resources.end());
  std::sort(res.begin(), res.end());
  res.erase(std::unique(res.begin(), res.end()), res.end());
  if (with_delay) e->delay = std::chrono::nanoseconds(c.definition.execution_delay_ns);
  f.phase = Execution::Phase::main;
  enqueue(std::move(*e), std::move(f));
}

void ResolutionEngine::Impl::enqueue(Execution e, Flight f) {
  e.id = next_id++;
  flights.emplace(e.id, std::move(f));
  ready.push_back(std::move(e));
}

void ResolutionEngine::Impl::fail_step(StepState c, std::string error) {
  c.state = ss::kFatalError;
  c.error = std::move(error);
  receive_later(std::move(c));
}

void ResolutionEngine::Impl::receive_later(StepState c) {
  std::string name = c.name();
  receptions.push_back({std::move(name), std::move(c)});
}

}  // namespace utask::engine
