#pragma once
// Slack incoming webhook (actions.md §8.1 `slack`): a Block Kit message POSTed to the
// webhook URL, which is the secret (it holds the token).

#include <chrono>

#include "actions/notify/senders/sender.h"

namespace utask::actions::notify {

class SlackSender final : public Sender {
 public:
  SlackSender(std::string name, std::string webhook_url,
              std::chrono::milliseconds timeout = std::chrono::seconds(10));
  const std::string& name() const override { return name_; }
  std::string_view type() const override { return "slack"; }
  // Success needs the answer body to be exactly `ok` (else invalid_input
  // `non-ok response returned from Slack: <body>`).
  Result<void> send(const NotifyMessage& message) const override;

 private:
  std::string name_;
  std::string webhook_url_;
  std::chrono::milliseconds timeout_;
};

// The request body: main text, one field per non-empty message field (sorted by key, labelled
// `*Task Id:*`), a divider and "🚀 Sent from <backend>".
std::string slack_payload(const NotifyMessage& message, const std::string& backend_name);
// `task_id` → `Task Id`.
std::string slack_field_title(const std::string& key);

}  // namespace utask::actions::notify
