#pragma once
// `echo` (actions.md §5): returns what it is configured to return — output, metadata and,
// optionally, an error of the configured kind. Reshapes data in templates and drives engine
// tests. No context, no resources, no metadata schema.

#include "actions/action.h"

namespace utask::actions {

class EchoAction final : public Action {
 public:
  std::string_view name() const override { return "echo"; }
  std::string_view version() const override { return "0.1"; }

  // Decodes base then configuration (`output` any, `metadata` object merged by key,
  // `unmarshal` bool, `error_message` / `error_type` strings); `error_type` must be "",
  // "client" or "server" (`Wrong error type: expecting 'client' or 'server'`).
  Result<void> validate(const Json& base, const Json& configuration) const override;

  // Output = `output`, or with `unmarshal` the YAML/JSON its string holds (errors
  // `cannot unmarshal: invalid data type (<type>)`, `failed to unmarshal output: <e>`,
  // server kind); metadata = `metadata`; with a non-empty `error_message` an error of kind
  // client (`error_type: client`) or server, output and metadata still returned.
  ActionResult execute(const ExecutionRequest& request) const override;
};

}  // namespace utask::actions
