#include "engine/pruning.h"

#include <algorithm>
#include <deque>

#include "engine/cycle.h"
#include "model/state.h"

namespace utask::engine {

void apply_pruning(Cycle& cycle, std::set<std::string>& modified) {
  std::deque<std::string> queue(modified.begin(), modified.end());
  std::set<std::string> done;
  while (!queue.empty()) {
    const std::string name = queue.front();
    queue.pop_front();
    if (!done.insert(name).second) continue;
    const StepState* x = cycle.find(name);
    if (!x || !model::state::is_final_step_state(x->state)) continue;
    const bool pruned = x->state == model::state::kPrune;
    const std::string x_state = x->state;
    // Copy: set_state does not reindex, but keep the iteration independent of it.
    const std::set<std::string> dependents = cycle.index.prune_dependents(name);
    for (const auto& d : dependents) {
      StepState* dep = cycle.find(d);
      if (!dep) continue;
      bool prune = pruned;
      if (!prune) {
        auto entry = dependency_on(*dep, name);
        prune = entry && std::find(entry->states.begin(), entry->states.end(), x_state) ==
                             entry->states.end();
      }
      if (!prune) continue;
      if (dep->state != model::state::kPrune) cycle.set_state(d, std::string(model::state::kPrune));
      modified.insert(d);
      done.erase(d);
      queue.push_back(d);
    }
  }
}

}  // namespace utask::engine
