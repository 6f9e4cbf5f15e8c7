#include "engine/function_chain.h"

#include <algorithm>

#include "actions/catalog.h"

namespace utask::engine {

Result<FunctionChain> resolve_function_chain(std::string_view type,
                                             const actions::ActionRegistry& registry) {
  FunctionChain chain;
  std::string current(type);
  while (const model::Function* f = registry.find_function(current)) {
    for (const auto* seen : chain.functions) {
      if (seen->name == f->name) {
        return Error::invalid_template("invalid cyclic import in function for \"" + f->name + "\"");
      }
    }
    chain.functions.push_back(f);
    current = f->action.type;
  }
  if (!registry.has_plugin(current)) {
    return Error::not_found("No runner for type '" + current + "'");
  }
  chain.plugin = current;
  chain.action = registry.find_action(current);
  return chain;
}

std::vector<model::Condition> effective_conditions(const model::Step& step,
                                                   const actions::ActionRegistry& registry,
                                                   size_t* step_first_index) {
  std::vector<model::Condition> out;
  auto chain = resolve_function_chain(step.action.type, registry);
  if (chain) {
    for (auto it = chain->functions.rbegin(); it != chain->functions.rend(); ++it) {
      out.insert(out.end(), (*it)->conditions.begin(), (*it)->conditions.end());
    }
  }
  if (step_first_index) *step_first_index = out.size();
  out.insert(out.end(), step.conditions.begin(), step.conditions.end());
  return out;
}

std::vector<std::string> effective_custom_states(const model::Step& step,
                                                 const actions::ActionRegistry& registry) {
  std::vector<std::string> out;
  auto add = [&](const std::vector<std::string>& states) {
    for (const auto& s : states) {
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
  };
  add(step.custom_states);
  if (auto chain = resolve_function_chain(step.action.type, registry)) {
    for (const auto* f : chain->functions) add(f->custom_states);
  }
  return out;
}

std::optional<model::Action> effective_pre_hook(const model::Step& step,
                                                const actions::ActionRegistry& registry) {
  std::optional<model::Action> hook = step.pre_hook;
  if (auto chain = resolve_function_chain(step.action.type, registry)) {
    for (const auto* f : chain->functions) {
      if (f->pre_hook) hook = f->pre_hook;
    }
  }
  return hook;
}

}  // namespace utask::engine
