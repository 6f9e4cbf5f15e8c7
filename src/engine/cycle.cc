#include "engine/cycle.h"

#include "actions/catalog.h"
#include "values/variables.h"

namespace utask::engine {

Cycle::Cycle(ResolutionState& resolution, const EngineContext& context)
    : res(resolution),
      ctx(context),
      registry(*context.registry),
      variables(std::make_unique<values::Variables>(values::Variables::make(context.tmpl->variables))) {}

Cycle::~Cycle() = default;

StepState* Cycle::find(std::string_view name) {
  auto it = res.steps.find(std::string(name));
  return it == res.steps.end() ? nullptr : &it->second;
}

void Cycle::touch(const std::string& name) {
  auto it = res.steps.find(name);
  if (it == res.steps.end()) return;
  changes.steps.insert(name);
  changes.removed_steps.erase(name);
  if (live) live->set_step(it->second);
}

void Cycle::set_state(const std::string& name, std::string state, std::optional<std::string> error) {
  StepState* step = find(name);
  if (!step) return;
  step->state = std::move(state);
  if (error) step->error = std::move(*error);
  touch(name);
}

void Cycle::remove(const std::string& name) {
  res.steps.erase(name);
  changes.steps.erase(name);
  changes.removed_steps.insert(name);
  if (live) live->remove_step(name);
}

void Cycle::reindex() { index.rebuild(res.steps); }

}  // namespace utask::engine
