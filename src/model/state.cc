#include "model/state.h"

#include <algorithm>

namespace utask::model::state {

bool is_reserved_step_state(std::string_view s) {
  return std::find(std::begin(kReservedStepStates), std::end(kReservedStepStates), s) !=
         std::end(kReservedStepStates);
}

bool is_runnable_step_state(std::string_view s) {
  static constexpr std::string_view kRunnable[] = {kTodo,    kClientError, kServerError,    kFatalError,
                                                   kCrashed, kToRetry,     kRetryNow,       kAfterrunError,
                                                   kExpanded, kWaiting};
  return std::find(std::begin(kRunnable), std::end(kRunnable), s) != std::end(kRunnable);
}

bool is_final_step_state(std::string_view s) { return s != kRunning && !is_runnable_step_state(s); }

}  // namespace utask::model::state
