#include "engine/retry_policy.h"

#include <algorithm>
#include <cmath>

#include "model/state.h"

namespace utask::engine {

using std::chrono::microseconds;

namespace {
microseconds from_seconds(double s) { return microseconds(static_cast<int64_t>(std::llround(s * 1e6))); }
}  // namespace

microseconds step_retry_delay(std::string_view retry_pattern, int64_t try_count) {
  const double n = static_cast<double>(try_count);
  if (retry_pattern == "minutes") {
    return from_seconds(std::min(1.6 * n * 60.0, 30.0 * 60.0));
  }
  if (retry_pattern == "hours") {
    return from_seconds(std::min(3600.0 + (n - 1) * 600.0, 3.0 * 3600.0));
  }
  const double seconds = 8.0 * std::pow(1.25, n);
  return from_seconds(std::clamp(seconds, 8.0, 600.0));
}

microseconds resolution_retry_delay(const ResolutionState& resolution) {
  microseconds best = kMaxRetryDelay;
  for (const auto& [name, step] : resolution.steps) {
    const std::string& s = step.state;
    if (s == model::state::kServerError || s == model::state::kToRetry ||
        s == model::state::kAfterrunError) {
      best = std::min(best, step_retry_delay(step.definition.retry_pattern, step.try_count));
    }
  }
  return best;
}

std::optional<int64_t> effective_max_retries(int64_t max_retries) {
  if (max_retries < 0) return std::nullopt;
  return max_retries == 0 ? model::kDefaultStepMaxRetries : max_retries;
}

bool max_retries_reached(const StepState& step) {
  const int64_t max = step.definition.max_retries;
  return max > 0 && step.try_count > max;
}

bool runs_exhausted(const ResolutionState& resolution) {
  return resolution.run_count >= resolution.run_max;
}

}  // namespace utask::engine
