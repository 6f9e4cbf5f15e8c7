#pragma once
// `subtask` (actions.md §6): creates one child task from a template, as the parent's
// requester, and maps the child's state to the step (DONE → done; CANCELLED, WONTFIX,
// BLOCKED → client error; TODO → waiting; RUNNING → retry; other → server error). Re-runs are
// idempotent: the context carries the child id of the step's previous output, and a step that
// has one only reloads that child.

#include <memory>

#include "actions/action.h"
#include "actions/template_directory.h"

namespace utask::actions {

class SubtaskAction final : public Action {
 public:
  // `templates` answers the load-time existence check; null: no check.
  explicit SubtaskAction(std::shared_ptr<const TemplateDirectory> templates)
      : templates_(std::move(templates)) {}

  std::string_view name() const override { return "subtask"; }
  std::string_view version() const override { return "0.1"; }

  // Decoding, the reserved tag, and the template's existence
  // (`sub-task template "<name>" not found`).
  Result<void> validate(const Json& base, const Json& configuration) const override;
  // {parent_task_id, task_id (the child of the previous output), requester_username,
  // requester_groups}.
  Json context_template(std::string_view step_name) const override;
  // Output {id, state, result, resolver_username, requester_username} of the child, with
  // every state mapping; needs request.services.
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  std::shared_ptr<const TemplateDirectory> templates_;
};

}  // namespace utask::actions
