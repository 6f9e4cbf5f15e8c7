#include "engine/end_of_cycle.h"

#include <array>

#include "engine/retry_policy.h"
#include "model/state.h"

namespace utask::engine {

namespace rs = resolution_state;
namespace ss = model::state;

std::string resolution_state_from_steps(const ResolutionState& resolution, bool shutting_down) {
  // In priority order.
  static constexpr std::array<std::string_view, 6> kPriority = {
      rs::kCrashed, rs::kBlockedFatal, rs::kBlockedBadRequest,
      rs::kError,   rs::kWaiting,      rs::kBlockedDeadlock};
  std::array<bool, kPriority.size()> present{};
  auto mark = [&](std::string_view s) {
    for (size_t i = 0; i < kPriority.size(); ++i) {
      if (kPriority[i] == s) present[i] = true;
    }
  };
  for (const auto& [name, step] : resolution.steps) {
    const std::string& s = step.state;
    if (s == ss::kClientError) mark(rs::kBlockedBadRequest);
    else if (s == ss::kFatalError) mark(rs::kBlockedFatal);
    else if (s == ss::kServerError || s == ss::kToRetry || s == ss::kAfterrunError) mark(rs::kError);
    else if (s == ss::kRunning) mark(rs::kCrashed);
    else if (s == ss::kWaiting) mark(rs::kWaiting);
    else if (s == ss::kTodo) mark(shutting_down ? rs::kCrashed : rs::kBlockedDeadlock);
  }
  for (size_t i = 0; i < kPriority.size(); ++i) {
    if (present[i]) return std::string(kPriority[i]);
  }
  return std::string(rs::kDone);
}

int count_steps_done(const ResolutionState& resolution) {
  int n = 0;
  for (const auto& [name, step] : resolution.steps) {
    if (!step.is_child && ss::is_final_step_state(step.state)) ++n;
  }
  return n;
}

std::string task_state_for(std::string_view state) {
  if (state == rs::kDone) return std::string(task_state::kDone);
  if (state == rs::kWaiting) return std::string(task_state::kWaiting);
  if (state == rs::kError || state == rs::kCrashed) return std::string(task_state::kRunning);
  return std::string(task_state::kBlocked);
}

std::string apply_end_of_cycle(ResolutionState& resolution, const std::string& computed, Time now) {
  std::string state = computed;
  if (state == rs::kError || state == rs::kCrashed) {
    if (runs_exhausted(resolution)) {
      state = std::string(rs::kBlockedMaxRetries);
    } else {
      resolution.next_retry = now + resolution_retry_delay(resolution);
    }
  }
  resolution.state = state;
  resolution.last_stop = now;
  resolution.task.state = task_state_for(state);
  resolution.task.steps_done = count_steps_done(resolution);
  resolution.task.last_activity = now;
  return state;
}

}  // namespace utask::engine
