#pragma once
// `script` (actions.md §11): runs an executable of the scripts folder with arguments, stdin and
// environment, under a timeout, and turns its output into the step's output (§10: last line,
// delimiters or nothing), its exit code into the step's error (`exit_codes_unrecoverable` →
// client error) and the run into metadata {exit_code, process_state, output, execution_time,
// error}. The scripts folder (--scripts-path) is given at construction.
//
// Load-time checks skip any string holding "{{" (actions.md §1.4 "Recommended"); the same
// checks run again after rendering and fail the step as a client error.

#include <string>

#include "actions/action.h"

namespace utask::actions {

class ScriptAction final : public Action {
 public:
  explicit ScriptAction(std::string scripts_path) : scripts_path_(std::move(scripts_path)) {}

  std::string_view name() const override { return "script"; }
  std::string_view version() const override { return "0.2"; }

  // `file is missing`; the file must stay inside the scripts folder (no absolute path, no
  // `..` escaping it), exist (`can't stat "<path>": ...`) and be executable (`<path> is not
  // executable`); timeout, output mode, delimiters and exit codes as README.md says.
  Result<void> validate(const Json& base, const Json& configuration) const override;

  // {task_id, resolution_id} of the running task, for the UTASK_* environment variables.
  Json context_template(std::string_view step_name) const override;
  // `fork` and `script:<file_path>`.
  std::vector<std::string> resources(const Json& configuration) const override;

  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  const std::string scripts_path_;  // as configured; resolved against the working directory
};

}  // namespace utask::actions
