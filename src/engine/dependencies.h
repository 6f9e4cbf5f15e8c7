#pragma once
// Dependencies between steps (engine.md §4.4): `name` ≡ `name:DONE`, `name:S1,S2` holds when
// the dependency is in one of the states, `name:ANY` when it is final together with all of its
// own transitive dependencies. The index answers "who depends on X" for eligibility and
// pruning; rebuild it whenever the step set changes (load, foreach expansion, contraction).

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/step_state.h"

namespace utask::engine {

struct Dependency {
  std::string step;
  std::vector<std::string> states;  // never empty: {"DONE"} when none is written
  bool any() const { return states.size() == 1 && states.front() == "ANY"; }
};

Dependency parse_dependency(std::string_view text);

class DependencyIndex {
 public:
  void rebuild(const std::map<std::string, StepState>& steps);
  // Steps having any dependency on `name`.
  const std::set<std::string>& dependents(const std::string& name) const;
  // Steps having a dependency on `name` whose first qualifier is not ANY (§4.9).
  const std::set<std::string>& prune_dependents(const std::string& name) const;

 private:
  std::map<std::string, std::set<std::string>> dependents_;
  std::map<std::string, std::set<std::string>> prune_dependents_;
};

// Whether one dependency holds. A missing step never satisfies a dependency.
bool dependency_satisfied(const Dependency& dep, const std::map<std::string, StepState>& steps);

// The step's first dependency entry on `on`, or nullptr.
std::optional<Dependency> dependency_on(const StepState& step, std::string_view on);

}  // namespace utask::engine
