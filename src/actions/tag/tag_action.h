#pragma once
// `tag` (actions.md §15): sets or deletes tags of the running task. It does nothing itself:
// it returns its `tags` map, which the engine applies when it commits the step (a non-empty
// value sets the tag, an empty or null one deletes it). Never fails once loaded.

#include "actions/action.h"

namespace utask::actions {

class TagAction final : public Action {
 public:
  std::string_view name() const override { return "tag"; }
  std::string_view version() const override { return "0.1"; }

  // `tags` must be a string map without the reserved `_utask_parent_task_id`.
  Result<void> validate(const Json& base, const Json& configuration) const override;
  // Output and metadata null, tags = the rendered `tags`.
  ActionResult execute(const ExecutionRequest& request) const override;
};

}  // namespace utask::actions
