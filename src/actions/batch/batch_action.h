#pragma once
// `batch` (actions.md §7): creates one child task per input from one template, at most
// `sub_batch_size` alive at once, and waits (WAITING) until every child is final. Progress
// lives in the step's metadata (batch_progress.h), which the context hands back on the next
// run: the first run starts the first wave, later runs start the next waves or count the
// children still running; the last one extends the resolution's run_max by the step's
// try_count (each child wake-up consumed a run).

#include <memory>

#include "actions/action.h"
#include "actions/template_directory.h"

namespace utask::actions {

class BatchAction final : public Action {
 public:
  // `templates` answers the load-time existence check; null: no check.
  explicit BatchAction(std::shared_ptr<const TemplateDirectory> templates)
      : templates_(std::move(templates)) {}

  std::string_view name() const override { return "batch"; }
  std::string_view version() const override { return "0.1"; }

  // Decoding, the reserved tag, the template's existence (`batch template "<name>" not found`).
  Result<void> validate(const Json& base, const Json& configuration) const override;
  // {parent_task_id, requester_username, requester_groups, metadata (the previous progress),
  // step_name, try_count}.
  Json context_template(std::string_view step_name) const override;
  // Output null; metadata the progress string; needs request.services.
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  std::shared_ptr<const TemplateDirectory> templates_;
};

}  // namespace utask::actions
