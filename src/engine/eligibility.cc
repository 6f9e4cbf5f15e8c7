#include "engine/eligibility.h"

#include <algorithm>

#include "model/state.h"

namespace utask::engine {
namespace {

bool dependencies_hold(const StepState& step, const std::map<std::string, StepState>& steps) {
  const bool ignore_own_children = step.is_foreach() && step.state != model::state::kExpanded;
  for (const auto& text : step.definition.dependencies) {
    Dependency dep = parse_dependency(text);
    if (dependency_satisfied(dep, steps)) continue;
    if (ignore_own_children && step.children_steps_map.count(dep.step)) {
      auto child = steps.find(dep.step);
      if (child == steps.end() || child->second.state != model::state::kRunning) continue;
    }
    return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> eligible_steps(EligibilityInput in) {
  const auto& steps = *in.steps;
  std::set<std::string> candidates;
  if (in.modified.empty()) {
    for (const auto& [name, step] : steps) candidates.insert(name);
  } else {
    for (const auto& m : in.modified) {
      const auto& deps = in.index->dependents(m);
      candidates.insert(deps.begin(), deps.end());
    }
  }
  // RETRY_NOW steps that already ran in this run go again (loops, §5.5).
  for (auto it = in.executed->begin(); it != in.executed->end();) {
    auto s = steps.find(*it);
    if (s != steps.end() && s->second.state == model::state::kRetryNow) {
      candidates.insert(*it);
      it = in.executed->erase(it);
    } else {
      ++it;
    }
  }
  candidates.insert(in.new_children.begin(), in.new_children.end());

  std::vector<std::string> eligible;
  std::set<std::string> discarded_children;
  for (const auto& name : candidates) {
    auto it = steps.find(name);
    if (it == steps.end()) continue;
    const StepState& step = it->second;
    if (!model::state::is_runnable_step_state(step.state)) continue;
    if (in.executed->count(name)) continue;
    if (!dependencies_hold(step, steps)) continue;
    eligible.push_back(name);
    if (step.is_foreach()) {
      discarded_children.insert(step.children_steps.begin(), step.children_steps.end());
    }
  }
  std::erase_if(eligible, [&](const std::string& n) { return discarded_children.count(n) > 0; });
  return eligible;
}

}  // namespace utask::engine
