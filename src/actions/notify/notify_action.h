#pragma once
// `notify` (actions.md §8): sends a message with fields through the notification backends of
// notify-config, asynchronously (fire and forget). As DECISIONS.md says, the message is
// delivered to every selected backend (the original's strategy filter dropped it).

#include <memory>

#include "actions/action.h"

namespace utask::actions {

namespace notify {
class Dispatcher;
}

class NotifyAction final : public Action {
 public:
  // `dispatcher`: the configured backends; null when none is configured.
  explicit NotifyAction(std::shared_ptr<notify::Dispatcher> dispatcher)
      : dispatcher_(std::move(dispatcher)) {}
  std::string_view name() const override { return "notify"; }
  std::string_view version() const override { return "0.1"; }

  // Decodes `message` (string), `fields` (string map, merged by key over the base) and
  // `backends` (list of strings). Non-empty `backends` needs configured backends
  // (`registered notify senders list is empty`) and names them all
  // (`can't find backend name: <x>. Available backends: a, b`); a templated name is checked
  // after rendering.
  Result<void> validate(const Json& base, const Json& configuration) const override;

  // Queues the message `{main: message, fields, type: ""}` for the selected backends (all when
  // `backends` is empty). Output and metadata null; fails only on a configuration that does not
  // decode or names an unknown backend (client error).
  ActionResult execute(const ExecutionRequest& request) const override;

 private:
  std::shared_ptr<notify::Dispatcher> dispatcher_;
};

}  // namespace utask::actions
