#pragma once
// `callback` (actions.md §14): `create` makes a one-shot URL protected by a secret token
// (output {id, url, token, schema}); `wait` keeps the step WAITING until that URL has been
// called, then outputs {id, date, body}. The URL's handler lives in the HTTP layer; the
// records in the store, reached through ActionServices.

#include "actions/action.h"

namespace utask::actions {

class CallbackAction final : public Action {
 public:
  std::string_view name() const override { return "callback"; }
  std::string_view version() const override { return "0.1"; }

  // `invalid action "<a>"` unless create or wait (any case); `missing "id" parameter` for a
  // wait without id.
  Result<void> validate(const Json& base, const Json& configuration) const override;
  // {step, task_id, requester_username}.
  Json context_template(std::string_view step_name) const override;
  // Needs request.services.
  ActionResult execute(const ExecutionRequest& request) const override;
};

}  // namespace utask::actions
