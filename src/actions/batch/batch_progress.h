#pragma once
// The progress a `batch` step carries from one run to the next in its metadata (actions.md §7):
// {batch_id, remaining_tasks, tasks_started}, stored as a *string* — the compact JSON with
// every `"` written `\"` — so that it survives being rendered into the step's context JSON and
// reads back as plain JSON on the next run. Kept in the original's format: templates may parse it.

#include <cstdint>
#include <string>

#include "model/error.h"

namespace utask::actions {

struct BatchProgress {
  std::string batch_id;  // empty before the first wave
  int64_t remaining_tasks = 0;
  int64_t tasks_started = 0;
};

// `{\"batch_id\":\"<id>\",\"remaining_tasks\":N,\"tasks_started\":M}`.
std::string format_progress(const BatchProgress& progress);

// The previous run's progress from the rendered context (plain JSON, or "" on the first run).
// Fails (invalid_input) with `metadata unmarshalling failure: <detail>`.
Result<BatchProgress> parse_progress(const std::string& text);

// `"` → `\"`: how the original hands back the previous metadata unchanged on failure.
std::string quote_progress(const std::string& text);

}  // namespace utask::actions
