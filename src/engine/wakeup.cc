#include "engine/wakeup.h"

namespace utask::engine {

void refuse_admission(ResolutionState& resolution, Time now) {
  resolution.state = std::string(resolution_state::kToAutorunDelayed);
  resolution.next_retry = now + kTemplateResourceRetryDelay;
  resolution.task.state = std::string(task_state::kBlocked);
  resolution.task.last_activity = now;
}

std::optional<std::string> parent_to_wake(const TaskState& child) {
  const std::string& s = child.state;
  if (s != task_state::kDone && s != task_state::kWontfix && s != task_state::kCancelled) {
    return std::nullopt;
  }
  auto it = child.tags.find(std::string(kParentTaskTag));
  if (it == child.tags.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

bool parent_accepts_wakeup(std::string_view task, std::string_view resolution) {
  const bool task_ok = task == task_state::kBlocked || task == task_state::kRunning ||
                       task == task_state::kWaiting;
  const bool resolution_ok =
      resolution != resolution_state::kCrashed && resolution != resolution_state::kPaused;
  return task_ok && resolution_ok;
}

}  // namespace utask::engine
