#pragma once
// Where a step's retry is computed (engine.md §4.7 step 3, §4.10, §4.12, §14): the delay a
// failed step asks for, the resolution's next_retry, the run budget and the max-retries guard.

#include <chrono>
#include <optional>
#include <string_view>

#include "engine/resolution_state.h"

namespace utask::engine {

// Global cap of next_retry (also the delay when no step asks for one, e.g. CRASHED).
inline constexpr std::chrono::seconds kMaxRetryDelay = std::chrono::hours(1);

// The delay a step in SERVER_ERROR / TO_RETRY / AFTERRUN_ERROR asks for, n = its try_count:
//   "" / seconds: 8 s × 1.25ⁿ clamped to [8 s, 10 min];
//   minutes: 1.6·n min, at most 30 min;
//   hours: 1 h + (n−1)·10 min, at most 3 h.
// An unknown pattern counts as seconds.
std::chrono::microseconds step_retry_delay(std::string_view retry_pattern, int64_t try_count);

// The minimum over the retriable steps, starting from (and so never above) kMaxRetryDelay.
std::chrono::microseconds resolution_retry_delay(const ResolutionState& resolution);

// max_retries as executions see it: 0 means 10000, negative unlimited (nullopt).
std::optional<int64_t> effective_max_retries(int64_t max_retries);

// The guard run before each execution: true when the step has used up its retries
// (try_count > max_retries > 0); the step then ends FATAL_ERROR with
// `Step reached max retries <n>: <previous error>`.
bool max_retries_reached(const StepState& step);

// ERROR or CRASHED with run_count >= run_max becomes BLOCKED_MAXRETRIES.
bool runs_exhausted(const ResolutionState& resolution);

}  // namespace utask::engine
