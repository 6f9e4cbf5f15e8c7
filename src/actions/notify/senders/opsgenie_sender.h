#pragma once
// Opsgenie alerts (actions.md §8.1 `opsgenie`): one alert per task, aliased by the message's
// `task_id` field; created (`POST /v2/alerts`) until the task's `state` is DONE, then closed
// (`POST /v2/alerts/<alias>/close?identifierType=alias`). The API key is the secret.

#include <chrono>
#include <optional>

#include "actions/notify/senders/sender.h"

namespace utask::actions::notify {

// The API base URL of a zone: global, eu, sandbox; nullopt for any other name.
std::optional<std::string> opsgenie_zone_url(std::string_view zone);

class OpsgenieSender final : public Sender {
 public:
  // `base_url` is the zone's (opsgenie_zone_url) or, in tests, a local peer's.
  OpsgenieSender(std::string name, std::string base_url, std::string api_key,
                 std::chrono::milliseconds timeout = std::chrono::seconds(30));
  const std::string& name() const override { return name_; }
  std::string_view type() const override { return "opsgenie"; }
  // An empty main text is refused (invalid_input `message can not be empty`) before any call.
  Result<void> send(const NotifyMessage& message) const override;

 private:
  std::string name_;
  std::string base_url_;
  std::string api_key_;
  std::chrono::milliseconds timeout_;
};

// The create-alert body: message, description, alias, details (the fields) and note (the
// fields' JSON text).
std::string opsgenie_create_payload(const NotifyMessage& message);

}  // namespace utask::actions::notify
