#include "engine/operator_edits.h"

#include <algorithm>

#include "engine/function_chain.h"
#include "model/state.h"

namespace utask::engine {

namespace rs = resolution_state;

namespace {

Error refused(std::string message) {
  return Error{ErrorCode::conflict, std::move(message), "resolution.state"};
}

bool in(const std::string& state, std::initializer_list<std::string_view> states) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

Result<void> require_paused(const ResolutionState& r) {
  if (r.state != rs::kPaused) return refused("Cannot update a resolution which is not in state 'PAUSED'");
  return {};
}

}  // namespace

Result<void> pause(ResolutionState& r, bool force) {
  if (!force && in(r.state, {rs::kCancelled, rs::kRunning, rs::kDone})) {
    return refused("Can't pause resolution while in state " + r.state);
  }
  r.state = std::string(rs::kPaused);
  return {};
}

Result<void> cancel(ResolutionState& r, Time now) {
  if (in(r.state, {rs::kCancelled, rs::kRunning, rs::kDone})) {
    return refused("Can't cancel resolution: state " + r.state);
  }
  r.state = std::string(rs::kCancelled);
  r.task.state = std::string(task_state::kCancelled);
  r.task.last_activity = now;
  return {};
}

Result<void> extend(ResolutionState& r, std::optional<int64_t> retry_max, Time now) {
  if (r.state != rs::kBlockedMaxRetries) {
    return refused("Cannot extend a resolution which is not in state 'BLOCKED_MAXRETRIES'");
  }
  r.run_max += retry_max.value_or(model::kDefaultRetryMax);
  r.state = std::string(rs::kError);
  r.next_retry = now;
  return {};
}

std::vector<std::string> effective_custom_states(const StepState& step,
                                                 const actions::ActionRegistry& registry) {
  return engine::effective_custom_states(step.definition, registry);
}

Result<void> set_step_state(ResolutionState& r, std::string_view name, std::string state,
                            const actions::ActionRegistry& registry) {
  if (auto paused = require_paused(r); !paused) return paused;
  auto it = r.steps.find(std::string(name));
  if (it == r.steps.end()) {
    return Error::not_found("given stepName \"" + std::string(name) + "\" for this resolution not found");
  }
  const bool builtin = model::state::is_reserved_step_state(state) && state != model::state::kAny;
  const auto custom = effective_custom_states(it->second, registry);
  if (!builtin && std::find(custom.begin(), custom.end(), state) == custom.end()) {
    return Error::invalid_input("invalid state provided: \"" + state + "\" is not allowed", "state");
  }
  it->second.state = std::move(state);
  return {};
}

Result<void> set_resolver_inputs(ResolutionState& r, Json resolver_inputs) {
  if (auto paused = require_paused(r); !paused) return paused;
  r.resolver_inputs = std::move(resolver_inputs);
  return {};
}

}  // namespace utask::engine
