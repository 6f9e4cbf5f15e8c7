#pragma once
// The JSON the API shows (api.md §6): one function per object, shared by the REST handlers and
// `utask run`, so both print the same shapes. Presence rules ("A" always, "O" omitted when
// empty) follow api.md; times are RFC 3339 in UTC (engine::format_time).

#include <optional>
#include <vector>

#include "engine/resolution_state.h"
#include "model/json.h"
#include "model/task_template.h"
#include "persistence/records.h"

namespace utask::service {

struct TaskJsonOptions {
  bool with_input = true;     // false in listings (input: null, no result)
  bool with_result = true;
  const std::vector<persistence::Comment>* comments = nullptr;  // single-task responses
  // GET /task/:id of a BLOCKED task: the failing steps' errors.
  std::vector<std::pair<std::string, std::string>> errors;
  // The template's resolver-input definitions, so a UI can render the form.
  const model::TaskTemplate* tmpl = nullptr;
};

// api.md §6.1. input_json/result_json are used as stored (callers mask secrets first).
Json task_json(const persistence::TaskRecord& task, const TaskJsonOptions& options = {});

// api.md §6.2.
Json comment_json(const persistence::Comment& comment);

// api.md §6.3, steps included when the record has them; resolver inputs unless
// `with_resolver_inputs` is false (non-managers).
Result<Json> resolution_json(const persistence::ResolutionRecord& resolution,
                             bool with_resolver_inputs = true);

// api.md §6.5 for one stored step.
Result<Json> step_json(const persistence::StepRecord& step);

}  // namespace utask::service
