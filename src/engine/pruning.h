#pragma once
// Pruning (engine.md §4.9): a final step prunes the dependents whose dependency on it can no
// longer hold. For each modified final step X: if X is PRUNE every prune-dependent becomes
// PRUNE; otherwise a prune-dependent whose (first) dependency entry on X does not list X's
// state becomes PRUNE. Recursive; the pruned steps join the modified set. The dependent's
// state is overwritten whatever it is (kept from the original, DECISIONS.md); non-final steps
// and ANY dependencies prune nothing.

#include <set>
#include <string>

namespace utask::engine {

struct Cycle;

// Prunes from `modified` and adds every pruned step to it.
void apply_pruning(Cycle& cycle, std::set<std::string>& modified);

}  // namespace utask::engine
