#include "engine/dependencies.h"

#include <algorithm>
#include <optional>

#include "model/state.h"

namespace utask::engine {
namespace {

const std::set<std::string> kNone;

// Final, and every transitive dependency final too (qualifiers ignored).
bool final_with_ancestors(const std::string& name, const std::map<std::string, StepState>& steps,
                          std::set<std::string>& seen) {
  if (!seen.insert(name).second) return true;
  auto it = steps.find(name);
  if (it == steps.end() || !model::state::is_final_step_state(it->second.state)) return false;
  for (const auto& text : it->second.definition.dependencies) {
    if (!final_with_ancestors(parse_dependency(text).step, steps, seen)) return false;
  }
  return true;
}

}  // namespace

Dependency parse_dependency(std::string_view text) {
  Dependency dep;
  const size_t colon = text.find(':');
  dep.step = std::string(text.substr(0, colon));
  if (colon != std::string_view::npos) {
    std::string_view rest = text.substr(colon + 1);
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      dep.states.emplace_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (dep.states.empty()) dep.states.emplace_back(model::state::kDone);
  return dep;
}

void DependencyIndex::rebuild(const std::map<std::string, StepState>& steps) {
  dependents_.clear();
  prune_dependents_.clear();
  for (const auto& [name, step] : steps) {
    for (const auto& text : step.definition.dependencies) {
      Dependency dep = parse_dependency(text);
      dependents_[dep.step].insert(name);
      if (dep.states.front() != model::state::kAny) prune_dependents_[dep.step].insert(name);
    }
  }
}

const std::set<std::string>& DependencyIndex::dependents(const std::string& name) const {
  auto it = dependents_.find(name);
  return it == dependents_.end() ? kNone : it->second;
}

const std::set<std::string>& DependencyIndex::prune_dependents(const std::string& name) const {
  auto it = prune_dependents_.find(name);
  return it == prune_dependents_.end() ? kNone : it->second;
}

bool dependency_satisfied(const Dependency& dep, const std::map<std::string, StepState>& steps) {
  auto it = steps.find(dep.step);
  if (it == steps.end()) return false;
  if (dep.any()) {
    std::set<std::string> seen;
    return final_with_ancestors(dep.step, steps, seen);
  }
  return std::find(dep.states.begin(), dep.states.end(), it->second.state) != dep.states.end();
}

std::optional<Dependency> dependency_on(const StepState& step, std::string_view on) {
  for (const auto& text : step.definition.dependencies) {
    Dependency dep = parse_dependency(text);
    if (dep.step == on) return dep;
  }
  return std::nullopt;
}

}  // namespace utask::engine
